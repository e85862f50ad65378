/**
 * gankit's wasm training kernels (src/backend/wasm) against tfjs' reference `cpu` backend:
 * conv2d gradients by input and filter, conv2dTranspose forward and its gradients, over strides 1-3,
 * 'same' / 'valid' / explicit padding, odd sizes, kernels 1-5, 1 and many channels, batch 1 and 64.
 * Both backends run in this process; data moves between them as plain arrays.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { registerWasmTrainingKernels, builtinWasmKernel, WASM_TRAINING_KERNELS } from '../../src/backend/wasm/register.js';
import { KernelScope, type WasmBackendLike } from '../../src/backend/wasm/kernel-scope.js';
import { transpose2d, swapBatchChannels } from '../../src/backend/wasm/layout.js';
import { values } from './values.js';

/** True when every gankit wasm kernel is the registered one. */
const wasmTrainingKernelsRegistered = () =>
  Object.entries(WASM_TRAINING_KERNELS).every(([name, fn]) => tf.getKernel(name, 'wasm')?.kernelFunc === fn);

type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
interface Case { x: [number, number, number, number]; k: [number, number, number, number]; s: number | [number, number]; pad: Pad }

const CASES: Case[] = [
  { x: [1, 5, 5, 1], k: [1, 1, 1, 1], s: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], k: [3, 3, 3, 4], s: 1, pad: 'same' },
  { x: [2, 7, 11, 5], k: [5, 5, 5, 2], s: 1, pad: 'valid' },
  { x: [3, 14, 14, 3], k: [4, 4, 3, 8], s: 2, pad: 'same' },
  { x: [2, 15, 13, 2], k: [3, 3, 2, 6], s: 2, pad: 'same' },
  { x: [2, 8, 8, 5], k: [3, 3, 5, 2], s: 2, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [1, 11, 7, 2], k: [5, 2, 2, 3], s: [3, 2], pad: 'valid' },
  { x: [3, 10, 13, 1], k: [5, 5, 1, 1], s: 3, pad: 'same' },
  { x: [2, 9, 9, 3], k: [2, 2, 3, 4], s: 3, pad: 2 },
  { x: [2, 9, 10, 3], k: [1, 1, 3, 7], s: 2, pad: 'valid' },
  { x: [1, 6, 6, 16], k: [4, 4, 16, 32], s: 2, pad: 'same' },
  { x: [2, 7, 7, 6], k: [7, 7, 6, 1], s: 1, pad: 'valid' }, // DCGAN score conv: one output position
  { x: [16, 5, 5, 3], k: [5, 5, 3, 2], s: 1, pad: 'valid' }, // one position, few filters for the batch
  { x: [4, 7, 7, 5], k: [7, 7, 5, 9], s: 1, pad: 'valid' }, // one position, many filters (DCGAN G's projection)
  { x: [64, 9, 9, 3], k: [3, 3, 3, 5], s: 3, pad: 'valid' }, // batch 64, stride 3
  { x: [64, 14, 14, 8], k: [4, 4, 8, 16], s: 2, pad: 'same' }, // batch 64, DCGAN D's second layer (narrow)
  // Conv2DBackpropInput runs one conv per stride phase when h, w divide by the strides and x has >= 8 channels:
  { x: [2, 8, 6, 8], k: [2, 2, 8, 4], s: 2, pad: [[0, 0], [3, 1], [2, 2], [0, 0]] }, // but not with padding beyond the taps
  { x: [2, 12, 9, 8], k: [5, 4, 8, 3], s: [3, 3], pad: 'same' }, // stride 3, uneven tap counts per phase
  { x: [2, 10, 8, 9], k: [3, 3, 9, 5], s: 2, pad: [[0, 0], [2, 0], [0, 1], [0, 0]] }, // odd kernel, asymmetric padding
  // Conv2DBackpropFilter as dy^T x im2col(x) when a patch has <= cout values:
  { x: [4, 28, 28, 1], k: [4, 4, 1, 64], s: 2, pad: 'same' }, // DCGAN D's first layer
  { x: [2, 11, 9, 2], k: [3, 3, 2, 20], s: 2, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] }, // padding beyond x on every side
  { x: [3, 8, 7, 2], k: [2, 3, 2, 12], s: [1, 2], pad: 'valid' },
];


