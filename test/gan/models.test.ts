import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { createGan, summary, resolveConfig, disposeGan, DEFAULT_CONFIG, SampleNorm } from '../../src/gan/index.js';

before(async () => { await initBackend(); });

test('DCGAN G and D have the right shapes for 28, 32 and 64, grey and RGB, and leak nothing', () => {
  for (const [imageSize, channels] of [[28, 1], [28, 3], [32, 3], [64, 1]] as const) {
    const gan = createGan({ imageSize, channels, ngf: 8, ndf: 8, latentDim: 16 });
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const fake = gan.generator.predict(tf.randomNormal([2, 16])) as tf.Tensor;
      assert.deepEqual(fake.shape, [2, imageSize, imageSize, channels]);
      assert.ok(fake.min().dataSync()[0]! >= -1 && fake.max().dataSync()[0]! <= 1, 'tanh output in [-1, 1]');
      assert.deepEqual((gan.discriminator.predict(fake) as tf.Tensor).shape, [2, 1]);
    });
    assert.equal(tf.memory().numTensors, before);
    disposeGan(gan);
  }
});

test('the layouts follow pytorch/examples dcgan: 7 -> 14 -> 28 and 4 -> 8 -> 16 -> 32 -> 64', () => {
  const shapes = (m: tf.LayersModel, type: string) => m.layers.filter((l) => l.getClassName() === type).map((l) => (l.outputShape as number[]).slice(1).join('x'));
  const g28 = createGan({ ngf: 8, ndf: 8 });
  assert.deepEqual(shapes(g28.generator, 'Conv2DTranspose'), ['7x7x16', '14x14x8', '28x28x1']);
  assert.deepEqual(shapes(g28.discriminator, 'Conv2D'), ['14x14x8', '7x7x16', '1x1x1']);
  const g64 = createGan({ imageSize: 64, channels: 3, ngf: 8, ndf: 8 });
  assert.deepEqual(shapes(g64.generator, 'Conv2DTranspose'), ['4x4x64', '8x8x32', '16x16x16', '32x32x8', '64x64x3']);
  assert.deepEqual(shapes(g64.discriminator, 'Conv2D'), ['32x32x8', '16x16x16', '8x8x32', '4x4x64', '1x1x1']);
  // LeakyReLU(0.2) in D, ReLU in G, BatchNorm in both except D's first block
  assert.equal(g64.discriminator.layers.filter((l) => l.getClassName() === 'LeakyReLU').length, 4);
  assert.equal(g64.discriminator.layers.filter((l) => l.getClassName() === 'BatchNormalization').length, 3);
  assert.equal(g64.generator.layers.filter((l) => l.getClassName() === 'ReLU').length, 4);
  const ln = createGan({ ngf: 8, ndf: 8, discriminatorNorm: 'layer' });
  assert.equal(ln.discriminator.layers.filter((l) => l.getClassName() === 'GankitSampleNorm').length, 1);
  assert.equal(ln.discriminator.layers.filter((l) => l.getClassName() === 'BatchNormalization').length, 0);
  const mlpLn = createGan({ architecture: 'mlp', ngf: 8, ndf: 8, discriminatorNorm: 'layer' });
  assert.equal(mlpLn.discriminator.layers.filter((l) => l.getClassName() === 'GankitSampleNorm').length, 1);
  for (const g of [g28, g64, ln, mlpLn]) disposeGan(g);
});

