import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { createGan, summary, resolveConfig, disposeGan } from '../../src/gan/index.js';

before(async () => { await initBackend(); });

test('DCGAN generators and discriminators have the right shapes for 28, 32 and 64, grey and RGB', () => {
  for (const [imageSize, channels] of [[28, 1], [32, 3], [64, 3]] as const) {
    const gan = createGan({ imageSize, channels, ngf: 8, ndf: 8, latentDim: 16 });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const fake = gan.generator.predict(tf.randomNormal([2, 16])) as tf.Tensor;
      assert.deepEqual(fake.shape, [2, imageSize, imageSize, channels]);
      const range = [fake.min().dataSync()[0]!, fake.max().dataSync()[0]!];
      assert.ok(range[0]! >= -1 && range[1]! <= 1, 'tanh output in [-1, 1]');
      const logit = gan.discriminator.predict(fake) as tf.Tensor;
      assert.deepEqual(logit.shape, [2, 1]);
    });
    assert.equal(tf.memory().numTensors, before);
    disposeGan(gan);
  }
});

test('weights follow the PyTorch DCGAN init: conv N(0, 0.02), BatchNorm gamma N(1, 0.02), beta 0', () => {
  const gan = createGan({ seed: 3 });
  for (const w of gan.generator.weights) {
    const v = w.read();
    const { mean, variance } = tf.moments(v);
    const m = mean.dataSync()[0]!;
    const s = Math.sqrt(variance.dataSync()[0]!);
    if (w.name.includes('kernel')) { assert.ok(Math.abs(m) < 0.002 && Math.abs(s - 0.02) < 0.002, `${w.name}: mean ${m} std ${s}`); }
    if (w.name.includes('gamma')) { assert.ok(Math.abs(m - 1) < 0.01 && Math.abs(s - 0.02) < 0.01, `${w.name}: mean ${m} std ${s}`); }
    if (w.name.includes('beta')) assert.equal(s + Math.abs(m), 0, `${w.name} is zero`);
    tf.dispose([mean, variance]);
  }
  const same = createGan({ seed: 3 });
  assert.deepEqual(same.generator.getWeights()[0]!.dataSync(), gan.generator.getWeights()[0]!.dataSync(), 'same seed, same weights');
  disposeGan(gan); disposeGan(same);
});

test('MLP and class-conditional GANs build and run', () => {
  const mlp = createGan({ architecture: 'mlp', ngf: 8, ndf: 8 });
  const cond = createGan({ architecture: 'conditional', ngf: 8, ndf: 8 });
  tf.tidy(() => {
    assert.deepEqual((mlp.generator.predict(tf.randomNormal([3, 100])) as tf.Tensor).shape, [3, 28, 28, 1]);
    const fake = cond.generator.predict([tf.randomNormal([3, 100]), tf.tensor2d([[1], [2], [3]], [3, 1], 'int32')]) as tf.Tensor;
    assert.deepEqual(fake.shape, [3, 28, 28, 1]);
    assert.deepEqual((cond.discriminator.predict([fake, tf.tensor2d([[1], [2], [3]], [3, 1], 'int32')]) as tf.Tensor).shape, [3, 1]);
  });
  assert.equal(cond.config.numClasses, 10);
  disposeGan(mlp); disposeGan(cond);
});

test('summary lists layers, output shapes and parameter counts', () => {
  const gan = createGan();
  const s = summary(gan.generator);
  assert.equal(s.totalParams, gan.generator.countParams());
  assert.equal(s.totalParams, 760064);
  assert.ok(s.layers.some((l) => l.type === 'Conv2DTranspose' && l.outputShape.join() === ',7,7,128'));
  assert.match(s.text, /g_project \(Conv2DTranspose\)\s+\[N, 7, 7, 128\]\s+627,200/);
  assert.match(s.text, /Total params: 760,064/);
  disposeGan(gan);
});

test('bad configs get errors naming the field and its valid range', () => {
  assert.throws(() => resolveConfig({ imageSize: 30 as 28 }), /Expected one of 28, 32, 64 for imageSize but received 30 of type number/);
  assert.throws(() => resolveConfig({ channels: 2 as 1 }), /Expected 1 or 3 for channels but received 2/);
  assert.throws(() => resolveConfig({ latentDim: Number.NaN }), /Expected integer in \[1, 1024\] for latentDim but received NaN/);
  assert.throws(() => resolveConfig({ ngf: 0 }), /Expected integer in \[4, 512\] for ngf/);
  assert.throws(() => resolveConfig({ architecture: 'vae' as 'mlp' }), /Expected one of dcgan, mlp, conditional for architecture/);
  assert.throws(() => resolveConfig({ numClasses: 10 }), /Expected 0 for architecture dcgan/);
  assert.throws(() => resolveConfig({ imagesize: 28 } as never), /Expected one of architecture, .* for config key but received "imagesize"/);
});
