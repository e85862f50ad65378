/**
 * A seeded, time-bounded fuzz test over every public edit op (tensor float32, tensor int32 and
 * EditImage) and the edit CLI: valid arguments with one of them replaced by an extreme or invalid
 * value. Every call must either throw a GankitError naming a parameter ("Expected ... for <name> but
 * received ...") or return a finite result in the value range; nothing else (no TypeError, RangeError,
 * sharp or TensorFlow error, NaN, out-of-range value, leaked tensor). The CLI must exit 0, 1 or 2 with
 * one line per failure and leave no output file when it fails.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import seedrandom from 'seedrandom';
import { initBackend } from '../../src/backend/select.js';
import * as edit from '../../src/edit/index.js';
import { OPS, type OpName } from '../../src/edit/ops.js';
import { setPixelLimit } from '../../src/edit/core.js';
import { GankitError } from '../../src/util/errors.js';
import { runEditCli } from '../../src/cli/edit.js';
import { photoDir, tempDir } from './helpers.js';

const SEED = 'gankit-fuzz-1';
/** Time budget per test (ms): the run stops drawing new cases after it. */
const BUDGET_MS = 12_000;

/** Valid arguments for each op (after the image), for a 6x5 image. */
const VALID: Record<OpName, unknown[]> = {
  crop: [1, 1, 3, 3, { padOutside: false }],
  centerCrop: [4],
  pad: [1, { mode: 'constant', fill: 0 }],
  resize: [[4, 5], { interpolation: 'bilinear', antialias: true }],
  resizedCrop: [0, 0, 4, 4, [3, 3], { interpolation: 'bilinear' }],
  hflip: [],
  vflip: [],
  rotate: [30, { interpolation: 'nearest', expand: false, fill: 0 }],
  affine: [{ angle: 10, translate: [1, 1], scale: 1, shear: [0, 0], interpolation: 'bilinear' }],
  perspective: [[[0, 0], [4, 0], [4, 5], [0, 5]], [[0, 1], [4, 0], [3, 5], [1, 5]], { interpolation: 'bilinear', fill: 0 }],
  adjustBrightness: [1.2],
  adjustContrast: [0.8],
  adjustSaturation: [1.5],
  adjustHue: [0.1],
  adjustGamma: [0.8, 1],
  adjustSharpness: [2],
  rgbToGrayscale: [1],
  grayscale: [3],
  invert: [],
  posterize: [4],
  solarize: [128],
  autocontrast: [],
  equalize: [],
  gaussianBlur: [3, 1],
  erase: [1, 1, 2, 2, 0],
  elasticTransform: [{ alpha: 5, sigma: 1, seed: 1, interpolation: 'bilinear', fill: 0 }],
};

const EXTREMES: unknown[] = [
  NaN, Infinity, -Infinity, -1, 0, -0, 0.5, -0.5, 3, 7, 1e9, 2 ** 31, 2 ** 53, 1e39, -1e39, 1e300, 1e-50, 5e-45,
  'x', '3', null, true, [], {}, [1], [1, 2, 3, 4, 5], [1e39, 1], [NaN, 1], { a: 1 },
];

/** A copy of args with one value (an argument, an option or an array element) replaced by an extreme. */
function mutate(args: unknown[], rng: () => number): unknown[] {
  const copy = structuredClone(args) as unknown[];
  const extreme = EXTREMES[Math.floor(rng() * EXTREMES.length)];
  const slots: [unknown[] | Record<string, unknown>, string | number][] = copy.map((_, i) => [copy, i]);
  for (const a of copy) {
    if (Array.isArray(a)) a.forEach((_, i) => slots.push([a, i]));
    else if (a && typeof a === 'object') for (const k of Object.keys(a)) slots.push([a as Record<string, unknown>, k]);
  }
  if (slots.length === 0 || rng() < 0.1) return [...copy, extreme]; // an extra argument
  const [holder, key] = slots[Math.floor(rng() * slots.length)]!;
  (holder as Record<string | number, unknown>)[key] = extreme;
  return copy;
}

