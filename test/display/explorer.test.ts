import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import {
  EXPLORER_LIMITS, EXPLORER_MIME, JUPYTER_DISPLAY, exploreLatent, explorerBundle, richBundle, type ExplorerPayload,
} from '../../src/display/index.js';
import { generate, sampleNoise } from '../../src/gan/sample.js';
import { loadPretrained } from '../../src/gan/pretrained.js';
import { GankitError } from '../../src/util/errors.js';
import { noLeak, png } from './helpers.js';

let G: tf.LayersModel;
let C: tf.LayersModel;
before(async () => {
  await initBackend();
  G = await loadPretrained('mnist-dcgan');
  C = await loadPretrained('mnist-conditional');
});
after(() => { G.dispose(); C.dispose(); });

const payload = (b: Record<string, unknown>): ExplorerPayload => b[EXPLORER_MIME] as ExplorerPayload;

/** The generator the browser gets: the payload's topology and weights read back by tfjs' deserialiser. */
async function reload(p: ExplorerPayload): Promise<tf.LayersModel> {
  const bytes = Buffer.from(p.model.weights, 'base64');
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: p.model.topology, weightSpecs: p.model.weightSpecs,
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  }));
}

test('an unconditional generator: weights, anchors from the seed, directions, PNG of the anchors, text', async () => {
  const b = await noLeak(() => explorerBundle(G, { seed: 5, title: 'MNIST' }));
  assert.deepEqual(Object.keys(b).sort(), [EXPLORER_MIME, 'image/png', 'text/plain'].sort());
  const p = payload(b);
  assert.equal(p.version, 1);
  assert.equal(p.latentDim, 100);
  assert.deepEqual(p.image, { width: 28, height: 28, channels: 1, range: [-1, 1] });
  assert.equal(p.classes, undefined);
  assert.equal(p.label, undefined);
  assert.deepEqual([p.samples, p.spread, p.truncation, p.interpolation, p.generatorName, p.seed, p.title], [16, 0.35, null, 'spherical', 'G', 5, 'MNIST']);
  // Anchors: exactly sampleNoise(4, 100, seed), so a learner can reproduce them in a cell.
  const z = sampleNoise(4, 100, 5);
  assert.deepEqual(p.anchors, z.arraySync());
  // Directions: orthonormal.
  assert.equal(p.directions.length, 3);
  for (const [i, u] of p.directions.entries()) {
    for (const [j, v] of p.directions.entries()) {
      const dot = u.reduce((a, x, k) => a + x * v[k]!, 0);
      assert.ok(Math.abs(dot - (i === j ? 1 : 0)) < 1e-9, `d${i}.d${j} = ${dot}`);
    }
  }
  // Weights: 347,264 float32 parameters plus BatchNorm statistics; the deserialised copy generates the same images.
  assert.equal(Buffer.from(p.model.weights, 'base64').length, p.model.weightSpecs.reduce((n, s) => n + s.shape.reduce((a, c) => a * c, 1) * 4, 0));
  assert.ok(p.model.weightSpecs.every((s) => s.dtype === 'float32'));
  const copy = await reload(p);
  const [a, c] = [generate(G, z), generate(copy, z)];
  assert.ok(tf.max(tf.abs(tf.sub(a, c))).dataSync()[0]! < 1e-6, 'same images from the payload model');
  tf.dispose([a, c, z]);
  copy.dispose();
  // The fallback: the four anchors as a 2x2 grid (28 px cells, 2 px padding), enlarged.
  const grid = await png(b['image/png']);
  const f = grid.width / (2 * 30 + 2);
  assert.ok(Number.isInteger(f) && grid.height === grid.width, `${grid.width}x${grid.height}`);
  assert.match(b['text/plain'], /^MNIST\nLatent explorer: .*347,264 parameters .*z of length 100, 28x28x1 images\n {2}anchors: sampleNoise\(4, 100, 5\)/);
});

