import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { tensorBundle, tensorStats, TENSOR_MIME, type TensorPayload } from '../../src/display/index.js';
import { GankitError } from '../../src/util/errors.js';
import { noLeak, png } from './helpers.js';

before(async () => { await initBackend(); });

const payload = (b: Record<string, unknown>): TensorPayload => b[TENSOR_MIME] as TensorPayload;

test('a bundle has exactly the gankit tensor type, image/png and text/plain', async () => {
  const t = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
  const b = await noLeak(() => tensorBundle(t, { name: 'x' }));
  assert.deepEqual(Object.keys(b).sort(), [TENSOR_MIME, 'image/png', 'text/plain'].sort());
  const p = payload(b);
  assert.equal(p.version, 1);
  assert.deepEqual(p.shape, [2, 3]);
  assert.equal(p.dtype, 'float32');
  assert.equal(p.name, 'x');
  const { std, ...rest } = p.stats;
  assert.deepEqual(rest, { min: 1, max: 6, mean: 3.5, nanCount: 0, infCount: 0, size: 6 });
  assert.ok(Math.abs(std! - Math.sqrt(35 / 12)) < 1e-6, 'population std (float32)');
  assert.equal(p.preview.kind, 'heatmap');
  assert.deepEqual([p.preview.width, p.preview.height], [3, 2]);
  assert.deepEqual(p.preview.values, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(p.preview.range, [1, 6]);
  assert.deepEqual(p.slice, [[0, 2, 1], [0, 3, 1]]);
  const grey = await png(p.preview.png);
  assert.deepEqual([grey.width, grey.height, grey.channels], [3, 2, 1]);
  assert.equal(grey.data[0], 0);
  assert.equal(grey.data[5], 255);
  const fallback = await png(b['image/png']);
  assert.ok(fallback.width >= 3 && fallback.width <= 256 && fallback.width % 3 === 0, 'upscaled by an integer factor');
  assert.match(b['text/plain'], /^Tensor float32 \[2, 3\] "x"/);
  assert.match(b['text/plain'], /\[\[1, 2, 3\],/, 'small tensors list their values');
  t.dispose();
});

test('statistics count NaN and Inf and ignore them in min/max/mean/std', async () => {
  const t = tf.tensor1d([1, NaN, Infinity, -Infinity, 3]);
  const s = await noLeak(() => tensorStats(t));
  assert.deepEqual(s, { min: 1, max: 3, mean: 2, std: 1, nanCount: 1, infCount: 2, size: 5 });
  const p = payload(await tensorBundle(t));
  assert.deepEqual(p.preview.values, [1, null, null, null, 3]);
  const all = tf.tensor1d([NaN, NaN]);
  assert.deepEqual(tensorStats(all), { min: null, max: null, mean: null, std: null, nanCount: 2, infCount: 0, size: 2 });
  await png(payload(await tensorBundle(all)).preview.png);
  t.dispose(); all.dispose();
});

test('int32 and bool tensors, scalars and empty tensors', async () => {
  const i = tf.tensor1d([1, 2, 3], 'int32');
  assert.equal(payload(await tensorBundle(i)).dtype, 'int32');
  const b = tf.tensor1d([true, false], 'bool');
  assert.deepEqual(payload(await tensorBundle(b)).stats.max, 1);
  const s = tf.scalar(7);
  const ps = payload(await tensorBundle(s));
  assert.deepEqual([ps.preview.width, ps.preview.height], [1, 1]);
  assert.deepEqual(ps.slice, []);
  const e = tf.zeros([0, 3]);
  const pe = payload(await noLeak(() => tensorBundle(e)));
  assert.equal(pe.stats.size, 0);
  assert.equal(pe.stats.min, null);
  assert.equal(pe.preview.width, 0);
  await png(pe.preview.png);
  [i, b, s, e].forEach((x) => x.dispose());
});

test('NHWC batches preview item 0 and offer one alternative slice per item (at most 16)', async () => {
  const t = tf.randomNormal([20, 28, 28, 1]);
  const p = payload(await noLeak(() => tensorBundle(t)));
  assert.equal(p.preview.kind, 'heatmap');
  assert.deepEqual(p.slice, [0, [0, 28, 1], [0, 28, 1], 0]);
  assert.equal(p.slices!.length, 16);
  assert.deepEqual(p.slices![3]!.slice, [3, [0, 28, 1], [0, 28, 1], 0]);
  assert.equal(p.slices![3]!.label, '[3, :, :, 0]');
  // The alternatives share the main preview's colour range and item 0 equals the main preview.
  assert.deepEqual(p.slices![0]!.preview.values, p.preview.values);
  assert.deepEqual(p.slices![5]!.preview.range, p.preview.range);
  const noAlt = payload(await tensorBundle(t, { slices: 0, index: [7, 0] }));
  assert.equal(noAlt.slices, undefined);
  assert.deepEqual(noAlt.slice, [7, [0, 28, 1], [0, 28, 1], 0]);
  const expected = Array.from(t.slice([7, 0, 0, 0], [1, 28, 28, 1]).dataSync()).slice(0, 5);
  noAlt.preview.values!.slice(0, 5).forEach((v, k) => assert.ok(Math.abs(v! - expected[k]!) < 1e-3));
  t.dispose();
});

test('channels-last images preview as RGB(A) with an auto-detected range', async () => {
  const rgb = tf.tensor3d([[[1, 0, 0], [0, 1, 0]], [[0, 0, 1], [1, 1, 1]]]);
  const p = payload(await tensorBundle(rgb));
  assert.equal(p.preview.kind, 'image');
  assert.deepEqual(p.preview.range, [0, 1]);
  assert.equal(p.preview.values, undefined);
  const img = await png(p.preview.png);
  assert.deepEqual([img.width, img.height, img.channels], [2, 2, 3]);
  assert.deepEqual([...img.data.subarray(0, 6)], [255, 0, 0, 0, 255, 0]);
  const tanh = tf.tensor4d([-1, 0, 1, 1, 1, 1, 0.5, -0.5, 0, 0, 0, 0], [1, 2, 2, 3]);
  assert.deepEqual(payload(await tensorBundle(tanh)).preview.range, [-1, 1]);
  const bytes = tf.tensor3d([0, 128, 255, 255], [1, 1, 4], 'int32');
  const pb = payload(await tensorBundle(bytes));
  assert.deepEqual(pb.preview.range, [0, 255]);
  assert.equal((await png(pb.preview.png)).channels, 4);
  const forced = payload(await tensorBundle(rgb, { mode: 'heatmap' }));
  assert.equal(forced.preview.kind, 'heatmap');
  assert.deepEqual(forced.slices!.map((s) => s.label), ['[:, :, 0]', '[:, :, 1]', '[:, :, 2]']);
  [rgb, tanh, bytes].forEach((x) => x.dispose());
});

test('large tensors are strided to at most 256 px and the payload stays bounded', async () => {
  const t = tf.randomUniform([1000, 3000]);
  const b = await noLeak(() => tensorBundle(t));
  const p = payload(b);
  assert.deepEqual(p.preview.stride, [4, 12]);
  assert.deepEqual([p.preview.width, p.preview.height], [250, 250]);
  assert.deepEqual(p.slice, [[0, 1000, 4], [0, 3000, 12]]);
  assert.ok(p.preview.values!.length === 250 * 250);
  assert.ok(JSON.stringify(b).length < 2_000_000, `${JSON.stringify(b).length} chars`);
  const f = await png(b['image/png']);
  assert.ok(f.width <= 256 && f.height <= 256);
  const batch = tf.randomUniform([16, 512, 512, 3]);
  const bb = await noLeak(() => tensorBundle(batch));
  assert.ok(JSON.stringify(bb).length <= 2_000_000 + 300_000, 'bounded even for 16 big alternatives');
  assert.ok(payload(bb).preview.width <= 256);
  const small = payload(await tensorBundle(t, { maxSize: 64 }));
  assert.ok(small.preview.width <= 64 && small.preview.height <= 64);
  t.dispose(); batch.dispose();
});

test('axes and index choose the previewed slice; rank 1 previews a row', async () => {
  const t = tf.range(0, 24).reshape([2, 3, 4]);
  const p = payload(await tensorBundle(t, { axes: [0, 2], index: [1] }));
  assert.deepEqual(p.slice, [[0, 2, 1], 1, [0, 4, 1]]);
  assert.deepEqual(p.preview.values, [4, 5, 6, 7, 16, 17, 18, 19]);
  const rev = payload(await tensorBundle(t, { axes: [2, 0], index: [-1] }));
  assert.deepEqual([rev.preview.width, rev.preview.height], [2, 4]);
  assert.deepEqual(rev.preview.values!.slice(0, 4), [8, 20, 9, 21]);
  const v = payload(await tensorBundle(tf.range(0, 10)));
  assert.deepEqual([v.preview.width, v.preview.height], [10, 1]);
  t.dispose();
});

test('invalid input throws GankitError synchronously, before any work', async () => {
  const t = tf.zeros([2, 2]);
  assert.throws(() => tensorBundle('x' as never), GankitError);
  assert.throws(() => tensorBundle(t, { maxSize: 1000 }), /Expected integer in \[1, 256\] for maxSize/);
  assert.throws(() => tensorBundle(t, { slices: 17 }), GankitError);
  assert.throws(() => tensorBundle(t, { range: [1, 0] }), GankitError);
  assert.throws(() => tensorBundle(t, { axes: [0, 0] }), GankitError);
  assert.throws(() => tensorBundle(t, { nrow: 3 } as never), /Expected one of 'name', 'mode', 'axes', 'index', 'range', 'maxSize', 'slices' for tensor options key but received "nrow"/);
  assert.throws(() => tensorBundle(tf.zeros([2, 2, 2]), { index: [5] }), GankitError);
  assert.throws(() => tensorBundle(tf.tensor(['a'])), /numeric tensor/);
  t.dispose();
  assert.throws(() => tensorBundle(t), /disposed/);
});

test('the tensor may be disposed right after the call: data is read synchronously', async () => {
  const t = tf.ones([3, 3]);
  const pending = tensorBundle(t);
  t.dispose();
  assert.equal(payload(await pending).stats.mean, 1);
});
