import { test, before, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import {
  display, createDisplay, showTensor, showImages, showPlot, showModel, flushDisplays, richBundle, normalizeBundle,
  modelBundle, plot, kernelSignal, shouldStop, checkInterrupt, onInterrupt, interruptAll, InterruptedError, inKernel,
  TENSOR_MIME, IMAGES_MIME, PLOT_MIME,
} from '../../src/display/index.js';
import { isQuiet } from '../../src/display/kernel-hooks.js';
import { GankitError } from '../../src/util/errors.js';
import { fakeKernel, noLeak, png, type FakeKernel } from './helpers.js';

before(async () => { await initBackend(); });
let k: FakeKernel | undefined;
afterEach(() => { k?.uninstall(); k = undefined; });

test('display() sends one display_data with a display id through the kernel bridge', async () => {
  k = fakeKernel();
  assert.ok(inKernel());
  const t = tf.ones([2, 2]);
  const h = display(t);
  t.dispose(); // the handle read or cloned what it needs
  assert.deepEqual(await k.settle(), []);
  assert.equal(k.messages.length, 1);
  const m = k.messages[0]!;
  assert.equal(m.update, false);
  assert.equal(m.content.transient?.display_id, h.id);
  assert.ok(m.content.data[TENSOR_MIME]);
  await png(m.content.data['image/png']);
  assert.ok(isQuiet(h), 'the kernel does not echo handles');
});

test('updates are throttled, keep one display id, and always deliver the last value', async () => {
  k = fakeKernel();
  const h = createDisplay({ throttleMs: 100 });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) {
    const x = tf.fill([4, 4], i);
    h.update(x);
    x.dispose(); // pending values are clones
    await new Promise((r) => setTimeout(r, 15));
  }
  await h.flush();
  assert.deepEqual(await k.settle(), []);
  assert.equal(tf.memory().numTensors, before, 'no clone left behind');
  const msgs = k.messages;
  assert.ok(msgs.length >= 2 && msgs.length <= 6, `${msgs.length} messages for 20 updates`);
  assert.equal(msgs[0]!.update, false);
  assert.ok(msgs.slice(1).every((m) => m.update));
  assert.ok(msgs.every((m) => m.content.transient?.display_id === h.id));
  const last = msgs.at(-1)!.content.data[TENSOR_MIME] as { stats: { mean: number } };
  assert.equal(last.stats.mean, 19);
  assert.equal(h.sent, msgs.length);
});

test('flushDisplays() sends pending updates at once', async () => {
  k = fakeKernel();
  const h = createDisplay({ throttleMs: 60_000 });
  h.update('first');
  h.update('second');
  h.update('third');
  await flushDisplays();
  await k.settle();
  assert.deepEqual(k.messages.map((m) => [m.update, m.content.data['text/plain']]), [[false, 'first'], [true, 'third']]);
});

test('show* helpers pass options through', async () => {
  k = fakeKernel();
  const t = tf.zeros([3, 8, 8, 3]);
  showTensor(t, { name: 'z' });
  showImages(t, { nrow: 3, title: 'row' });
  showPlot({ loss: [[0, 1], [1, 2]] }, { title: 'loss' });
  const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
  showModel(m);
  await noLeak(() => k!.settle());
  const [a, b, c, d] = k.messages.map((x) => x.content.data);
  assert.equal((a![TENSOR_MIME] as { name: string }).name, 'z');
  assert.equal((b![IMAGES_MIME] as { title: string }).title, 'row');
  assert.equal((c![PLOT_MIME] as { title: string }).title, 'loss');
  assert.match(d!['text/html'] as string, /<table/);
  t.dispose(); m.dispose();
});

test('invalid values throw at the call, not later', () => {
  k = fakeKernel();
  assert.throws(() => showTensor(tf.tensor(['a'])), GankitError);
  assert.throws(() => showImages([]), GankitError);
  assert.throws(() => createDisplay({ throttleMs: -1 }), GankitError);
  assert.equal(k.messages.length, 0);
});

test('outside the kernel display() prints text/plain', async () => {
  const logs: unknown[] = [];
  const orig = console.log;
  console.log = (...a: unknown[]) => { logs.push(a.join(' ')); };
  try {
    const h = display({ a: 1 });
    await h.flush();
    h.update({ a: 2 }); // updates cannot replace printed text: not printed
    await h.flush();
  } finally {
    console.log = orig;
  }
  assert.deepEqual(logs, ['{ a: 1 }']);
});

