/**
 * `application/vnd.gankit.explorer.v1+json` bundles: a generator in tfjs layers format (topology and
 * weights, base64), four anchor latents from a seed, slider directions and class names, for the
 * JupyterLab extension's latent explorer, which runs the generator in the browser. The `image/png`
 * fallback is the four anchors' images, laid out as the pad's corners. Bounded by EXPLORER_LIMITS.
 */
import * as tf from '@tensorflow/tfjs';
import { generate, latentDimOf, numClassesOf, sampleNoise } from '../gan/sample.js';
import { GankitError, invalidParameterError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { inRange, isInteger, isLayersModel, isPlainObject } from '../util/is.js';
import { JUPYTER_DISPLAY, truncate, type Prepared } from './common.js';
import { prepareImages } from './images.js';
import {
  EXPLORER_LAYER_CLASSES, EXPLORER_LIMITS, EXPLORER_MIME, type ExplorerPayload, type MimeBundle,
} from './types.js';

export interface ExploreLatentOptions {
  /** Seed of the four anchor latents, an integer (default 0: the same z as sampleNoise(4, nz, 0)). */
  seed?: number;
  /** Class names of a conditional generator, one per class (default: the model's dataset metadata, else '0', '1', ...). */
  classes?: readonly string[];
  /** Class shown first, an integer in [0, classes - 1] (conditional generators only; default 0). */
  label?: number;
  /** Number of slider directions, integer 0..8 (default 3). */
  directions?: number;
  /** Samples in the live grid (the point and its neighbours), integer 1..64 (default 16). */
  samples?: number;
  /** Standard deviation of the neighbours' offset from the point, 0..2 (default 0.35). */
  spread?: number;
  /** Initial truncation threshold in (0, 4], or null for none (default null): z entries beyond it are clipped. */
  truncation?: number | null;
  /** How the pad blends its corners: 'spherical' (default) or 'linear'. */
  interpolation?: 'spherical' | 'linear';
  /** Value range of the generator's output: '-1-1' (tanh, default), '0-1' or [min, max]. */
  range?: '-1-1' | '0-1' | [number, number];
  /** Title shown above the explorer. */
  title?: string;
  /** Name of the generator variable in the code that "copy z" writes (a JS identifier, default 'G'). */
  generatorName?: string;
  /** Cap on the weights in bytes, 1..16 MiB (default 16 MiB, EXPLORER_LIMITS.weightBytes). */
  maxBytes?: number;
}

const KEYS = [
  'seed', 'classes', 'label', 'directions', 'samples', 'spread', 'truncation', 'interpolation', 'range', 'title',
  'generatorName', 'maxBytes',
] as const;

interface Settings {
  seed: number; classes: readonly string[] | undefined; label: number; directions: number; samples: number; spread: number;
  truncation: number | null; interpolation: 'spherical' | 'linear'; range: [number, number]; title: string | undefined;
  generatorName: string; maxBytes: number;
}

function settings(o: ExploreLatentOptions): Settings {
  v.options('exploreLatent options', o, KEYS);
  const {
    seed = 0, classes, label = 0, directions = 3, samples = 16, spread = 0.35, truncation = null,
    interpolation = 'spherical', range = '-1-1', title, generatorName = 'G', maxBytes = EXPLORER_LIMITS.weightBytes,
  } = o;
  v.intIn('seed', seed, -(2 ** 31), 2 ** 31);
  if (classes !== undefined) v.check('classes', classes, Array.isArray(classes) && classes.every((c) => typeof c === 'string'), 'array of class names (strings)');
  v.check('label', label, isInteger(label) && label >= 0, 'integer class index >= 0');
  v.intIn('directions', directions, 0, EXPLORER_LIMITS.directions);
  v.intIn('samples', samples, 1, EXPLORER_LIMITS.samples);
  v.numberIn('spread', spread, 0, 2);
  v.check('truncation', truncation, truncation === null || (inRange(truncation, 0, 4) && truncation > 0), 'number in (0, 4] or null');
  v.oneOf('interpolation', interpolation, ['spherical', 'linear'] as const);
  const rangeOk = range === '-1-1' || range === '0-1' ||
    (Array.isArray(range) && range.length === 2 && range.every(Number.isFinite) && range[0]! < range[1]!);
  if (!rangeOk) throw invalidParameterError('range', "'-1-1', '0-1' or [min, max] with min < max", range);
  if (title !== undefined) v.string('title', title);
  if (typeof generatorName !== 'string' || !/^[A-Za-z_$][\w$]{0,63}$/.test(generatorName)) {
    throw invalidParameterError('generatorName', 'a JavaScript identifier of at most 64 characters', generatorName);
  }
  v.intIn('maxBytes', maxBytes, 1, EXPLORER_LIMITS.weightBytes);
  const r: [number, number] = range === '-1-1' ? [-1, 1] : range === '0-1' ? [0, 1] : [range[0], range[1]];
  return { seed, classes, label, directions, samples, spread, truncation, interpolation, range: r, title, generatorName, maxBytes };
}

const MB = (n: number): string => `${(n / (1024 * 1024)).toFixed(2)} MiB`;

/** Check the generator's interface: inputs z [n, nz] (and label [n, 1]), one output [n, H, W, C]. */
function checkInterface(g: tf.LayersModel): { latentDim: number; numClasses: number; image: Omit<ExplorerPayload['image'], 'range'> } {
  const shapes = g.inputs.map((t) => t.shape);
  const latentDim = latentDimOf(g);
  const numClasses = numClassesOf(g);
  const z = shapes[0]!;
  const zOk = z.length === 2 && isInteger(latentDim) && inRange(latentDim, 1, EXPLORER_LIMITS.latentDim);
  const labelOk = shapes.length === 1 || (shapes.length === 2 && numClasses > 0 && shapes[1]!.length === 2 && shapes[1]![1] === 1);
  if (!zOk || !labelOk) {
    throw new GankitError(
      `Expected a generator with inputs z [n, nz] (nz <= ${EXPLORER_LIMITS.latentDim}) or [z, label [n, 1]] for generator ` +
      `but received inputs ${JSON.stringify(shapes)}`);
  }
  if (numClasses > EXPLORER_LIMITS.classes) throw new GankitError(`Generator has ${numClasses} classes; the latent explorer takes at most ${EXPLORER_LIMITS.classes}`);
  const out = g.outputs.length === 1 ? g.outputs[0]!.shape : null;
  const [, h, w, c] = out ?? [];
  if (!out || out.length !== 4 || !isInteger(h) || !isInteger(w) || !(c === 1 || c === 3 || c === 4) ||
    h > EXPLORER_LIMITS.imageSide || w > EXPLORER_LIMITS.imageSide) {
    throw new GankitError(
      `Expected one image output [n, H, W, 1|3|4] with H, W <= ${EXPLORER_LIMITS.imageSide} for generator but received ` +
      `${JSON.stringify(g.outputs.map((t) => t.shape))}`);
  }
  return { latentDim, numClasses, image: { height: h, width: w, channels: c } };
}

/** Check the topology against EXPLORER_LIMITS and the layer allowlist, as the extension will. */
function checkTopology(g: tf.LayersModel, topology: Record<string, unknown>): void {
  const layers = g.layers;
  if (layers.length > EXPLORER_LIMITS.layers) {
    throw new GankitError(`Generator too large for the latent explorer: ${layers.length} layers, the limit is ${EXPLORER_LIMITS.layers}`);
  }
  const allowed: readonly string[] = EXPLORER_LAYER_CLASSES;
  const bad = layers.filter((l) => !allowed.includes(l.getClassName()));
  if (bad.length > 0) {
    throw new GankitError(
      `The latent explorer cannot run layer ${bad.map((l) => `${l.name} (${l.getClassName()})`).join(', ')} in the browser; ` +
      `allowed layer classes: ${allowed.join(', ')}`);
  }
  for (const l of layers) {
    const n = l.outputShape as (number | null)[];
    const elements = Array.isArray(n) && n.every((d) => d === null || typeof d === 'number') ? n.slice(1).reduce((a: number, b) => a * (b ?? 1), 1) : 0;
    if (elements > EXPLORER_LIMITS.activationElements) {
      throw new GankitError(`Generator too large for the latent explorer: layer ${l.name} outputs ${elements} values per sample, the limit is ${EXPLORER_LIMITS.activationElements}`);
    }
  }
  const chars = JSON.stringify(topology).length;
  if (chars > EXPLORER_LIMITS.topologyChars) {
    throw new GankitError(`Generator too large for the latent explorer: its topology is ${chars} characters of JSON, the limit is ${EXPLORER_LIMITS.topologyChars}`);
  }
}

/** Read the weights as model.json would hold them (names as tf.loadLayersModel matches them). */
function readWeights(g: tf.LayersModel, maxBytes: number): { specs: ExplorerPayload['model']['weightSpecs']; weights: string } {
  const vars = g.weights;
  const elements = vars.map((v) => v.shape.reduce((a: number, b) => a * (b ?? 1), 1));
  const bytes = elements.reduce((a, b) => a + b, 0) * 4;
  if (bytes > maxBytes) {
    throw new GankitError(
      `Generator too large for the latent explorer: ${MB(bytes)} of weights (${g.countParams().toLocaleString('en-US')} parameters), ` +
      `the limit is maxBytes = ${MB(maxBytes)} (at most ${MB(EXPLORER_LIMITS.weightBytes)}); explore a smaller generator`);
  }
  if (vars.length > EXPLORER_LIMITS.weightTensors) {
    throw new GankitError(`Generator too large for the latent explorer: ${vars.length} weight tensors, the limit is ${EXPLORER_LIMITS.weightTensors}`);
  }
  const big = vars.findIndex((_, i) => elements[i]! > EXPLORER_LIMITS.tensorElements);
  if (big >= 0) {
    throw new GankitError(`Generator too large for the latent explorer: weight ${vars[big]!.originalName} has ${elements[big]} elements, the limit is ${EXPLORER_LIMITS.tensorElements}`);
  }
  const buf = Buffer.alloc(bytes);
  let offset = 0;
  const specs = vars.map((v) => {
    if (v.dtype !== 'float32') throw new GankitError(`The latent explorer sends float32 weights only, but weight ${v.originalName} is ${v.dtype}`);
    const data = v.read().dataSync() as Float32Array;
    Buffer.from(data.buffer, data.byteOffset, data.byteLength).copy(buf, offset);
    offset += data.byteLength;
    return { name: v.originalName, shape: [...v.shape] as number[], dtype: 'float32' as const };
  });
  return { specs, weights: buf.toString('base64') };
}

/** Class names: the option, else the model's dataset metadata (gankit exports), else '0', '1', ... */
function classNames(g: tf.LayersModel, n: number, given: readonly string[] | undefined): string[] {
  if (given !== undefined) {
    if (given.length !== n) throw invalidParameterError('classes', `array of ${n} class names (the generator has ${n} classes)`, given);
    return given.map((c) => truncate(c, 100));
  }
  const meta = g.getUserDefinedMetadata() as { gankit?: { dataset?: { classNames?: unknown } } } | undefined;
  const names = meta?.gankit?.dataset?.classNames;
  if (Array.isArray(names) && names.length === n && names.every((c) => typeof c === 'string')) return names.map((c) => truncate(c as string, 100));
  return Array.from({ length: n }, (_, i) => String(i));
}

/** `k` orthonormal directions (Gram-Schmidt over seeded normal draws), latentDim values each. */
function unitDirections(k: number, dim: number, seed: number): number[][] {
  if (k === 0) return [];
  const raw = sampleNoise(k, dim, seed);
  const rows = (raw.arraySync() as number[][]);
  raw.dispose();
  const out: number[][] = [];
  for (const r of rows) {
    const v = r.slice();
    for (const u of out) {
      const dot = v.reduce((a, x, i) => a + x * u[i]!, 0);
      for (let i = 0; i < dim; i++) v[i]! -= dot * u[i]!;
    }
    const norm = Math.hypot(...v);
    if (!(norm > 1e-6)) throw new GankitError(`Expected ${k} independent directions in ${dim} dimensions for directions but received ${k} (use fewer)`);
    out.push(v.map((x) => x / norm));
  }
  return out;
}

/**
 * Validate the generator and options and read everything from the model now (weights, anchors, anchor
 * images), so the caller may dispose the generator afterwards; PNG encoding happens in render().
 */
export function prepareExplorer(generator: tf.LayersModel, opts: ExploreLatentOptions = {}): Prepared {
  if (!isLayersModel(generator)) throw invalidParameterError('generator', 'a tf.LayersModel (e.g. gan.generator or loadPretrained(name))', generator);
  const s = settings(opts);
  const { latentDim, numClasses, image } = checkInterface(generator);
  if (numClasses === 0 && (opts.classes !== undefined || opts.label !== undefined)) {
    throw invalidParameterError(opts.classes !== undefined ? 'classes' : 'label', 'undefined for an unconditional generator', opts.classes ?? opts.label);
  }
  if (numClasses > 0 && s.label >= numClasses) throw invalidParameterError('label', `integer class index in [0, ${numClasses - 1}]`, s.label);
  const topology = generator.toJSON(null, false) as unknown;
  if (!isPlainObject(topology)) throw new GankitError('Could not serialise the generator topology (model.toJSON returned no object)');
  checkTopology(generator, topology);
  const { specs, weights } = readWeights(generator, s.maxBytes);
  const classes = numClasses > 0 ? classNames(generator, numClasses, s.classes) : undefined;
  const anchorsT = sampleNoise(4, latentDim, s.seed);
  let grid: Prepared;
  let anchors: number[][];
  try {
    anchors = anchorsT.arraySync();
    const images = generate(generator, anchorsT, classes ? s.label : undefined);
    try {
      grid = prepareImages(images, { nrow: 2, padding: 2, range: s.range });
    } finally {
      images.dispose();
    }
  } finally {
    anchorsT.dispose();
  }
  const payload: ExplorerPayload = {
    version: 1,
    ...(s.title !== undefined ? { title: truncate(s.title, 500) } : {}),
    model: { topology, weightSpecs: specs, weights },
    latentDim,
    image: { ...image, range: s.range },
    anchors,
    seed: s.seed,
    directions: unitDirections(s.directions, latentDim, s.seed + 1),
    ...(classes ? { classes, label: s.label } : {}),
    samples: s.samples,
    spread: s.spread,
    truncation: s.truncation,
    interpolation: s.interpolation,
    generatorName: s.generatorName,
  };
  const bytes = specs.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
  const text = [
    ...(s.title ? [s.title] : []),
    `Latent explorer: ${generator.getClassName()} "${generator.name}", ${generator.countParams().toLocaleString('en-US')} parameters (${MB(bytes)}), ` +
      `z of length ${latentDim}, ${image.width}x${image.height}x${image.channels} images`,
    `  anchors: sampleNoise(4, ${latentDim}, ${s.seed}) at the pad's corners (the PNG shows them)` +
      (classes ? `; ${classes.length} classes: ${truncate(classes.join(', '), 200)}` : ''),
    '  Drag through the latent space in JupyterLab with gankit-labextension installed.',
  ].join('\n');
  return {
    async render(): Promise<MimeBundle> {
      const fallback = await grid.render();
      return { [EXPLORER_MIME]: payload, 'image/png': fallback['image/png'] as string, 'text/plain': text };
    },
  };
}

/**
 * MIME bundle of the latent explorer for a generator (inputs z [n, nz], or [z, label [n, 1]] for a
 * conditional one; one image output in `range`). Throws a GankitError for generators beyond
 * EXPLORER_LIMITS (e.g. more than 16 MiB of weights) or layers the browser may not run.
 */
export function explorerBundle(generator: tf.LayersModel, opts: ExploreLatentOptions = {}): Promise<MimeBundle> {
  return prepareExplorer(generator, opts).render();
}

/** A displayable latent explorer (what exploreLatent returns): everything is read when it is created. */
export class LatentExplorer {
  private readonly prepared: Prepared;
  constructor(generator: tf.LayersModel, options: ExploreLatentOptions = {}) {
    this.prepared = prepareExplorer(generator, options);
  }
  /** The MIME bundle. */
  [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    return this.prepared.render();
  }
}

/**
 * Explore a generator's latent space inline: as a cell's last expression (or passed to display()) it
 * renders the in-browser latent explorer (a pad between four anchors, sliders, truncation, class).
 * The generator is read now; dispose it whenever you like.
 */
export function exploreLatent(generator: tf.LayersModel, options: ExploreLatentOptions = {}): LatentExplorer {
  return new LatentExplorer(generator, options);
}

