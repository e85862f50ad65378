/**
 * UI test on the real tutorials with the gankit kernel: starts a real JupyterLab with notebooks 3
 * (a DCGAN trained live, GANKIT_NOTEBOOK_STEPS=200 steps by default, stopped halfway and resumed) and 4 (image
 * editing, with its photos), runs them in Debian's Chromium through playwright-core and checks what a
 * learner reads: grids that fit the output width (every column visible), plots with round ticks, a
 * legend that marks the right axis, separate panels for the quality metrics, one (global) step count
 * across a resumed run's progress line, chart and grid, and the STOPPED state after trainer.stop() and
 * after the toolbar's stop button (kernel interrupt), with the ETA cleared.
 *
 * It also captures the README screenshots (training, samples, edits) into test-artifacts/, and into
 * docs/ when GANKIT_UPDATE_SCREENSHOTS=1 (palette PNGs, each under 200 KB). Fails when Chromium, the
 * venv, the installed extension or the kernel cannot be set up; GANKIT_SKIP_UI=1 skips it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import sharp from 'sharp';
import { prepareKernel } from '../kernel/helpers.js';
import { ARTIFACTS, assertRoundTicks, kernelIdle, launchBrowser, missingPrerequisite, openNotebook, root, runAllCells, skip, startLab, type Lab } from './lab-helpers.js';

const missing = missingPrerequisite();
/** Training steps of notebook 3 (GANKIT_UI_STEPS, default 200; the README screenshots use 600), even. */
const STEPS = Number(process.env.GANKIT_UI_STEPS ?? 200);
if (!Number.isInteger(STEPS) || STEPS < 20 || STEPS % 20 !== 0) throw new Error(`GANKIT_UI_STEPS must be a multiple of 20 >= 20, got ${process.env.GANKIT_UI_STEPS}`);
const KERNEL = 'TypeScript (gankit)';
const VIEWPORT = { width: 1100, height: 1400 };
/** The README screenshots go to docs/ only when asked (they are committed files). */
const UPDATE_DOCS = process.env.GANKIT_UPDATE_SCREENSHOTS === '1';

/** A notebook on the gankit kernel whose one cell trains "forever" with the live view. */
const STOP_NOTEBOOK = JSON.stringify({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'gankit', display_name: KERNEL, language: 'typescript' } },
  cells: [
    {
      id: 'train-forever',
      cell_type: 'code',
      execution_count: null,
      metadata: {},
      outputs: [],
      source: [
        "import * as tf from '@tensorflow/tfjs';",
        "import { createGan, GanTrainer, liveTraining } from 'gankit';",
        'const gan = createGan({ ngf: 8, ndf: 8, latentDim: 16, seed: 1 });',
        'const trainer = new GanTrainer(gan, { fixedSamples: 16 });',
        'const result = await trainer.train((n) => tf.randomUniform([n, 28, 28, 1], -1, 1) as tf.Tensor4D,',
        '  { steps: 100000, batchSize: 8, snapshotEvery: 10, ...liveTraining(trainer) });',
        "console.log('not reached: the interrupt ends the cell at this await');"
      ].join('\n')
    }
  ]
});

let lab: Lab | null = null;
let browser: Browser | null = null;

/** The code cell of the open notebook whose source contains `text`. */
const codeCell = (page: Page, text: string): Locator => page.locator('.jp-Notebook .jp-CodeCell').filter({ hasText: text });

/** Every image of a grid lies inside the output area, and the grid is no wider than it. */
async function assertGridFits(grid: Locator, columns: number): Promise<void> {
  const m = await grid.evaluate((g: any) => {
    const out = g.closest('.jp-OutputArea-output').getBoundingClientRect();
    const gridBox = g.querySelector('.gankit-grid').getBoundingClientRect();
    const cells = Array.from(g.querySelectorAll('.gankit-cell img'), (i: any) => i.getBoundingClientRect());
    return {
      outLeft: out.left,
      outRight: out.right,
      gridWidth: gridBox.width,
      outWidth: out.width,
      lefts: cells.map((r: any) => Math.round(r.left)),
      rights: cells.map((r: any) => r.right)
    };
  });
  assert.ok(m.gridWidth <= m.outWidth + 0.5, `grid ${m.gridWidth} px fits the output (${m.outWidth} px)`);
  assert.equal(new Set(m.lefts).size, columns, `${columns} columns`);
  assert.ok(Math.max(...m.rights) <= m.outRight + 0.5, `the last column is visible (${Math.max(...m.rights)} <= ${m.outRight})`);
}

/** Screenshot of `target` as a palette PNG (at most `maxWidth` px wide), into test-artifacts/ and, when asked, docs/ (screenshot-*.png). */
async function readmeShot(page: Page, target: Locator, name: string, maxWidth = 900): Promise<number> {
  await target.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  const raw = await target.screenshot({ animations: 'disabled' });
  const png = await sharp(raw)
    .resize({ width: maxWidth, withoutEnlargement: true })
    .png({ palette: true, colors: 128, compressionLevel: 9, effort: 10 })
    .toBuffer();
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, name), png);
  if (UPDATE_DOCS && name.startsWith('screenshot-')) writeFileSync(join(root, 'docs', name), png);
  return png.length;
}

