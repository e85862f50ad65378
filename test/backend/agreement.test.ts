/**
 * The native backend must agree numerically with tfjs' reference `cpu` backend on the ops
 * gankit uses: conv2d, conv2dTranspose and their gradients, batchNorm, matMul, leakyRelu, resize.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { values } from './values.js';

type Case = { name: string; run: () => tf.Tensor | tf.Tensor[]; tol: number };


const cases: Case[] = [
  { name: 'conv2d stride 2 same', tol: 1e-4, run: () => tf.conv2d(values([4, 14, 14, 3], 1) as tf.Tensor4D, values([4, 4, 3, 8], 2) as tf.Tensor4D, 2, 'same') },
  { name: 'conv2d stride 1 valid', tol: 1e-4, run: () => tf.conv2d(values([2, 9, 9, 2], 3) as tf.Tensor4D, values([3, 3, 2, 5], 4) as tf.Tensor4D, 1, 'valid') },
  {
    name: 'conv2d gradients (input and filter)', tol: 1e-3,
    run: () => {
      const x = values([4, 14, 14, 3], 5) as tf.Tensor4D;
      const w = values([4, 4, 3, 8], 6) as tf.Tensor4D;
      const dy = values([4, 7, 7, 8], 7);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same').mul(dy).sum());
      return g([x, w]);
    },
  },
  {
    name: 'conv2dTranspose stride 2 same', tol: 1e-4,
    run: () => tf.conv2dTranspose(values([4, 7, 7, 8], 8) as tf.Tensor4D, values([4, 4, 3, 8], 9) as tf.Tensor4D, [4, 14, 14, 3], 2, 'same'),
  },
  {
    name: 'conv2dTranspose gradients (input and filter)', tol: 1e-3,
    run: () => {
      const x = values([4, 7, 7, 8], 10) as tf.Tensor4D;
      const w = values([4, 4, 3, 8], 11) as tf.Tensor4D;
      const dy = values([4, 14, 14, 3], 12);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.conv2dTranspose(a as tf.Tensor4D, b as tf.Tensor4D, [4, 14, 14, 3], 2, 'same').mul(dy).sum());
      return g([x, w]);
    },
  },
  {
    name: 'batchNorm forward and gradients', tol: 1e-4,
    run: () => {
      const x = values([8, 5, 5, 4], 13);
      const gamma = values([4], 14).add(1.5);
      const beta = values([4], 15);
      const f = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.batchNorm(a, mean, variance, b, g, 1e-5).mul(values([8, 5, 5, 4], 16)).sum();
      };
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      return [tf.batchNorm(x, mean, variance, beta, gamma, 1e-5), ...tf.grads(f)([x, gamma, beta])];
    },
  },
  { name: 'matMul', tol: 1e-4, run: () => tf.matMul(values([64, 100], 17) as tf.Tensor2D, values([100, 49], 18) as tf.Tensor2D) },
  {
    name: 'matMul gradients', tol: 1e-4,
    run: () => tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D).square().sum())([values([16, 20], 19), values([20, 7], 20)]),
  },
  {
    name: 'leakyRelu forward and gradient', tol: 1e-6,
    run: () => {
      const x = values([4, 6, 6, 3], 21);
      return [tf.leakyRelu(x, 0.2), tf.grad((a: tf.Tensor) => tf.leakyRelu(a, 0.2).mul(values([4, 6, 6, 3], 22)).sum())(x)];
    },
  },
  { name: 'resizeBilinear up', tol: 1e-5, run: () => tf.image.resizeBilinear(values([2, 7, 9, 3], 23) as tf.Tensor4D, [14, 18]) },
  { name: 'resizeBilinear down, half-pixel centers', tol: 1e-5, run: () => tf.image.resizeBilinear(values([2, 28, 28, 1], 24) as tf.Tensor4D, [10, 12], false, true) },
  { name: 'resizeNearestNeighbor', tol: 0, run: () => tf.image.resizeNearestNeighbor(values([2, 7, 9, 3], 25) as tf.Tensor4D, [15, 20], false, true) },
];

async function compute(backend: string, c: Case): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(c.run);
  const list = Array.isArray(out) ? out : [out];
  const data = await Promise.all(list.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(list);
  return data;
}

before(async () => {
  const report = await initBackend();
  assert.equal(report.backend, 'tensorflow', 'setup builds the native backend; this suite checks it against cpu');
});

for (const c of cases) {
  test(`native tensorflow agrees with cpu: ${c.name}`, async () => {
    const native = await compute('tensorflow', c);
    const cpu = await compute('cpu', c);
    await tf.setBackend('tensorflow');
    assert.equal(native.length, cpu.length);
    native.forEach((a, k) => {
      const b = cpu[k]!;
      assert.equal(a.length, b.length, `output ${k} size`);
      let worst = 0;
      for (let i = 0; i < a.length; i++) {
        const scale = Math.max(1, Math.abs(b[i]!));
        worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / scale);
      }
      assert.ok(worst <= c.tol, `${c.name} output ${k}: max relative error ${worst} > ${c.tol}`);
    });
  });
}
