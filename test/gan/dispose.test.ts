/** trainer.dispose(): frees what the trainer made; { gan: true } frees its GAN too; tf.memory() comes back to where it was. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { createGan, GanTrainer, disposeGan, type GanConfigInput } from '../../src/gan/index.js';
import { GankitError } from '../../src/util/errors.js';
import { blobs } from './helpers.js';

before(async () => { await initBackend(); });
const tiny: GanConfigInput = { ngf: 8, ndf: 8, latentDim: 16, seed: 2 };

test('trainer.dispose() frees the optimizers and fixed noise but not the GAN; { gan: true } frees both', async () => {
  for (const architecture of ['dcgan', 'conditional'] as const) {
    const start = tf.memory().numTensors;
    const gan = createGan({ ...tiny, architecture });
    const withGan = tf.memory().numTensors;
    const modelTensors = gan.generator.weights.length + gan.discriminator.weights.length;
    assert.equal(withGan - start, modelTensors);

    // dispose(): the trainer's own tensors go, the GAN stays usable
    const a = new GanTrainer(gan);
    await a.train(blobs(2, 4, 28, 1, 0, architecture === 'conditional'), { snapshotEvery: 0 });
    assert.ok(tf.memory().numTensors > withGan);
    a.dispose();
    assert.equal(tf.memory().numTensors, withGan, `${architecture}: dispose() leaves exactly the GAN's ${modelTensors} tensors`);
    a.dispose(); // a second call does nothing
    const real = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D;
    assert.throws(() => a.trainStep(real), (e: unknown) => e instanceof GankitError && /The GanTrainer .* was disposed/.test(e.message));
    real.dispose();
    await assert.rejects(a.train(blobs(1, 4)), /The GanTrainer .* was disposed/);

    // dispose({ gan: true }): everything goes
    const b = new GanTrainer(gan);
    await b.train(blobs(1, 4, 28, 1, 0, architecture === 'conditional'), { snapshotEvery: 1 });
    b.dispose({ gan: true });
    assert.equal(tf.memory().numTensors, start, `${architecture}: dispose({ gan: true }) frees everything`);
    b.dispose({ gan: true }); // a second call does nothing (and does not dispose the models twice)
    assert.throws(() => b.dispose({ gan: 'yes' } as never), /Expected boolean for gan but received "yes"/);
  }
});

test('disposeGan after dispose() is the same as dispose({ gan: true })', async () => {
  const start = tf.memory().numTensors;
  const t = new GanTrainer(createGan(tiny));
  await t.train(blobs(1, 4), { snapshotEvery: 0 });
  t.dispose();
  disposeGan(t.gan);
  assert.equal(tf.memory().numTensors, start);
});