test('weights follow the PyTorch DCGAN init: conv N(0, 0.02), BatchNorm gamma N(1, 0.02), beta 0; same seed, same weights', () => {
  const gan = createGan({ seed: 3 });
  const seen = { kernel: 0, gamma: 0, beta: 0 };
  for (const w of [...gan.generator.weights, ...gan.discriminator.weights]) {
    const v = w.read();
    const m = tf.tidy(() => tf.mean(v).dataSync()[0]!);
    const s = tf.tidy(() => tf.sqrt(tf.moments(v).variance).dataSync()[0]!);
    if (w.name.includes('kernel') && v.size > 1000) { seen.kernel++; assert.ok(Math.abs(m) < 0.003 && Math.abs(s - 0.02) < 0.003, `${w.name}: mean ${m} std ${s}`); }
    if (w.name.includes('gamma')) { seen.gamma++; assert.ok(Math.abs(m - 1) < 0.01 && Math.abs(s - 0.02) < 0.01, `${w.name}: mean ${m} std ${s}`); }
    if (w.name.includes('beta')) { seen.beta++; assert.equal(s + Math.abs(m), 0, `${w.name} is zero`); }
  }
  assert.ok(seen.kernel >= 5 && seen.gamma >= 3 && seen.beta >= 3, JSON.stringify(seen));
  const same = createGan({ seed: 3 });
  const other = createGan({ seed: 4 });
  const first = (g: typeof gan) => Array.from(g.generator.weights[0]!.read().dataSync());
  assert.deepEqual(first(same), first(gan), 'same seed, same weights');
  assert.notDeepEqual(first(other), first(gan), 'another seed, other weights');
  // every initializer has its own seed: two layers of equal shape are not equal
  const kernels = gan.discriminator.weights.filter((w) => w.name.includes('kernel')).map((w) => w.read().dataSync()[0]);
  assert.equal(new Set(kernels).size, kernels.length);
  disposeGan(gan); disposeGan(same); disposeGan(other);
});

test('MLP and class-conditional GANs build and run; labels change the conditional output', () => {
  const mlp = createGan({ architecture: 'mlp', ngf: 8, ndf: 8 });
  const cond = createGan({ architecture: 'conditional', ngf: 8, ndf: 8, imageSize: 32, channels: 3 });
  assert.equal(mlp.config.discriminatorNorm, 'none');
  assert.equal(cond.config.numClasses, 10);
  tf.tidy(() => {
    assert.deepEqual((mlp.generator.predict(tf.randomNormal([3, 100])) as tf.Tensor).shape, [3, 28, 28, 1]);
    assert.deepEqual((mlp.discriminator.predict(tf.zeros([3, 28, 28, 1])) as tf.Tensor).shape, [3, 1]);
    const z = tf.randomNormal([3, 100], 0, 1, 'float32', 1);
    const a = cond.generator.predict([z, tf.tensor2d([[1], [2], [3]], [3, 1], 'int32')]) as tf.Tensor;
    const b = cond.generator.predict([z, tf.tensor2d([[4], [2], [3]], [3, 1], 'int32')]) as tf.Tensor;
    assert.deepEqual(a.shape, [3, 32, 32, 3]);
    const diff = tf.abs(tf.sub(a, b)).max([1, 2, 3]).arraySync() as number[];
    assert.ok(diff[0]! > 0 && diff[1] === 0 && diff[2] === 0, `only the relabelled sample changes: ${diff}`);
    assert.deepEqual((cond.discriminator.predict([a, tf.tensor2d([[1], [2], [3]], [3, 1], 'int32')]) as tf.Tensor).shape, [3, 1]);
  });
  disposeGan(mlp); disposeGan(cond);
});

test('summary lists layers, output shapes and parameter counts as data and as a table', () => {
  const gan = createGan();
  const s = summary(gan.generator);
  assert.equal(s.totalParams, gan.generator.countParams());
  // 100*128*7*7 (project) + 4*4*128*64 (up1) + 4*4*64*1 (out) + BatchNorm 4*128 + 4*64
  assert.equal(s.totalParams, 627200 + 131072 + 1024 + 512 + 256);
  assert.equal(s.nonTrainableParams, 2 * 128 + 2 * 64);
  assert.equal(s.trainableParams + s.nonTrainableParams, s.totalParams);
  const project = s.layers.find((l) => l.name === 'g_project')!;
  assert.deepEqual(project, { name: 'g_project', type: 'Conv2DTranspose', outputShape: [null, 7, 7, 128], params: 627200 });
  assert.match(s.text, /g_project \(Conv2DTranspose\)\s+\[N, 7, 7, 128\]\s+627,200/);
  assert.match(s.text, /g_tanh \(Activation\)\s+\[N, 28, 28, 1\]\s+0/);
  assert.match(s.text, /Total params: 760,064 \(trainable 759,680, non-trainable 384\)/);
  assert.throws(() => summary({} as tf.LayersModel), /Expected a tf.LayersModel \(e.g. gan.generator\) for model/);
  disposeGan(gan);
});

