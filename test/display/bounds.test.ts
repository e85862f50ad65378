/** Every user string (title, name, caption, axis label, series name, layer name) is clipped in every MIME part of every bundle. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { tensorBundle, imagesBundle, plotBundle, modelBundle, richBundle, MAX_LABEL_CHARS, type MimeBundle } from '../../src/display/index.js';

before(async () => { await initBackend(); });

const HUGE = 'x'.repeat(1_000_000);
/** The longest run of x's anywhere in a bundle: in its JSON, its text parts, and any text drawn into its PNG's SVG source. */
const longestRun = (bundle: MimeBundle) => Math.max(0, ...[...JSON.stringify(bundle).matchAll(/x+/g)].map((m) => m[0].length));

function checkSmall(label: string, bundle: MimeBundle, maxBytes: number): void {
  const size = JSON.stringify(bundle).length;
  assert.ok(size < maxBytes, `${label}: a ${size}-character bundle`);
  assert.ok(longestRun(bundle) <= MAX_LABEL_CHARS, `${label}: a user string of ${longestRun(bundle)} characters`);
  assert.ok((bundle['text/plain'] as string).length < 20_000, `${label}: text/plain of ${(bundle['text/plain'] as string).length}`);
  for (const [mime, part] of Object.entries(bundle)) {
    if (typeof part === 'string' && mime !== 'image/png') assert.ok(!part.includes('x'.repeat(MAX_LABEL_CHARS + 1)), `${label}: ${mime}`);
  }
}

test('a 1 MB title, name, caption, label or series name gives a small bundle in every MIME part', async () => {
  const t = tf.tidy(() => tf.randomUniform([2, 8, 8, 1]));
  const before = tf.memory().numTensors;
  checkSmall('tensor name', await tensorBundle(t, { name: HUGE }), 60_000);
  checkSmall('images title and captions', await imagesBundle(t, { title: HUGE, captions: [HUGE, HUGE] }), 60_000);
  checkSmall('plot title, labels, series names', await plotBundle({ series: [{ name: HUGE, points: [[0, 1], [1, 2]] }, { name: `${HUGE}y`, points: [[0, 2], [1, 1]] }] },
    { title: HUGE, xLabel: HUGE, yLabel: HUGE, y2: [`${HUGE}y`] }), 200_000);
  checkSmall('series named by a 1 MB key', (await richBundle({ [HUGE]: [[0, 1], [1, 3], [2, 2]] }))!, 200_000);
  const model = tf.sequential({ name: `m${'x'.repeat(100_000)}`, layers: [tf.layers.dense({ units: 2, inputShape: [3], name: `d${'x'.repeat(100_000)}` })] });
  checkSmall('model and layer names', await modelBundle(model), 60_000);
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
  t.dispose();
});

test('clipped strings keep their start, mark the cut, and never split a surrogate pair', async () => {
  const t = tf.zeros([4, 4]);
  const emoji = '😀'.repeat(150); // 300 UTF-16 code units
  const b = await tensorBundle(t, { name: emoji });
  const name = (b['application/vnd.gankit.tensor.v1+json'] as { name: string }).name;
  assert.equal(name.length, MAX_LABEL_CHARS - 1);
  assert.ok(name.endsWith('😀…'));
  assert.doesNotMatch(name, /[\ud800-\udbff](?![\udc00-\udfff])/);
  const short = await tensorBundle(t, { name: 'loss' });
  assert.equal((short['application/vnd.gankit.tensor.v1+json'] as { name: string }).name, 'loss');
  t.dispose();
});