test('richBundle: Jupyter.display objects, tensors, models, histories; null for plain values', async () => {
  const self = { [Symbol.for('Jupyter.display')]: () => ({ 'text/html': '<i>x</i>', 'image/png': new Uint8Array([1, 2, 3]) }) };
  const b = await richBundle(self);
  assert.deepEqual(b, { 'text/html': '<i>x</i>', 'image/png': 'AQID', 'text/plain': '<text/html, image/png>' });
  const withMeta = normalizeBundle({ data: { 'text/plain': 'x' }, metadata: { 'text/plain': { a: 1 } } });
  assert.deepEqual(withMeta, { data: { 'text/plain': 'x' }, metadata: { 'text/plain': { a: 1 } } });
  const t = tf.ones([2]);
  assert.ok((await noLeak(() => richBundle(t)))![TENSOR_MIME]);
  t.dispose();
  assert.match((await richBundle(t))!['text/plain'], /disposed/);
  assert.ok((await richBundle([{ step: 1, loss: 2 }]))![PLOT_MIME]);
  assert.ok((await richBundle(plot({ a: [[0, 1]] })))![PLOT_MIME]);
  for (const v of [1, 'x', { a: 1 }, [1, 2], null, undefined, tf.tensor(['s'])]) assert.equal(await richBundle(v), null);
});

test('modelBundle: Keras-style text table and escaped HTML with parameter totals', async () => {
  const m = tf.sequential({ name: 'gen', layers: [
    tf.layers.dense({ inputShape: [8], units: 4, name: 'fc' }),
    tf.layers.batchNormalization({ name: 'bn' }),
  ] });
  const b = await noLeak(() => modelBundle(m));
  assert.deepEqual(Object.keys(b).sort(), ['text/html', 'text/plain']);
  assert.match(b['text/plain'], /Sequential "gen"/);
  assert.match(b['text/plain'], /Total params: 52/);
  assert.match(b['text/html'] as string, /fc \(Dense\).*\[null, 4\].*36/s);
  assert.match(b['text/html'] as string, /Non-trainable params<\/td><td style="text-align:right">8</);
  // A hostile layer name (duck-typed model) is escaped.
  const fake = {
    name: 'm', layers: [{ name: '<img src=x onerror=alert(1)>', getClassName: () => 'X', outputShape: [null, 1], countParams: () => 0, trainable: true }],
    summary: (_a: unknown, _b: unknown, print: (s: string) => void) => print('x'), countParams: () => 0, getClassName: () => 'Fake',
    trainableWeights: [], nonTrainableWeights: [],
  };
  const h = (await modelBundle(fake as never))['text/html'] as string;
  assert.ok(!h.includes('<img'), h);
  assert.match(h, /&lt;img src=x/);
  const unbuilt = tf.sequential();
  assert.match((await modelBundle(unbuilt))['text/plain'], /not built/);
  assert.throws(() => modelBundle({} as never), GankitError);
  m.dispose();
});

test('interrupt API: kernelSignal, shouldStop, checkInterrupt, onInterrupt', async () => {
  k = fakeKernel();
  let called = 0;
  const off = onInterrupt(() => { called++; });
  const signal = kernelSignal();
  assert.equal(shouldStop(), false);
  checkInterrupt();
  k.interrupt();
  assert.ok(signal.aborted);
  assert.equal(called, 1);
  assert.equal(shouldStop(), true);
  assert.throws(() => checkInterrupt(), InterruptedError);
  k.nextExecution();
  assert.equal(shouldStop(), false, 'work started after the interrupt gets a fresh signal');
  off();
  k.uninstall();
  k = undefined;
  // Outside the kernel: a process-wide signal, aborted by interruptAll().
  const s = kernelSignal();
  interruptAll();
  assert.ok(s.aborted);
  assert.ok(s.reason instanceof InterruptedError);
  assert.equal(kernelSignal().aborted, false);
  const err = (() => { try { const sig = kernelSignal(); interruptAll(); if (sig.aborted) throw sig.reason; } catch (e) { return e; } return null; })();
  assert.ok(err instanceof InterruptedError);
  assert.equal((err as Error).name, 'InterruptedError');
});

test('checkInterrupt throws InterruptedError once the signal is aborted', () => {
  k = fakeKernel();
  let steps = 0;
  assert.throws(() => {
    for (;;) {
      checkInterrupt();
      if (++steps === 5) k!.interrupt();
    }
  }, InterruptedError);
  assert.equal(steps, 5);
});