describe('the tutorials on the gankit kernel (real browser)', { skip }, () => {
  before(async () => {
    if (missing) throw new Error(missing);
    prepareKernel();
    process.env.GANKIT_NOTEBOOK_STEPS = String(STEPS); // inherited by JupyterLab and its kernels
    const nb = (name: string) => readFileSync(join(root, 'notebooks', name), 'utf8');
    lab = await startLab({
      files: { '03-training-a-dcgan.ipynb': nb('03-training-a-dcgan.ipynb'), '04-image-editing.ipynb': nb('04-image-editing.ipynb'), 'stop.ipynb': STOP_NOTEBOOK },
      dirs: [join(root, 'notebooks', 'data')]
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  test(`notebook 3: live training (${STEPS} steps, stopped halfway, resumed) reads at a glance`, async () => {
    const { page, errors } = await openNotebook(browser!, lab!, '03-training-a-dcgan.ipynb', VIEWPORT);
    try {
      await kernelIdle(page, KERNEL);
      const seconds = await runAllCells(page, 480_000);
      console.log(`# notebook 3 (${STEPS} steps) ran in ${seconds.toFixed(0)} s`);
      const prompts = (await page.locator('.jp-Notebook .jp-CodeCell .jp-InputPrompt').allTextContents()).map(t => t.trim());
      const stderr = await page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').allTextContents();
      assert.ok(prompts.every(t => /^\[\d+\]:$/.test(t)), `every cell ran: ${prompts.join(' ')}\n${stderr.join('\n').slice(0, 3000)}`);

      // First half: stopped by trainer.stop() at step 100. The progress line says so, without an ETA.
      const first = codeCell(page, 'const live = liveTraining(trainer)');
      const progress1 = ((await first.locator('.gankit-progress').textContent()) ?? '').trim();
      assert.match(progress1, new RegExp(`^STOPPED step ${STEPS / 2}/${STEPS} \\(50%\\)`));
      assert.doesNotMatch(progress1, /ETA/);
      const lossPlot1 = first.locator('.gankit-plot').first();
      assert.equal(await lossPlot1.locator('.gankit-badge').textContent(), 'stopped');

      // Loss plot: Loss_D and Loss_G on the left, D(x) and D(G(z)) on the right, marked in the legend; round ticks.
      const legend = await lossPlot1.locator('.legendtext').allTextContents();
      assert.deepEqual(legend, ['Loss_D', 'Loss_G', 'D(x) (right axis)', 'D(G(z)) (right axis)']);
      for (const cls of ['ytick', 'y2tick', 'xtick']) await assertRoundTicks(lossPlot1, cls);
      assert.deepEqual(await lossPlot1.locator('.g-ytitle, .g-y2title').allTextContents(), ['Loss_D, Loss_G', 'D(x), D(G(z))']);

      // Quality plot: fd, confidence and diversity each on their own panel (no shared axis).
      const quality = first.locator('.gankit-plot').nth(1);
      const layout = await quality.locator('.js-plotly-plot').evaluate((e: any) => ({
        axes: e.data.map((t: any) => t.yaxis),
        titles: ['yaxis', 'yaxis3', 'yaxis5'].map(k => e.layout[k]?.title?.text)
      }));
      assert.deepEqual([...new Set(layout.axes)], ['y', 'y3', 'y5']);
      assert.deepEqual(layout.titles, ['fd', 'confidence', 'diversity']);
      for (const cls of ['ytick', 'y3tick', 'y5tick']) await assertRoundTicks(quality, cls);

      // Fixed-noise grid: 8 columns, crisp, inside the output.
      const grid1 = first.locator('.gankit-images');
      await assertGridFits(grid1, 8);

      // Resumed run: one step count (the global step) in the progress line, the chart and the grid.
      const resumed = codeCell(page, 'const resumedLive = liveTraining(resumed');
      const progress2 = ((await resumed.locator('.gankit-progress').textContent()) ?? '').trim();
      assert.match(progress2, new RegExp(`^done: step ${STEPS}/${STEPS} \\(100%\\)`));
      assert.match(await resumed.locator('.gankit-progress progress').evaluate((e: any) => `${e.value}/${e.max}`), new RegExp(`^${STEPS}/${STEPS}$`));
      const lossPlot2 = resumed.locator('.gankit-plot').first();
      assert.equal(await lossPlot2.locator('.gankit-badge').textContent(), 'final');
      const xs = await lossPlot2.locator('.js-plotly-plot').evaluate((e: any) => Array.from(e.data[0].x) as number[]);
      assert.equal(xs[0], 1);
      assert.equal(xs[xs.length - 1], STEPS, 'the chart ends at the global step');
      assert.match((await resumed.locator('.gankit-images .gankit-title').textContent()) ?? '', new RegExp(`step ${STEPS}$`));

      // The full-run plot of trainer.history keys uses the same labels as the live one.
      const full = codeCell(page, 'plot(resumed.history.map');
      const fullLegend = await full.locator('.legendtext').allTextContents();
      assert.deepEqual(fullLegend, ['Loss_D', 'Loss_G', 'D(x) (right axis)', 'D(G(z)) (right axis)']);

      // Progress over time: a 16-wide grid shows all 16 columns.
      const over = codeCell(page, 'const snaps = resumed.snapshots').locator('.gankit-images');
      await assertGridFits(over, 16);

      const kb = [
        await readmeShot(page, resumed.locator('.jp-OutputArea'), 'screenshot-training.png'),
        await readmeShot(page, codeCell(page, 'showImages(grids').locator('.jp-OutputArea'), 'screenshot-samples.png')
      ].map(b => b / 1024);
      console.log(`# screenshots: training ${kb[0].toFixed(0)} KB, samples ${kb[1].toFixed(0)} KB`);
      for (const k of kb) assert.ok(k < 200, `screenshot under 200 KB (${k.toFixed(0)} KB)`);
      assert.deepEqual(errors.filter(e => e !== 'Error: No active debugger session'), [], 'no page errors');
    } finally {
      await page.close();
    }
  });

  test('notebook 4: edit grids fit the output width', async () => {
    const { page, errors } = await openNotebook(browser!, lab!, '04-image-editing.ipynb', VIEWPORT);
    try {
      await kernelIdle(page, KERNEL);
      await runAllCells(page, 300_000);
      const prompts = (await page.locator('.jp-Notebook .jp-CodeCell .jp-InputPrompt').allTextContents()).map(t => t.trim());
      assert.ok(prompts.every(t => /^\[\d+\]:$/.test(t)), `every cell ran: ${prompts.join(' ')}`);
      const colour = codeCell(page, "await showEdits('colour'");
      await assertGridFits(colour.locator('.gankit-images'), 4);
      const captions = await colour.locator('.gankit-caption').allTextContents();
      assert.deepEqual(captions.slice(0, 2), ['brightness 1.5', 'contrast 0.5']);
      const kb = (await readmeShot(page, colour.locator('.jp-OutputArea'), 'screenshot-edits.png')) / 1024;
      console.log(`# screenshot: edits ${kb.toFixed(0)} KB`);
      assert.ok(kb < 200, `screenshot under 200 KB (${kb.toFixed(0)} KB)`);
      assert.deepEqual(errors.filter(e => e !== 'Error: No active debugger session'), [], 'no page errors');
    } finally {
      await page.close();
    }
  });

  test('the stop button interrupts a live training: STOPPED badge, ETA cleared', async () => {
    const { page } = await openNotebook(browser!, lab!, 'stop.ipynb', VIEWPORT);
    try {
      await kernelIdle(page, KERNEL);
      const c = page.locator('.jp-Notebook .jp-CodeCell').first();
      await c.locator('.cm-content').click();
      await page.keyboard.press('Control+Enter');
      const plot = c.locator('.gankit-plot');
      await plot.locator('.gankit-badge', { hasText: 'live' }).waitFor({ timeout: 120_000 });
      await page.waitForFunction(() => /step (\d{2,})\/100000 .*ETA/.test((globalThis as any).document.querySelector('.gankit-progress')?.textContent ?? ''), undefined, {
        timeout: 120_000
      });
      assert.ok(await plot.locator('.gankit-badge.gankit-live').count(), 'the badge pulses while training');
      await page.locator('.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]').click();
      // The cell ends with the interrupt error; the live outputs got their final state before it.
      await c.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]', { hasText: 'Interrupted by the user' }).waitFor({ timeout: 120_000 });
      await plot.locator('.gankit-badge', { hasText: 'stopped' }).waitFor({ timeout: 60_000 });
      const progress = ((await c.locator('.gankit-progress').textContent()) ?? '').trim();
      assert.match(progress, /^INTERRUPTED step \d+\/100000/);
      assert.doesNotMatch(progress, /ETA/);
      assert.equal(await plot.locator('.gankit-badge.gankit-live').count(), 0, 'no pulsing LIVE badge');
      assert.equal(await c.locator('.jp-OutputArea-output', { hasText: 'not reached' }).count(), 0);
      const step = Number(/step (\d+)\//.exec(progress)![1]);
      const xs = await plot.locator('.js-plotly-plot').evaluate((e: any) => Array.from(e.data[0].x) as number[]);
      assert.equal(xs[xs.length - 1], step, 'the chart and the progress line agree on the step');
      await readmeShot(page, c.locator('.jp-OutputArea'), 'ui-stopped.png');
    } finally {
      await page.close();
    }
  });
});
