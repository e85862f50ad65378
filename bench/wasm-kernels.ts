/**
 * Time gankit's wasm kernels (src/backend/wasm) against the wasm backend's built-in ones, on the
 * DCGAN's main layer shapes (batch 64). Medians of a few runs, in one process; results only printed.
 *
 * Run: node --import tsx bench/wasm-kernels.ts   [--runs N]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { builtinWasmKernel } from '../src/backend/wasm/register.js';

const i = process.argv.indexOf('--runs');
const RUNS = i >= 0 ? Number(process.argv[i + 1]) : 5;

await initBackend({ backend: 'wasm' });
const backend = tf.engine().backend;

/** Median milliseconds of `runs` calls after one warm-up. */
function median(fn: () => void, runs: number): number {
  fn();
  const t: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b)[runs >> 1]!;
}

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
const v = tf.randomNormal([1, 1, 1, 128]);
const conv = { strides: [2, 2], pad: 'same', dataFormat: 'NHWC' };
const rows: [string, string, Record<string, tf.Tensor>, object][] = [
  ['Conv2DBackpropInput', 'dy 64x7x7x128, filter 4x4x64x128, stride 2 (= conv2dTranspose 7 -> 14)', { dy, filter: w }, { ...conv, inputShape: [64, 14, 14, 64] }],
  ['Conv2DBackpropFilter', 'x 64x14x14x64, dy 64x7x7x128, stride 2', { x, dy }, { ...conv, filterShape: [4, 4, 64, 128] }],
  ['Conv2D', 'forward of the same layer, for scale', { x, filter: w }, { ...conv, dilations: [1, 1] }],
  ['Tile', '1x1x1x128 -> 64x7x7x128 (BatchNorm gradient)', { x: v }, { reps: [64, 7, 7, 1] }],
  ['Sum', '64x14x14x64 over [0, 1, 2]', { x }, { axis: [0, 1, 2], keepDims: false }],
  ['Mean', '64x14x14x64 over [0, 1, 2]', { x }, { axis: [0, 1, 2], keepDims: false }],
];
console.log(`wasm kernels, medians of ${RUNS} runs (ms)`);
for (const [name, what, inputs, attrs] of rows) {
  const mine = median(call(name, undefined, inputs, attrs), RUNS);
  const builtin = builtinWasmKernel(name);
  const theirs = builtin && name !== 'Conv2D' ? median(call(name, builtin, inputs, attrs), Math.max(1, Math.min(RUNS, 3))) : undefined;
  const label = name === 'Conv2D' ? 'built-in' : builtin ? 'gankit' : 'gankit (no built-in)';
  console.log(`${name.padEnd(22)} ${what.padEnd(70)} ${label} ${mine.toFixed(2)}` + (theirs === undefined ? '' : `  built-in ${theirs.toFixed(2)}  (${(theirs / mine).toFixed(1)}x)`));
}
tf.dispose([x, dy, w, v]);
