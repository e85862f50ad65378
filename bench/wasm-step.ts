/**
 * One DCGAN training step (28x28 MNIST model, batch 64) on the wasm backend only: medians of wall and
 * process CPU ms, and with --profile the kernels of one step grouped by name and input shapes.
 *
 * --builtin A,B puts the wasm backend's own kernels A, B back in place of gankit's (before/after comparisons).
 *
 * Run: node --import tsx bench/wasm-step.ts   [--runs N (default 9)] [--threads N (default 1)] [--profile] [--builtin A,B]
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { startWasmBackend } from '../src/backend/wasm/threads.js';
import { builtinWasmKernel } from '../src/backend/wasm/register.js';
import { createGan, GanTrainer } from '../src/gan/index.js';

const arg = (name: string, fallback: number) => { const i = process.argv.indexOf(name); return i >= 0 ? Number(process.argv[i + 1]) : fallback; };
const RUNS = arg('--runs', 9);
const threads = await startWasmBackend(arg('--threads', 1));
await initBackend({ backend: 'wasm' });
const i = process.argv.indexOf('--builtin');
for (const name of i >= 0 ? process.argv[i + 1]!.split(',') : []) {
  const kernelFunc = builtinWasmKernel(name);
  if (!kernelFunc) throw new Error(`gankit replaces no wasm kernel ${name}`);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', kernelFunc });
}
const gan = createGan();
const trainer = new GanTrainer(gan);
const real = tf.randomUniform([64, 28, 28, 1], -1, 1, 'float32', 7) as tf.Tensor4D;
const step = () => { trainer.trainStep(real); };
step(); step();
const wall: number[] = [], cpu: number[] = [];
for (let k = 0; k < RUNS; k++) {
  const c0 = process.cpuUsage(), t0 = performance.now();
  step();
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
console.log(`wasm step (${threads} thread${threads > 1 ? 's' : ''}), ${RUNS} runs: median wall ${mid(wall).toFixed(1)} ms, cpu ${mid(cpu).toFixed(1)} ms (min wall ${Math.min(...wall).toFixed(1)})`);
if (process.argv.includes('--profile')) {
  const info = await tf.profile(step);
  const groups = new Map<string, { count: number; ms: number }>();
  let total = 0;
  for (const k of info.kernels) {
    if (k.name.endsWith('__op')) continue;
    const ms = Number(await k.kernelTimeMs) || 0;
    total += ms;
    const key = `${k.name} ${k.inputShapes.map((s) => JSON.stringify(s)).join(' ')}`;
    const e = groups.get(key) ?? { count: 0, ms: 0 };
    e.count += 1; e.ms += ms;
    groups.set(key, e);
  }
  console.log(`profiled kernels: ${total.toFixed(1)} ms`);
  for (const [key, e] of [...groups.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 60)) {
    console.log(`${e.ms.toFixed(1).padStart(7)} ms ${String(e.count).padStart(4)}x  ${key}`);
  }
}
process.exit(0);