/** conv2d's gradients by x and filter, conv2dTranspose's forward and its gradients by input and filter. */
function compute(c: Case, seed: number): Float32Array[] {
  return tf.tidy(() => {
    const x = values(c.x, seed) as tf.Tensor4D;
    const w = values(c.k, seed + 1) as tf.Tensor4D;
    const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad as 'same');
    const y = conv(x, w);
    const dy = values(y.shape, seed + 2);
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b).mul(dy).sum())([x, w]);
    // conv2dTranspose maps y's shape back to x's, with the same filter
    const tconv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, c.x, c.s, c.pad as 'same');
    const t = tconv(dy, w);
    const dt = values(c.x, seed + 3);
    const [tgx, tgw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tconv(a, b).mul(dt).sum())([dy, w]);
    return [gx!, gw!, t, tgx!, tgw!].map((q) => q.dataSync() as Float32Array);
  });
}

/** max |a - b| / max |b|. */
function relError(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let num = 0, den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return den === 0 ? num : num / den;
}

function numDataIds(): number {
  return (tf.engine().backend as unknown as { numDataIds(): number }).numDataIds();
}

before(async () => {
  const report = await initBackend({ backend: 'wasm' });
  assert.equal(report.backend, 'wasm');
});

test('initBackend(wasm) registers the training kernels and says wasm trains', async () => {
  assert.ok(wasmTrainingKernelsRegistered());
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'), 'Conv2DBackpropFilter is registered');
  assert.ok(builtinWasmKernel('Conv2DBackpropInput'), 'the built-in Conv2DBackpropInput was replaced and kept');
  const report = await initBackend({ backend: 'wasm' });
  assert.match(report.notes.join(' '), /wasm trains/);
  assert.doesNotMatch(report.notes.join(' '), /cannot train/);
  assert.deepEqual(registerWasmTrainingKernels(), ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Sum', 'Mean', 'Tile', 'LeakyRelu', 'BatchMatMul', 'Identity', 'Cast', 'Greater']); // idempotent
  assert.ok(wasmTrainingKernelsRegistered());
});

for (const [i, c] of CASES.entries()) {
  const name = `x ${c.x.join('x')} k ${c.k.slice(0, 2).join('x')} ${c.k[2]}->${c.k[3]} stride ${JSON.stringify(c.s)} pad ${JSON.stringify(c.pad)}`;
  test(`wasm agrees with cpu (rel. error < 1e-5): ${name}`, async () => {
    await tf.setBackend('wasm');
    const tensorsBefore = tf.memory().numTensors, idsBefore = numDataIds();
    const got = compute(c, 10 * i + 1);
    assert.equal(tf.memory().numTensors, tensorsBefore, 'no tensor leaked');
    assert.equal(numDataIds(), idsBefore, 'no wasm buffer leaked inside the kernels');
    await tf.setBackend('cpu');
    const want = compute(c, 10 * i + 1);
    await tf.setBackend('wasm');
    const labels = ['dL/dx', 'dL/dW', 'conv2dTranspose', 'conv2dTranspose dL/dinput', 'conv2dTranspose dL/dW'];
    for (const [j, label] of labels.entries()) {
      const err = relError(got[j]!, want[j]!);
      assert.ok(err < 1e-5, `${label}: relative error ${err.toExponential(2)}`);
      assert.ok(want[j]!.some((v) => v !== 0), `${label}: reference is not all zeros`);
    }
  });
}

/** Results of the ops behind the Sum, Mean and Tile kernels, over leading, trailing, negative and all axes and dtypes. */
function reductionsAndTiles(): { values: number[]; dtype: string; shape: number[] }[] {
  return tf.tidy(() => {
    const x = values([5, 3, 4, 6], 41), v = values([1, 1, 1, 6], 42), i = tf.tensor([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
    const outs = [
      tf.sum(x, [0, 1, 2]), tf.mean(x, [0, 1, 2]), tf.sum(x, [0, 1, 2], true), tf.mean(x, [1, 0], true), tf.sum(x, 0), tf.mean(x, -4),
      tf.sum(x, [1, 2]), tf.mean(x, 3), tf.sum(x), tf.mean(x), tf.sum(i, 0), tf.mean(i, 0), tf.sum(tf.ones([1, 4]), 0),
      tf.sum(values([7, 3, 5], 43), 0), tf.mean(values([3, 2, 9], 44), [0, 1]), tf.sum(values([4, 8], 45), 0), // row counts 7, 6, 4: the 4-row loop and its tail
      tf.tile(v, [5, 3, 4, 1]), tf.tile(x, [1, 2, 1, 3]), tf.tile(x, [2, 1, 1, 1]), tf.tile(i, [3, 2]), tf.tile(tf.tensor([true, false], [2], 'bool'), [3]),
      tf.tile(tf.ones([2, 3]), [0, 2]), tf.tile(tf.tensor1d([1.5, -2]), [5]),
    ];
    return outs.map((t) => ({ values: Array.from(t.dataSync()), dtype: t.dtype, shape: t.shape }));
  });
}

test('Sum, Mean (leading axes by matrix product, else built-in) and Tile (block copies) agree with cpu', async () => {
  const tensorsBefore = tf.memory().numTensors, idsBefore = numDataIds();
  const got = reductionsAndTiles();
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.equal(numDataIds(), idsBefore);
  await tf.setBackend('cpu');
  const want = reductionsAndTiles();
  await tf.setBackend('wasm');
  for (const [j, w] of want.entries()) {
    assert.deepEqual(got[j]!.shape, w.shape, `result ${j} shape`);
    assert.equal(got[j]!.dtype, w.dtype, `result ${j} dtype`);
    const err = relError(Float32Array.from(got[j]!.values), Float32Array.from(w.values));
    assert.ok(err < 1e-5, `result ${j}: relative error ${err} ${got[j]!.values.slice(0, 5)} vs ${w.values.slice(0, 5)}`);
  }
});

/** LeakyRelu (PReLU path and built-in fallbacks) and its gradient. */
function activations(): { values: number[]; dtype: string; shape: number[] }[] {
  return tf.tidy(() => {
    const x = values([3, 5, 4, 6], 51), y = values([3, 5, 4, 6], 52), dy = values([3, 5, 4, 6], 53);
    const i = tf.tensor([[-3, 2], [0, -1]], [2, 2], 'int32'), row = values([6], 54);
    const [g] = tf.grads((a: tf.Tensor) => tf.leakyRelu(a, 0.2).mul(dy).sum())([x]);
    const outs = [
      tf.leakyRelu(x, 0.2), tf.leakyRelu(x, 1.5), tf.leakyRelu(x, -0.5), tf.leakyRelu(i, 0.5), tf.leakyRelu(tf.tensor1d([0, -0, Number.NaN, -2]), 0.1),
      tf.leakyRelu(tf.scalar(-4), 0.25), tf.leakyRelu(tf.zeros([0, 3]), 0.2), tf.leakyRelu(x.reshape([360]), 0.3), g!,
      tf.greater(x, 0), tf.greater(x, tf.scalar(0.25)), tf.greater(x, y), tf.greater(x, row), tf.greater(tf.scalar(0.1), x), tf.greater(i, 0),
      tf.greater(tf.tensor1d([Number.NaN, 1, -1, 0, -0, 1e-45, Infinity, -Infinity, 2, 3, 0.5]), 0), tf.greater(x, tf.scalar(Number.NaN)), tf.greater(x.reshape([360]), tf.tensor1d([0.1])),
      tf.where(tf.greater(x, 0), x, y), tf.where(tf.greater(x, y), x, 0), tf.where(tf.tensor1d([true, false, true], 'bool'), tf.tensor1d([1, 2, 3], 'int32'), tf.tensor1d([4, 5, 6], 'int32')),
    ];
    return outs.map((t) => ({ values: Array.from(t.dataSync()), dtype: t.dtype, shape: t.shape }));
  });
}

test('LeakyRelu (XNNPACK PReLU, else built-in) and its gradient agree with cpu and leak nothing', async () => {
  const tensorsBefore = tf.memory().numTensors, idsBefore = numDataIds();
  const got = activations();
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.equal(numDataIds(), idsBefore);
  await tf.setBackend('cpu');
  const want = activations();
  await tf.setBackend('wasm');
  for (const [j, w] of want.entries()) {
    assert.deepEqual(got[j]!.shape, w.shape, `result ${j} shape`);
    assert.equal(got[j]!.dtype, w.dtype, `result ${j} dtype`);
    // PReLU multiplies by alpha in float32, the cpu backend in float64 before rounding: last-bit
    // differences; and PReLU maps -0 to +0 (equal as numbers, so relError ignores it)
    assert.deepEqual(got[j]!.values.map(Number.isNaN), w.values.map(Number.isNaN), `result ${j}: NaN positions`);
    const keep = (v: number[]) => Float32Array.from(v.filter((q) => !Number.isNaN(q)));
    const err = relError(keep(got[j]!.values), keep(w.values));
    assert.ok(err < 1e-6, `result ${j}: relative error ${err}`);
  }
});

test('Identity and same-dtype Cast share their input buffer (no copy); other casts agree with cpu; nothing leaks', async () => {
  const tensorsBefore = tf.memory().numTensors, idsBefore = numDataIds();
  const x = values([3, 4], 61);
  const c = x.clone(), f = tf.cast(x, 'float32');
  const i = tf.tidy(() => tf.cast(x.mul(10), 'int32')), b = tf.tidy(() => tf.cast(tf.tensor1d([0, 2, -1, 3]), 'bool'));
  const backend = tf.engine().backend as unknown as { refCount(dataId: object): number };
  assert.equal(c.dataId, x.dataId);
  assert.equal(f.dataId, x.dataId);
  assert.equal(backend.refCount(x.dataId), 3);
  const want = Array.from(x.dataSync());
  x.dispose();
  assert.deepEqual(Array.from(c.dataSync()), want, 'a clone outlives its source');
  assert.deepEqual(Array.from(f.dataSync()), want);
  const got = { i: Array.from(i.dataSync()), b: Array.from(b.dataSync()) };
  tf.dispose([c, f, i, b]);
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.equal(numDataIds(), idsBefore);
  await tf.setBackend('cpu');
  const wantCast = tf.tidy(() => ({ i: Array.from(tf.cast(tf.tensor(want, [3, 4]).mul(10), 'int32').dataSync()), b: Array.from(tf.cast(tf.tensor1d([0, 2, -1, 3]), 'bool').dataSync()) }));
  await tf.setBackend('wasm');
  assert.deepEqual(got.i, wantCast.i);
  assert.deepEqual(got.b.map(Boolean), wantCast.b.map(Boolean));
});

test('composed transposes (layout.ts) equal the one-pass ones on large and odd shapes', () => {
  const ids = numDataIds();
  const scope = new KernelScope(tf.engine().backend as unknown as WasmBackendLike);
  const info = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
  const read = (t: tf.TensorInfo) => tf.engine().backend.readSync(t.dataId) as Float32Array;
  try {
    for (const [r, c] of [[12544, 64], [64, 12544], [6272, 100], [64, 6272], [3, 5], [1031, 521], [1 << 19, 1]]) {
      const x = values([r!, c!], r! + c!);
      assert.deepEqual(read(transpose2d(scope, info(x), r!, c!)), read(scope.transpose(info(x), [1, 0])), `${r} x ${c}`);
      x.dispose();
    }
    for (const shape of [[64, 14, 14, 64], [64, 28, 28, 1], [2, 3, 4, 5], [96, 13, 11, 40]]) {
      const x = values(shape, shape[3]!);
      const got = swapBatchChannels(scope, info(x));
      assert.deepEqual(got.shape, [shape[3], shape[1], shape[2], shape[0]]);
      assert.deepEqual(read(got), read(scope.transpose(info(x), [3, 1, 2, 0])), `${shape}`);
      x.dispose();
    }
  } finally {
    scope.dispose();
  }
  assert.equal(numDataIds(), ids);
});

/** Matrix products with transposed operands (XNNPACK path) and the built-in cases, and a dense layer's gradients. */
function products(): { values: number[]; shape: number[] }[] {
  return tf.tidy(() => {
    const a = values([6, 9], 71), b = values([9, 5], 72), bt = values([5, 9], 73), at = values([9, 6], 74);
    const w = values([12, 7], 75), x = values([16, 12], 76), dy = values([16, 7], 77);
    const [gx, gw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D).mul(dy).sum())([x, w]);
    const shared = values([4, 6], 78); // one buffer read as [4, 6] and [6, 4]: no stale operator may mix them up
    const outs = [
      tf.matMul(a, bt, false, true), tf.matMul(at, b, true, false), tf.matMul(at, bt, true, true), tf.matMul(a, b),
      tf.matMul(a.reshape([1, 6, 9]), bt.reshape([1, 5, 9]), false, true), tf.matMul(at.reshape([1, 1, 9, 6]), b, true, false),
      tf.matMul(values([3, 4, 5], 79), values([3, 6, 5], 80), false, true), // batched: built-in
      gx!, gw!,
      tf.matMul(values([2, 6], 81), shared.reshape([4, 6]), false, true), tf.matMul(values([2, 4], 82), shared.reshape([6, 4]), false, true),
      tf.matMul(values([2, 6], 81), shared.reshape([4, 6]), false, true),
    ];
    return outs.map((t) => ({ values: Array.from(t.dataSync()), shape: t.shape }));
  });
}

test('BatchMatMul with transposed operands (XNNPACK, else built-in) agrees with cpu and leaks nothing', async () => {
  const tensorsBefore = tf.memory().numTensors, idsBefore = numDataIds();
  const got = products();
  assert.equal(tf.memory().numTensors, tensorsBefore);
  assert.equal(numDataIds(), idsBefore);
  await tf.setBackend('cpu');
  const want = products();
  await tf.setBackend('wasm');
  for (const [j, w] of want.entries()) {
    assert.deepEqual(got[j]!.shape, w.shape, `product ${j} shape`);
    const err = relError(Float32Array.from(got[j]!.values), Float32Array.from(w.values));
    assert.ok(err < 1e-5, `product ${j}: relative error ${err}`);
  }
  assert.throws(() => tf.tidy(() => tf.matMul(values([3, 4], 1), values([5, 4], 2), true, true)), /inner shapes/);
});

test('the new Conv2DBackpropInput agrees with the built-in wasm kernel it replaces', () => {
  const builtin = builtinWasmKernel('Conv2DBackpropInput')!;
  const dy = values([2, 7, 7, 6], 91), w = values([4, 4, 3, 6], 92);
  const attrs = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: [2, 14, 14, 3] };
  const mine = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  const info = builtin({ inputs: { dy, filter: w }, backend: tf.engine().backend, attrs: attrs as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
  const theirs = tf.engine().makeTensorFromTensorInfo(info);
  assert.ok(relError(mine.dataSync() as Float32Array, theirs.dataSync() as Float32Array) < 1e-5);
  tf.dispose([dy, w, mine, theirs]);
});

test('KernelScope.matmul multiplies on XNNPACK, refuses a b buffer it did not make, and frees its buffers', () => {
  const idsBefore = numDataIds();
  const a = values([5, 7], 61), b = values([7, 3], 62);
  const want = tf.matMul(a, b);
  const scope = new KernelScope(tf.engine().backend as unknown as WasmBackendLike);
  const info = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: t.shape, dtype: t.dtype });
  assert.throws(() => scope.matmul(info(a), info(b)), /needs a b buffer made in this scope/);
  const m = scope.keep(scope.matmul(info(a), scope.run('Identity', { x: info(b) })));
  scope.dispose();
  const got = tf.engine().makeTensorFromTensorInfo(m);
  assert.deepEqual(got.shape, [5, 3]);
  assert.ok(relError(got.dataSync() as Float32Array, want.dataSync() as Float32Array) < 1e-6);
  tf.dispose([a, b, want, got]);
  assert.equal(numDataIds(), idsBefore);
});

test('unsupported options are clear errors and leave no tensors behind', () => {
  const before = tf.memory().numTensors, idsBefore = numDataIds();
  const x = values([1, 8, 8, 2], 1), dy = values([1, 8, 8, 3], 2), w = values([3, 3, 2, 3], 3);
  const base = { strides: 1, pad: 'same', dimRoundingMode: undefined };
  assert.throws(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
    { ...base, dataFormat: 'NCHW', filterShape: [3, 3, 2, 3] } as unknown as tf.NamedAttrMap), /Conv2DBackpropFilter on wasm supports dataFormat 'NHWC' only/);
  assert.throws(() => tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w },
    { ...base, dataFormat: 'NCHW', inputShape: [1, 8, 8, 2] } as unknown as tf.NamedAttrMap), /Conv2DBackpropInput on wasm supports dataFormat 'NHWC' only/);
  assert.throws(() => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy },
    { ...base, dataFormat: 'NHWC', dilations: 2, filterShape: [3, 3, 2, 3] } as unknown as tf.NamedAttrMap), /supports dilations 1 only/);
  assert.equal(numDataIds(), idsBefore + 3, 'a failed kernel frees what it made');
  // tfjs itself refuses stride > 1 with dilation > 1
  assert.throws(() => tf.tidy(() => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, 'same', 'NHWC', 2)), /strides or dilations must be 1/);
  tf.dispose([x, dy, w]);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(numDataIds(), idsBefore);
});

test('gradients of dilated convolutions stay a clear tfjs error on wasm', () => {
  // (tfjs' failed backward pass keeps the tensors its tape saved, on every backend, so no leak check here)
  const x = values([1, 8, 8, 2], 1), w = values([3, 3, 2, 3], 3);
  assert.throws(() => tf.tidy(() => tf.grad((a: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, w as tf.Tensor4D, 1, 'same', 'NHWC', 2).sum())(x)),
    /dilation rates greater than 1/);
  tf.dispose([x, w]);
});
