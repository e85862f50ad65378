/**
 * The multithreaded wasm backend under Node (src/backend/wasm/threads.ts). The backend starts once
 * per process, so each case runs this file again as a child process (GANKIT_WASM_THREADS_CHILD set)
 * that starts it, trains a conv layer's gradients and prints the results as JSON; the parent compares
 * them with the `cpu` backend and checks that the child exits by itself (parked threads do not keep
 * Node alive).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { values } from './values.js';

const self = fileURLToPath(import.meta.url);
const CHILD = 'GANKIT_WASM_THREADS_CHILD';

/** A strided conv and a conv2dTranspose with their gradients (the DCGAN layer kinds), batch 8. */
function compute(): number[][] {
  return tf.tidy(() => {
    const x = values([8, 14, 14, 16], 1) as tf.Tensor4D, w = values([4, 4, 16, 32], 2) as tf.Tensor4D;
    const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same');
    const dy = values([8, 7, 7, 32], 3);
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b).mul(dy).sum())([x, w]);
    const t = tf.conv2dTranspose(dy as tf.Tensor4D, w, [8, 14, 14, 16], 2, 'same');
    return [conv(x, w), gx!, gw!, t].map((q) => Array.from(q.dataSync()));
  });
}

if (process.env[CHILD]) {
  const { startWasmBackend } = await import('../../src/backend/wasm/threads.js');
  const threads = await startWasmBackend(Number(process.env[CHILD]));
  const before = tf.memory().numTensors;
  const results = compute();
  process.stdout.write(`\nRESULT ${JSON.stringify({ threads, backend: tf.getBackend(), leaked: tf.memory().numTensors - before, results })}\n`);
  // no process.exit: the test checks that the process ends on its own
} else {
  const run = (threads: string) => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', self], {
      env: { ...process.env, [CHILD]: threads }, encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20,
    });
    assert.equal(child.error, undefined, `child did not exit by itself: ${String(child.error)}`);
    assert.equal(child.status, 0, child.stderr);
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    assert.ok(line, `no result from the child: ${child.stdout.slice(0, 300)}`);
    return JSON.parse(line.slice(7)) as { threads: number; backend: string; leaked: number; results: number[][] };
  };

  test('startWasmBackend(2) runs XNNPACK on 2 threads, agrees with cpu and lets Node exit', async () => {
    await tf.setBackend('cpu');
    const want = compute();
    const got = run('2');
    assert.equal(got.backend, 'wasm');
    assert.equal(got.threads, 2);
    assert.equal(got.leaked, 0);
    for (const [j, w] of want.entries()) {
      const g = got.results[j]!;
      assert.equal(g.length, w.length);
      const den = Math.max(...w.map(Math.abs));
      const err = Math.max(...w.map((v, i) => Math.abs(v - g[i]!))) / den;
      assert.ok(den > 0 && err < 1e-5, `result ${j}: relative error ${err}`);
    }
  });

  test('startWasmBackend(1) starts the single-threaded build; bad thread counts throw', async () => {
    const got = run('1');
    assert.equal(got.backend, 'wasm');
    assert.equal(got.threads, 1);
    const { startWasmBackend } = await import('../../src/backend/wasm/threads.js');
    for (const bad of [0, 9, 1.5, Number.NaN]) {
      await assert.rejects(startWasmBackend(bad), /Expected integer in \[1, 8\] for threads/);
    }
  });
}
