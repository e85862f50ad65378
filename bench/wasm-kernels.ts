/**
 * Time gankit's wasm kernels (src/backend/wasm) against the wasm backend's built-in ones, on the
 * DCGAN's layer shapes (batch 64). Medians of a few runs, in one process; results only printed.
 * Each cell gives wall-clock ms and process CPU ms: on a loaded machine the CPU time is the steadier
 * figure for one thread (with --threads 2 it counts both threads' work).
 *
 * Run: node --import tsx bench/wasm-kernels.ts   [--runs N] [--threads N (default 1)]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { builtinWasmKernel } from '../src/backend/wasm/register.js';
import { startWasmBackend } from '../src/backend/wasm/threads.js';

const arg = (name: string, fallback: number) => { const i = process.argv.indexOf(name); return i >= 0 ? Number(process.argv[i + 1]) : fallback; };
const RUNS = arg('--runs', 5);
const threads = await startWasmBackend(arg('--threads', 1));
await initBackend({ backend: 'wasm' });
const backend = tf.engine().backend;

/** Median wall and CPU milliseconds of `runs` calls after one warm-up. */
function median(fn: () => void, runs: number): { wall: number; cpu: number } {
  fn();
  const wall: number[] = [], cpu: number[] = [];
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[runs >> 1]!;
  return { wall: mid(wall), cpu: mid(cpu) };
}
const fmt = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(1)} (cpu ${t.cpu.toFixed(1)})`;

/** One call of a kernel (gankit's when fn is undefined), reading its result back. */
function call(name: string, fn: tf.KernelFunc | undefined, inputs: Record<string, tf.Tensor>, attrs: object): () => void {
  return () => {
    const t = fn
      ? tf.engine().makeTensorFromTensorInfo(fn({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo)
      : (tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor);
    t.dataSync();
    t.dispose();
  };
}

const x = tf.randomNormal([64, 14, 14, 64]), dy = tf.randomNormal([64, 7, 7, 128]), w = tf.randomNormal([4, 4, 64, 128]);
const v = tf.randomNormal([1, 1, 1, 128]), zero = tf.scalar(0);
const w3 = tf.randomNormal([4, 4, 1, 64]), img = tf.randomNormal([64, 28, 28, 1]);
const z = tf.randomNormal([64, 1, 1, 100]), w1 = tf.randomNormal([7, 7, 128, 100]), x1 = tf.randomNormal([64, 7, 7, 128]);
const dd = tf.randomNormal([64, 1024]), dw = tf.randomNormal([784, 1024]), dx = tf.randomNormal([64, 784]);
const conv = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC' };
const valid = { strides: 1, pad: 'valid', dataFormat: 'NHWC' };
const rows: [string, string, Record<string, tf.Tensor>, object][] = [
  ['Conv2DBackpropInput', 'dy 64x7x7x128, filter 4x4x64x128, stride 2 (= conv2dTranspose 7 -> 14)', { dy, filter: w }, { ...conv, inputShape: [64, 14, 14, 64] }],
  ['Conv2DBackpropFilter', 'x 64x14x14x64, dy 64x7x7x128, stride 2', { x, dy }, { ...conv, filterShape: [4, 4, 64, 128] }],
  ['Conv2D', 'forward of the same layer, for scale', { x, filter: w }, { ...conv, dilations: [1, 1] }],
  ['Conv2DBackpropInput', 'dy 64x14x14x64, filter 4x4x1x64, stride 2 (G\'s last layer 14 -> 28)', { dy: x, filter: w3 }, { ...conv, inputShape: [64, 28, 28, 1] }],
  ['Conv2DBackpropFilter', 'x 64x28x28x1, dy 64x14x14x64, stride 2 (D\'s first layer)', { x: img, dy: x }, { ...conv, filterShape: [4, 4, 1, 64] }],
  ['Conv2DBackpropInput', 'dy 64x1x1x100, filter 7x7x128x100, valid (G\'s first layer 1 -> 7)', { dy: z, filter: w1 }, { ...valid, inputShape: [64, 7, 7, 128] }],
  ['Conv2DBackpropFilter', 'x 64x7x7x128, dy 64x1x1x100, valid (its filter gradient)', { x: x1, dy: z }, { ...valid, filterShape: [7, 7, 128, 100] }],
  ['BatchMatMul', 'dy 64x1024 x W^T, W 784x1024 (a dense layer\'s input gradient)', { a: dd, b: dw }, { transposeA: false, transposeB: true }],
  ['BatchMatMul', 'x^T 784x64 x dy 64x1024 (its weight gradient)', { a: dx, b: dd }, { transposeA: true, transposeB: false }],
  ['LeakyRelu', '64x14x14x64, alpha 0.2', { x }, { alpha: 0.2 }],
  ['Greater', '64x14x14x64 > 0 (LeakyRelu gradient mask)', { a: x, b: zero }, {}],
  ['Identity', '64x14x14x64 (clone of a tensor a gradient saves)', { x }, {}],
  ['Tile', '1x1x1x128 -> 64x7x7x128 (BatchNorm gradient)', { x: v }, { reps: [64, 7, 7, 1] }],
  ['Sum', '64x14x14x64 over [0, 1, 2]', { x }, { axis: [0, 1, 2], keepDims: false }],
  ['Mean', '64x14x14x64 over [0, 1, 2]', { x }, { axis: [0, 1, 2], keepDims: false }],
];
console.log(`wasm kernels (${threads} thread${threads > 1 ? 's' : ''}), medians of ${RUNS} runs: wall ms (process CPU ms)`);
for (const [name, what, inputs, attrs] of rows) {
  const mine = median(call(name, undefined, inputs, attrs), RUNS);
  const builtin = builtinWasmKernel(name);
  const theirs = builtin && name !== 'Conv2D' ? median(call(name, builtin, inputs, attrs), Math.max(1, Math.min(RUNS, 3))) : undefined;
  const label = name === 'Conv2D' ? 'built-in' : builtin ? 'gankit' : 'gankit (no built-in)';
  console.log(`${name.padEnd(22)} ${what.padEnd(72)} ${label} ${fmt(mine)}` + (theirs === undefined ? '' : `  built-in ${fmt(theirs)}  (${(theirs.wall / mine.wall).toFixed(1)}x)`));
}
tf.dispose([x, dy, w, v, z, w1, x1, w3, img, zero, dd, dw, dx]);
