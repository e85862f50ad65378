/**
 * equalize on the wasm backend (tfjs-backend-wasm has no UnsortedSegmentSum, which the histogram
 * used): every equalize case of the torchvision fixtures, on tensors, bit-exact on wasm.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { caseExpected, caseName, caseTensor, diff, editFixtures, runCase } from './helpers.js';

before(async () => {
  await initBackend({ backend: 'wasm' });
});

test('equalize runs on wasm and matches torchvision exactly', async () => {
  assert.equal(tf.getBackend(), 'wasm');
  const cases = editFixtures().cases.filter((c) => c.op === 'equalize');
  assert.ok(cases.length >= 6);
  for (const c of cases) {
    const x = caseTensor(c);
    const before = tf.memory().numTensors;
    const y = runCase(c, x) as tf.Tensor;
    const d = diff(await y.data(), caseExpected(c));
    assert.equal(d.max, 0, `${caseName(c)}: max abs diff ${d.max}`);
    y.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensor leaked');
    x.dispose();
  }
});
