/**
 * `gankit sample MODEL --out grid.png`: write a grid of generated images, or rows of latent
 * interpolations, from an exported generator, a checkpoint or a pretrained generator.
 *
 *   gankit sample mnist-dcgan --out digits.png --n 64 --seed 7
 *   gankit sample mnist-conditional --out sevens.png --labels 7 --n 16
 *   gankit sample runs/mnist --out walk.png --interpolate 10 --n 4 --mode spherical
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/select.js';
import { GankitError } from '../util/errors.js';
import { interpolationImages, latentDimOf, numClassesOf, sample, type InterpolationMode } from '../gan/index.js';
import { PRETRAINED_NAMES } from '../gan/pretrained.js';
import { saveImage } from '../image/index.js';
import { parseFlags, choiceFlag, intFlag, intListFlag, numberFlag, stringFlag } from './flags.js';
import { loadModelArgument } from './model-argument.js';

export const SAMPLE_HELP = `Usage: gankit sample MODEL --out FILE.png [options]

Write a grid of generated images. MODEL is an exported generator folder (model.json), a checkpoint
folder (manifest.json, or a gankit train --out folder), or a pretrained name: ${PRETRAINED_NAMES.join(', ')}.

  --out FILE          output image (.png, .jpg or .webp)
  --n N               images, integer in [1, 1024] (default 64); with --interpolate: rows (default 8)
  --seed N            seed of the noise, an integer (default 0)
  --truncation X      redraw noise entries with |z| > X, a number in (0, 10] (default: none)
  --labels L,L,...    classes for a conditional generator, integers in [0, classes-1], cycled over
                      the images (or the rows); default 0, 1, 2, ...
  --nrow N            images per grid row, integer in [1, 1024] (default: a square grid; STEPS with --interpolate)
  --interpolate STEPS rows of STEPS images walking between two noise vectors, integer in [2, 1024]
  --mode M            interpolation: spherical (default) or linear
  --backend NAME      tfjs backend: tensorflow-gpu, tensorflow, wasm or cpu
  -h, --help          show this help`;

const OPTIONS = {
  out: { type: 'string' }, n: { type: 'string' }, seed: { type: 'string' }, truncation: { type: 'string' },
  labels: { type: 'string' }, nrow: { type: 'string' }, interpolate: { type: 'string' }, mode: { type: 'string' },
  backend: { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** Run `gankit sample` with the given arguments; resolves to the exit code. */
export async function runSampleCli(argv: string[]): Promise<number> {
  const { values: v, positionals } = parseFlags(argv, OPTIONS, 'sample');
  if (v.help) { process.stdout.write(SAMPLE_HELP + '\n'); return 0; }
  if (positionals.length !== 1) throw new GankitError(`Expected one MODEL argument but received ${positionals.length} (${positionals.join(' ')}); see gankit sample --help`);
  const out = stringFlag('out', v.out, 'an output image path (.png, .jpg or .webp)', true)!;
  if (!/\.(png|jpe?g|webp)$/i.test(out)) throw new GankitError(`Expected an output path ending in .png, .jpg, .jpeg or .webp for --out but received ${JSON.stringify(out)}`);
  const steps = intFlag('interpolate', v.interpolate, 2, 1024);
  const n = intFlag('n', v.n, 1, 1024) ?? (steps ? 8 : 64);
  const seed = intFlag('seed', v.seed, -2147483648, 2147483647) ?? 0;
  const truncation = numberFlag('truncation', v.truncation, 0, 10, true);
  const nrowFlag = intFlag('nrow', v.nrow, 1, 1024);
  const mode = choiceFlag<InterpolationMode>('mode', v.mode, ['linear', 'spherical']) ?? 'spherical';
  if (v.mode !== undefined && steps === undefined) throw new GankitError('--mode needs --interpolate STEPS');
  if (truncation !== undefined && steps !== undefined) throw new GankitError('--truncation does not apply to --interpolate');
  const labelList = intListFlag('labels', v.labels, 0, 999);
  const model = positionals[0]!;
  await initBackend(v.backend ? { backend: v.backend } : {});

  const { generator } = await loadModelArgument(model);
  try {
    const classes = numClassesOf(generator);
    if (labelList && classes === 0) throw new GankitError(`--labels needs a conditional generator, but ${model} is unconditional`);
    if (labelList && labelList.some((l) => l >= classes)) throw new GankitError(`Expected integers in [0, ${classes - 1}] for --labels but received ${v.labels}`);
    const labelFor = (i: number): number => (labelList ? labelList[i % labelList.length]! : i % Math.max(classes, 1));
    let images: tf.Tensor4D;
    if (steps !== undefined) {
      const rows: tf.Tensor4D[] = [];
      try {
        for (let r = 0; r < n; r++) {
          rows.push(interpolationImages(generator, seed + 2 * r, seed + 2 * r + 1, steps, mode, classes ? labelFor(r) : undefined));
        }
        images = tf.concat(rows, 0);
      } finally {
        tf.dispose(rows);
      }
    } else {
      const labels = classes ? Array.from({ length: n }, (_, i) => labelFor(i)) : undefined;
      images = sample(generator, n, { seed, ...(truncation !== undefined ? { truncation } : {}), ...(labels ? { labels } : {}) });
    }
    try {
      const nrow = nrowFlag ?? steps ?? Math.ceil(Math.sqrt(n));
      await saveImage(images, out, { nrow, normalize: true, valueRange: [-1, 1] });
    } finally {
      images.dispose();
    }
    const [, h, w, c] = generator.outputs[0]!.shape as number[];
    process.stderr.write(`gankit sample: wrote ${out} (${steps ? `${n} rows of ${steps}` : n} images ${h}x${w}x${c}, nz ${latentDimOf(generator)})\n`);
    return 0;
  } finally {
    generator.dispose();
  }
}