test('a conditional generator carries its class names and label; the anchors image shows that class', async () => {
  const b = await noLeak(() => explorerBundle(C, { label: 7, directions: 0, samples: 9 }));
  const p = payload(b);
  assert.deepEqual(p.classes, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  assert.equal(p.label, 7);
  assert.deepEqual(p.directions, []);
  assert.equal(p.samples, 9);
  assert.match(b['text/plain'], /10 classes: 0, 1, 2/);
  const named = payload(await explorerBundle(C, { classes: ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'] }));
  assert.equal(named.classes![3], 'three');
  const copy = await reload(p);
  assert.deepEqual(copy.inputs.map((t) => t.shape), [[null, 100], [null, 1]]);
  copy.dispose();
});

test('exploreLatent reads the generator at once (it may be disposed before display) and self-displays', async () => {
  const g = await loadPretrained('fashion-mnist-dcgan');
  const before = tf.memory().numTensors;
  const x = exploreLatent(g, { seed: 1, generatorName: 'F' });
  g.dispose();
  const b = await x[JUPYTER_DISPLAY]();
  assert.equal(payload(b).generatorName, 'F');
  assert.ok(tf.memory().numTensors < before, 'the generator was freed; the explorer kept no tensors');
  assert.equal(payload((await richBundle(x))!).seed, 1);
});

test('bad options and generators: a GankitError naming the parameter and the range', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ seed: 1.5 }, /for seed but received 1.5/],
    [{ directions: 9 }, /integer in \[0, 8\] for directions but received 9/],
    [{ samples: 0 }, /integer in \[1, 64\] for samples/],
    [{ spread: -1 }, /number in \[0, 2\] for spread/],
    [{ truncation: 0 }, /number in \(0, 4\] or null for truncation/],
    [{ interpolation: 'cubic' }, /one of 'spherical', 'linear' for interpolation/],
    [{ range: [1, 0] }, /for range/],
    [{ generatorName: 'my gen' }, /JavaScript identifier .* for generatorName/],
    [{ maxBytes: 64 * 1024 * 1024 }, /integer in \[1, 16777216\] for maxBytes/],
    [{ nrow: 4 }, /Expected one of 'seed', .* for exploreLatent options key but received "nrow"/],
    [{ label: 3 }, /undefined for an unconditional generator for label/],
    [{ classes: ['a'] }, /undefined for an unconditional generator for classes/],
  ];
  for (const [opts, re] of cases) {
    assert.throws(() => exploreLatent(G, opts), (e: unknown) => e instanceof GankitError && re.test(e.message), JSON.stringify(opts));
  }
  assert.throws(() => exploreLatent(C, { label: 10 }), /integer class index in \[0, 9\] for label but received 10/);
  assert.throws(() => exploreLatent(C, { classes: ['a', 'b'] }), /array of 10 class names .* for classes/);
  assert.throws(() => exploreLatent({} as tf.LayersModel), /a tf.LayersModel .* for generator/);
});

test('size bounds: weights beyond maxBytes, and layers the browser may not run, are refused with the limit named', () => {
  // 1.39 MB of weights against a 1 MB cap.
  assert.throws(() => exploreLatent(G, { maxBytes: 1024 * 1024 }), (e: unknown) =>
    e instanceof GankitError && /too large for the latent explorer: 1\.\d+ MiB of weights .* the limit is maxBytes = 1\.00 MiB/.test(e.message));
  // A generator over the default 16 MiB limit (4.5 M parameters, 17.9 MB).
  const nz = 64;
  const big = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [nz], units: 1100, useBias: false }),
    tf.layers.dense({ units: 4000, useBias: false }),
    tf.layers.reshape({ targetShape: [50, 80, 1] }),
  ] });
  assert.throws(() => exploreLatent(big), new RegExp(`16.00 MiB`));
  big.dispose();
  // A layer outside the allowlist.
  const odd = tf.sequential({ layers: [
    tf.layers.dense({ inputShape: [8], units: 16 }),
    tf.layers.gaussianNoise({ stddev: 0.1 }),
    tf.layers.reshape({ targetShape: [4, 4, 1] }),
  ] });
  assert.throws(() => exploreLatent(odd), /cannot run layer .*\(GaussianNoise\) in the browser; allowed layer classes: InputLayer, Dense/);
  odd.dispose();
  // Not an image generator.
  const flat = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 16 })] });
  assert.throws(() => exploreLatent(flat), /one image output \[n, H, W, 1\|3\|4\].* for generator but received \[\[null,16\]\]/);
  flat.dispose();
  assert.equal(EXPLORER_LIMITS.weightBytes, 16 * 1024 * 1024);
});