/** The call threw: it must be a GankitError in sharp's shape naming a parameter. */
function assertGankitError(e: unknown, what: string): void {
  assert.ok(e instanceof GankitError, `${what}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  assert.match(e.message, /^Expected .+ for \S.* but received /s, `${what}: ${e.message}`);
}

let limit: number;
before(async () => {
  await initBackend();
  limit = setPixelLimit(100_000); // outputs of extreme sizes fail fast instead of filling memory
});
after(() => setPixelLimit(limit));

const label = (name: string, args: unknown[]) => `${name}(${args.map((a) => { try { return JSON.stringify(a) ?? String(a); } catch { return String(a); } }).join(', ')})`;

test('every public edit op, on float32 and int32 tensors and on EditImage, with one extreme argument', async (t) => {
  const rng = seedrandom(SEED);
  const float = tf.randomUniform([6, 5, 3], 0, 1, 'float32', 7) as tf.Tensor3D;
  const int = tf.tidy(() => tf.cast(tf.mul(float, 255), 'int32')) as tf.Tensor3D;
  const raw: edit.RawImage = { data: Uint8Array.from(await int.data()), width: 5, height: 6, channels: 3 };
  const before = tf.memory().numTensors;
  const start = Date.now();
  let cases = 0, errors = 0;
  const names = Object.keys(OPS) as OpName[];
  while (Date.now() - start < BUDGET_MS || cases < names.length * 3) {
    const name = names[cases % names.length]!;
    const args = mutate(VALID[name], rng);
    const what = label(name, args);
    const fn = (edit as unknown as Record<string, (...a: unknown[]) => unknown>)[name]!;
    for (const input of [float, int]) {
      try {
        const y = fn(input, ...args) as tf.Tensor;
        const values = await y.data();
        const top = input.dtype === 'float32' ? 1 : 255;
        for (const v of values) assert.ok(Number.isFinite(v) && v >= 0 && v <= top, `${what} on ${input.dtype}: value ${v} outside [0, ${top}]`);
        y.dispose();
      } catch (e) {
        if (e instanceof assert.AssertionError) throw e;
        assertGankitError(e, `${what} on ${input.dtype}`);
        errors++;
      }
    }
    try {
      const out = await (fn(raw, ...args) as edit.EditImage).toRaw();
      assert.equal(out.data.length, out.width * out.height * out.channels, `${what} on EditImage: size`);
    } catch (e) {
      if (e instanceof assert.AssertionError) throw e;
      assertGankitError(e, `${what} on EditImage`);
      errors++;
    }
    cases++;
  }
  assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
  tf.dispose([float, int]);
  assert.ok(cases >= names.length * 3 && errors > cases / 2, `${cases} cases, ${errors} errors`);
  t.diagnostic(`fuzz: ${cases} draws x 3 inputs (float32, int32, EditImage), ${errors} GankitErrors, the rest finite and in range`);
});

const tmp = tempDir('gankit-fuzz-cli-');
after(() => tmp.cleanup());

/** CLI flags with valid values (after the flag). */
const FLAGS: [string, string][] = [
  ['--crop', '1,1,10,10'], ['--center-crop', '12'], ['--resize', '10,12'], ['--pad', '2,mode=edge'], ['--rotate', '30,expand'],
  ['--affine', 'angle=10,scale=1.2'], ['--brightness', '1.2'], ['--contrast', '0.8'], ['--saturation', '1.3'], ['--hue', '0.1'],
  ['--gamma', '0.8,1'], ['--sharpness', '2'], ['--posterize', '4'], ['--solarize', '100'], ['--blur', '3,1'], ['--quality', '80'], ['--format', 'png'],
];
const CLI_EXTREMES = ['1e39', '-1e39', 'NaN', 'Infinity', '-1', '0', '1e-50', '1e12', '2147483648', 'abc', '', '1,2,3,4,5,6', '3,spin=1', '1e300,1e300'];

test('the edit CLI with one extreme flag value: exit 0, 1 or 2, one line per failure, no output file on failure', async (t) => {
  const rng = seedrandom(`${SEED}-cli`);
  const start = Date.now();
  const src = join(photoDir, 'astronaut.png');
  let runs = 0, failures = 0;
  while (Date.now() - start < BUDGET_MS || runs < FLAGS.length) {
    const [flag, valid] = FLAGS[runs % FLAGS.length]!;
    const value = rng() < 0.8 ? CLI_EXTREMES[Math.floor(rng() * CLI_EXTREMES.length)]! : valid;
    const out = join(tmp.dir, `out-${runs}.png`);
    let err = '';
    const code = await runEditCli([src, out, `${flag}=${value}`], { stdout: () => undefined, stderr: (s) => (err += s) });
    const what = `${flag}=${value}`;
    assert.ok([0, 1, 2].includes(code), `${what}: exit ${code}`);
    if (code === 0) {
      assert.ok(existsSync(out), `${what}: output written`);
    } else {
      failures++;
      assert.equal(err.trimEnd().split('\n').length, 1, `${what}: one line: ${err}`);
      assert.match(err, /^gankit edit: /, what);
      assert.doesNotMatch(err, /\n\s+at /, `${what}: no stack trace`);
      assert.equal(existsSync(out), false, `${what}: nothing written on failure`);
    }
    runs++;
  }
  assert.ok(failures > runs / 3, `${runs} runs, ${failures} failures`);
  t.diagnostic(`fuzz CLI: ${runs} runs, ${failures} one-line failures, the rest written`);
});