test('bad configs get errors naming the field and its valid range', () => {
  assert.deepEqual(resolveConfig(), { ...DEFAULT_CONFIG });
  assert.throws(() => resolveConfig({ imageSize: 30 as 28 }), /Expected one of 28, 32, 64 for imageSize but received 30 of type number/);
  assert.throws(() => resolveConfig({ channels: 2 as 1 }), /Expected one of 1, 3 for channels but received 2/);
  assert.throws(() => resolveConfig({ latentDim: Number.NaN }), /Expected integer in \[1, 1024\] for latentDim but received NaN/);
  assert.throws(() => resolveConfig({ latentDim: 2.5 }), /Expected integer in \[1, 1024\] for latentDim but received 2.5/);
  assert.throws(() => resolveConfig({ ngf: 0 }), /Expected integer in \[4, 512\] for ngf but received 0/);
  assert.throws(() => resolveConfig({ ndf: 1024 }), /Expected integer in \[4, 512\] for ndf/);
  assert.throws(() => resolveConfig({ architecture: 'vae' as 'mlp' }), /Expected one of 'dcgan', 'mlp', 'conditional' for architecture/);
  assert.throws(() => resolveConfig({ numClasses: 10 }), /Expected 0 for architecture dcgan/);
  assert.throws(() => resolveConfig({ architecture: 'conditional', numClasses: 1 }), /Expected integer in \[2, 1000\] for numClasses but received 1/);
  assert.throws(() => resolveConfig({ discriminatorNorm: 'group' as 'batch' }), /Expected one of 'batch', 'layer', 'none' for discriminatorNorm/);
  assert.throws(() => resolveConfig({ seed: 0.5 }), /Expected integer for seed but received 0.5/);
  assert.throws(() => resolveConfig({ imagesize: 28 } as never), /Expected one of 'architecture', .* for config key but received "imagesize"/);
  assert.throws(() => createGan(null as never), /Expected a plain object of options for config but received null/);
});

test('SampleNorm normalises each sample over H, W and C, has per-channel gamma and beta, and round-trips through JSON', async () => {
  const model = tf.sequential({ layers: [new SampleNorm({ inputShape: [2, 2, 3], name: 'sn' } as never)] });
  const x = tf.tensor4d(Array.from({ length: 2 * 12 }, (_, i) => (i * 7) % 11), [2, 2, 2, 3]);
  const y = model.predict(x) as tf.Tensor;
  const rows = (y.reshape([2, 12]).arraySync() as number[][]);
  for (const r of rows) {
    const mean = r.reduce((a, b) => a + b, 0) / r.length;
    const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / r.length;
    assert.ok(Math.abs(mean) < 1e-5 && Math.abs(variance - 1) < 1e-3, `mean ${mean} variance ${variance}`);
  }
  assert.deepEqual(model.weights.map((w) => w.shape), [[3], [3]]);
  model.layers[0]!.setWeights([tf.tensor1d([2, 2, 2]), tf.tensor1d([1, 1, 1])]);
  const scaled = model.predict(x) as tf.Tensor;
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(scaled, tf.add(tf.mul(y, 2), 1)))).dataSync()[0]!) < 1e-5);
  const copy = await tf.models.modelFromJSON({ modelTopology: model.toJSON(null, false) as never });
  assert.equal(copy.layers[0]!.getClassName(), 'GankitSampleNorm');
  tf.dispose([x, y, scaled]);
  model.dispose(); copy.dispose();
});

test('trainable parameter counts equal PyTorch DCGAN models of the same config', () => {
  const trainable = (m: tf.LayersModel) => m.trainableWeights.reduce((n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1), 0);
  // pytorch/tutorials dcgan_faces_tutorial (nz 100, ngf = ndf = 64, nc 3, 64x64): netG 3,576,704, netD 2,765,568
  // parameters (all convs bias=False; BatchNorm weight + bias are PyTorch parameters, running stats are buffers).
  const faces = createGan({ imageSize: 64, channels: 3, latentDim: 100, ngf: 64, ndf: 64 });
  assert.equal(trainable(faces.generator), 3576704);
  assert.equal(trainable(faces.discriminator), 2765568);
  disposeGan(faces);
  // The 28x28 default, counted by torch in bench/dcgan_torch.py: G 759,680, D 138,624.
  const mnist = createGan();
  assert.equal(trainable(mnist.generator), 759680);
  assert.equal(trainable(mnist.discriminator), 138624);
  disposeGan(mnist);
});
