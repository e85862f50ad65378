/**
 * liveTraining: a real trainer on synthetic batches, with a recording kernel bridge: three outputs
 * (progress, losses, samples), each one display_data followed by update_display_data on the same id,
 * the final plot holding every step, tensors flat, bad options rejected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../src/backend/select.js';
import { createGan, disposeGan, GanTrainer, liveTraining, lossSeries, progressBundle } from '../../src/gan/index.js';
import { IMAGES_MIME, PLOT_MIME, type PlotPayload } from '../../src/display/types.js';
import { fakeKernel, png } from '../display/helpers.js';
import { blobs } from './helpers.js';

await initBackend();

test('liveTraining keeps three outputs updated in place and ends with the full history', async () => {
  const kernel = fakeKernel();
  const gan = createGan({ ngf: 8, ndf: 8, latentDim: 16, seed: 3 });
  const trainer = new GanTrainer(gan, { fixedSamples: 16 });
  try {
    await trainer.train(blobs(1, 8, 28, 1, 100), { steps: 1, batchSize: 8, snapshotEvery: 0 }); // creates optimizer state
    const before = tf.memory().numTensors;
    const result = await trainer.train(blobs(12, 8), { steps: 12, batchSize: 8, snapshotEvery: 4, ...liveTraining(trainer, { throttleMs: 0 }) });
    assert.equal(result.steps, 12);
    assert.deepEqual(await kernel.settle(), []);
    assert.equal(tf.memory().numTensors, before, 'no tensors left behind by the live view');

    const ids = [...new Set(kernel.messages.map((m) => m.content.transient?.display_id))];
    assert.equal(ids.length, 3, 'progress, losses and samples: three display ids');
    for (const id of ids) {
      const mine = kernel.messages.filter((m) => m.content.transient?.display_id === id);
      assert.equal(mine[0]!.update, false, 'first message is display_data');
      assert.ok(mine.slice(1).every((m) => m.update), 'later messages are update_display_data');
    }
    const last = (id: string | undefined) => kernel.messages.filter((m) => m.content.transient?.display_id === id).at(-1)!.content.data;
    const [progressId, lossId, sampleId] = ids;
    // The global step: one step ran before this call, so 13 of 13.
    assert.match(String(last(progressId)['text/plain']), /^done: step 13\/13 \(100%\).*Loss_D [-\d.e]+ {2}Loss_G/);
    assert.match(String(last(progressId)['text/html']), /<progress value="13" max="13"/);

    const plotPayload = last(lossId)[PLOT_MIME] as PlotPayload;
    assert.deepEqual(plotPayload.series.map((s) => s.name), ['Loss_D', 'Loss_G', 'D(x)', 'D(G(z))']);
    assert.deepEqual(plotPayload.series[1]!.points, trainer.history.map((r) => [r.step, r.lossG]), 'the last plot holds every step');
    assert.equal(plotPayload.final, true);
    await png(last(lossId)['image/png']);

    const grid = last(sampleId)[IMAGES_MIME] as { images: unknown[]; title?: string };
    assert.equal(grid.images.length, 16);
    assert.match(String(grid.title), /step 12/);
    assert.equal(Number(/step (\d+)/.exec(String(grid.title))![1]) % 4, 0, 'snapshots at global steps');
    const fallback = await png(last(sampleId)['image/png']);
    const gridWidth = 4 * 28 + 5 * 2; // 4 per row with 2 px padding (the PNG fallback may be upscaled by an integer factor)
    assert.equal(fallback.width % gridWidth, 0, `fallback width ${fallback.width} is a multiple of ${gridWidth}`);
  } finally {
    kernel.uninstall();
    trainer.dispose();
    disposeGan(gan);
  }
});

test('a stopped run says STOPPED, clears the ETA and counts the global step everywhere', async () => {
  const kernel = fakeKernel();
  const gan = createGan({ ngf: 8, ndf: 8, latentDim: 16, seed: 4 });
  const trainer = new GanTrainer(gan, { fixedSamples: 4 });
  try {
    await trainer.train(blobs(6, 8, 28, 1, 100), { steps: 6, batchSize: 8, snapshotEvery: 0 }); // as if resumed at step 6
    const live = liveTraining(trainer, { throttleMs: 0 });
    const result = await trainer.train(blobs(10, 8), {
      steps: 10, batchSize: 8, snapshotEvery: 2, ...live,
      onStep: (r, p) => { live.onStep(r, p); if (r.step >= 9) trainer.stop(); },
    });
    assert.equal(result.reason, 'stop');
    assert.deepEqual(await kernel.settle(), []);
    const ids = [...new Set(kernel.messages.map((m) => m.content.transient?.display_id))];
    const last = (id: string | undefined) => kernel.messages.filter((m) => m.content.transient?.display_id === id).at(-1)!.content.data;
    const [progressId, lossId, sampleId] = ids;
    const text = String(last(progressId)['text/plain']);
    assert.match(text, /^stopped at step 9\/16 \(56%\)/);
    assert.doesNotMatch(text, /ETA/);
    assert.match(String(last(progressId)['text/html']), /<progress value="9" max="16".*STOPPED/);
    const p = last(lossId)[PLOT_MIME] as PlotPayload;
    assert.equal(p.stopped, true);
    assert.equal(p.final, true);
    assert.equal(p.series[0]!.points.at(-1)![0], 9, 'the chart ends at the global step');
    assert.match(String((last(sampleId)[IMAGES_MIME] as { title?: string }).title), /step 8\b/);
    // While running, the line had an ETA.
    const first = kernel.messages.find((m) => m.content.transient?.display_id === progressId)!.content.data;
    assert.match(String(first['text/plain']), /^step 7\/16 .*ETA/);
  } finally {
    kernel.uninstall();
    trainer.dispose();
    disposeGan(gan);
  }
});

test('lossSeries and progressBundle format a history', () => {
  const history = [1, 2, 3].map((step) => ({ step, epoch: 0, lossD: step, lossG: 2 * step, dx: 0.5, dgz1: 0.25, dgz2: 0.125 }));
  const s = lossSeries(history);
  assert.deepEqual(s.series.map((x) => [x.name, x.axis, x.points.length]), [['Loss_D', 'y', 3], ['Loss_G', 'y', 3], ['D(x)', 'y2', 3], ['D(G(z))', 'y2', 3]]);
  assert.deepEqual(s.series[1]!.points, [[1, 2], [2, 4], [3, 6]]);
  const b = progressBundle(history[2]!, { step: 3, epoch: 0, done: 3, stepsPerSecond: 2, elapsedSeconds: 1.5 });
  assert.match(b['text/plain']!, /^step 3 \| 2\.0 steps\/s \| elapsed 2s \|/);
  assert.doesNotMatch(b['text/html']!, /<progress/, 'no bar without a total');
  const i = progressBundle(history[2]!, { step: 3, epoch: 0, done: 1, totalSteps: 4, etaSeconds: 9, stepsPerSecond: 2, elapsedSeconds: 1.5 }, 'interrupt');
  assert.match(i['text/plain']!, /^interrupted at step 3\/6 \(50%\) \| 2\.0 steps\/s \| elapsed 2s \|/);
});

test('liveTraining rejects bad options, naming them', () => {
  const gan = createGan({ ngf: 8, ndf: 8, latentDim: 8 });
  const trainer = new GanTrainer(gan);
  try {
    assert.throws(() => liveTraining(trainer, { throttleMs: NaN }), /throttleMs/);
    assert.throws(() => liveTraining(trainer, { scale: 'cubic' as never }), /Expected one of 'linear', 'log' for scale/);
    assert.throws(() => liveTraining(trainer, { every: 3 } as never), /Expected one of 'progress', .* for liveTraining options key but received "every"/);
    assert.throws(() => liveTraining(trainer, { losses: 1 as never }), /Expected boolean for losses/);
  } finally {
    trainer.dispose();
    disposeGan(gan);
  }
});
