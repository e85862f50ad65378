/**
 * UI test of the gankit JupyterLab extension with the gankit kernel: starts a real JupyterLab
 * (`.venv/bin/jupyter lab`, the gankit kernelspec from .venv/share/jupyter/kernels/gankit, which
 * runs kernel/launcher.mjs on the compiled library in dist/), opens a notebook whose kernelspec is
 * gankit in Debian's Chromium through playwright-core, runs all its cells through the Run menu and
 * checks the DOM: the tensor canvas, the image grid's images, the plotly plot, a live loop whose
 * updates leave exactly one plot (the same element, redrawn in place) holding all 40 points, and
 * a Jupyter error output for a throwing cell. Screenshots go to test-artifacts/. Fails when
 * Chromium, the venv, the installed extension or the kernel cannot be set up; GANKIT_SKIP_UI=1 skips it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { prepareKernel } from '../kernel/helpers.js';
import { kernelIdle, launchBrowser, missingPrerequisite, openNotebook, runAllCells, shot, skip, startLab, type Lab } from './lab-helpers.js';

// Missing prerequisites fail the suite (setup installs them); only GANKIT_SKIP_UI=1 skips it.
const missing = missingPrerequisite();

const LIVE_POINTS = 40;
const ERROR_TEXT = 'boom from the UI test';

/** The cells, in order; the error cell comes last because Run All stops at an error. */
const CELLS = {
  imports: "import { showTensor, imageGrid, plot, createDisplay } from 'gankit'\nimport * as tf from '@tensorflow/tfjs'",
  tensor: "const fake = tf.tidy(() => tf.randomNormal([4, 28, 28, 1], 0, 1, 'float32', 7).tanh());\nshowTensor(fake, { name: 'fake = G(z)' })",
  images: "const imgs = tf.randomUniform([16, 28, 28, 1], -1, 1, 'float32', 3);\nimageGrid(imgs, { nrow: 8, range: '-1-1' })",
  plot: [
    'const steps = Array.from({ length: 200 }, (_, i) => i * 10);',
    "plot({ Loss_D: steps.map((s, i) => [s, 1.4 * Math.exp(-i / 60) + 0.3] as [number, number]), Loss_G: steps.map((s, i) => [s, 0.8 + 2 * (1 - Math.exp(-i / 40))] as [number, number]) }, { title: 'DCGAN losses' })"
  ].join('\n'),
  live: [
    'const history: [number, number][] = [];',
    'const live = createDisplay();',
    `for (let i = 0; i < ${LIVE_POINTS}; i++) {`,
    '  history.push([i, Math.exp(-i / 10)]);',
    `  live.update(plot({ loss: history }, { title: 'live losses', final: i === ${LIVE_POINTS - 1} }));`,
    '  await new Promise((r) => setTimeout(r, 20));',
    '}'
  ].join('\n'),
  sent: 'live.sent',
  error: `throw new Error('${ERROR_TEXT}')`
};
const NAMES = Object.keys(CELLS) as (keyof typeof CELLS)[];
const idx = (name: keyof typeof CELLS) => NAMES.indexOf(name);

function notebook(): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'gankit', display_name: 'TypeScript (gankit)', language: 'typescript' } },
    cells: NAMES.map((name, i) => ({ id: `cell-${i}-${name}`, cell_type: 'code', execution_count: null, metadata: {}, source: CELLS[name], outputs: [] }))
  });
}

let lab: Lab | null = null;
let browser: Browser | null = null;
let page: Page | null = null;
let errors: string[] = [];
let runSeconds = 0;

// Callbacks given to page.evaluate/waitForFunction run in the browser. This file is type-checked
// with the project's Node-only lib (no DOM), so they reach the page through `globalThis as any`.

/**
 * In the page: count every .gankit-plot view that enters the DOM and record each plotly div's
 * trace-0 length whenever the DOM changes. A string, so tsx's name helpers stay out of the page.
 */
const WATCH_PLOTS = `(() => {
  const seen = new WeakSet();
  const state = { views: 0, lengths: new Map() };
  window.__gankitWatch = state;
  function record() {
    for (const e of document.querySelectorAll('.gankit-plot .js-plotly-plot')) {
      const n = e.data && e.data[0] && e.data[0].x ? e.data[0].x.length : undefined;
      if (typeof n !== 'number') continue;
      const list = state.lengths.get(e) || [];
      if (list[list.length - 1] !== n) list.push(n);
      state.lengths.set(e, list);
    }
  }
  new MutationObserver(records => {
    for (const r of records)
      for (const node of r.addedNodes) {
        if (node.nodeType !== 1) continue;
        for (const v of [node, ...node.querySelectorAll('.gankit-plot')]) {
          if (v.matches('.gankit-plot') && !seen.has(v)) {
            seen.add(v);
            state.views++;
          }
        }
      }
    record();
  }).observe(document.body, { childList: true, subtree: true, attributes: true, characterData: true });
})()`;

/** Throws unless the Run All test finished (so later tests report the real cause). */
function ran(): void {
  if (runSeconds === 0) throw new Error('Run All did not complete (see the first test)');
}

const cell = (name: keyof typeof CELLS) => page!.locator('.jp-Notebook .jp-CodeCell').nth(idx(name));

describe('JupyterLab UI with the gankit kernel (real browser)', { skip }, () => {
  before(async () => {
    if (missing) throw new Error(missing);
    const t0 = performance.now();
    prepareKernel(); // dist/ up to date with src/display, kernelspec installed into .venv
    const t1 = performance.now();
    lab = await startLab({ files: { 'kernel.ipynb': notebook() } });
    console.log(`# setup: dist/kernelspec ${((t1 - t0) / 1000).toFixed(1)} s, JupyterLab up ${((performance.now() - t1) / 1000).toFixed(1)} s`);
    browser = await launchBrowser();
    const opened = await openNotebook(browser, lab, 'kernel.ipynb', { width: 1280, height: 1600 });
    page = opened.page;
    errors = opened.errors;
  });

  after(async () => {
    await page?.close();
    await browser?.close();
    await lab?.stop();
  });

  test('the notebook starts the gankit kernel and Run All executes every cell', async () => {
    const p = page!;
    await kernelIdle(p, 'TypeScript (gankit)');
    await p.evaluate(WATCH_PLOTS);

    // Run All stops at an unexpected error too: then the counts below say where, with the error text.
    runSeconds = await runAllCells(p, 180_000);
    const counts = (await p.locator('.jp-Notebook .jp-CodeCell .jp-InputPrompt').allTextContents()).map(t => t.trim());
    const stderr = await p.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').allTextContents();
    assert.deepEqual(
      counts,
      NAMES.map((_, i) => `[${i + 1}]:`),
      `cells ran once each, in order; stderr/error outputs:\n${stderr.join('\n---\n').slice(0, 3000)}`
    );
    console.log(`# Run All on the gankit kernel: ${runSeconds.toFixed(1)} s`);
    await shot(p, 'ui-kernel-notebook.png');
  });

  test('tensor: the canvas preview with stats and slice buttons, not the PNG fallback', async () => {
    ran();
    const c = cell('tensor');
    const tensor = c.locator('.gankit-tensor');
    assert.equal(await tensor.count(), 1);
    assert.equal(await tensor.locator('.gankit-tensor-shape').textContent(), '[4, 28, 28, 1]');
    assert.equal(await tensor.locator('.gankit-tensor-name').textContent(), 'fake = G(z)');
    const canvas = await tensor.locator('canvas.gankit-tensor-canvas').evaluate((e: any) => {
      const d = e.getContext('2d').getImageData(0, 0, e.width, e.height).data;
      let opaque = 0;
      const colours = new Set<string>();
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] === 255) opaque++;
        colours.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
      }
      return { w: e.width, h: e.height, shown: e.getBoundingClientRect().width, opaque, colours: colours.size };
    });
    assert.equal(canvas.w, 28);
    assert.equal(canvas.h, 28);
    assert.equal(canvas.opaque, 28 * 28, 'every pixel drawn');
    assert.ok(canvas.colours > 20, `a heatmap of random values has many colours (${canvas.colours})`);
    assert.ok(canvas.shown >= 28 * 4, `shown scaled up (${canvas.shown}px)`);
    assert.equal(await tensor.locator('.gankit-slice-buttons button').count(), 4);
    assert.equal(await c.locator('.jp-RenderedImage').count(), 0, 'the image/png fallback is not shown');
  });

  test('image grid: 16 decoded images at native size, pixelated', async () => {
    ran();
    const grid = cell('images').locator('.gankit-images');
    assert.equal(await grid.count(), 1);
    const imgs = grid.locator('.gankit-cell img');
    assert.equal(await imgs.count(), 16);
    const sizes = await imgs.evaluateAll((list: any[]) =>
      list.map(i => ({ complete: i.complete, natural: i.naturalWidth, rendering: (globalThis as any).getComputedStyle(i).imageRendering }))
    );
    assert.deepEqual(sizes, Array.from({ length: 16 }, () => ({ complete: true, natural: 28, rendering: 'pixelated' })));
  });

  test('plot: plotly draws both series with all their points', async () => {
    ran();
    const plotEl = cell('plot').locator('.gankit-plot .js-plotly-plot');
    assert.equal(await plotEl.count(), 1);
    await plotEl.locator('.main-svg').first().waitFor();
    const traces = await plotEl.evaluate((e: any) => e.data.map((t: any) => ({ name: t.name, n: t.x.length })));
    for (const name of ['Loss_D', 'Loss_G']) {
      const t = traces.filter((x: { name: string }) => x.name === name);
      assert.ok(t.length >= 1, `trace ${name} in ${JSON.stringify(traces)}`);
      assert.ok(t.every((x: { n: number }) => x.n === 200), `${name} keeps its 200 points`);
    }
    assert.match((await cell('plot').locator('.gtitle').textContent()) ?? '', /DCGAN losses/);
  });

  test(`live loop: the updates leave one plot, redrawn in place, holding all ${LIVE_POINTS} points`, async () => {
    ran();
    const c = cell('live');
    assert.equal(await c.locator('.jp-OutputArea-output').count(), 1, 'one output in the live cell');
    assert.equal(await c.locator('.gankit-plot').count(), 1, 'one plot view');
    const plotEl = c.locator('.js-plotly-plot');
    assert.equal(await plotEl.count(), 1, 'one plotly figure');
    const trace = await plotEl.evaluate((e: any) => ({ x: Array.from(e.data[0].x), y: Array.from(e.data[0].y) as number[] }));
    assert.deepEqual(trace.x, Array.from({ length: LIVE_POINTS }, (_, i) => i), 'all points, in order');
    assert.ok(Math.abs(trace.y[LIVE_POINTS - 1] - Math.exp(-(LIVE_POINTS - 1) / 10)) < 1e-9);
    assert.equal(await c.locator('.gankit-badge').textContent(), 'final');
    assert.match((await c.locator('.gankit-plot .gankit-note').textContent()) ?? '', new RegExp(`1 series, ${LIVE_POINTS} points`));

    // The kernel sent several messages (display_data + update_display_data) for this one output ...
    const sent = Number((await cell('sent').locator('.jp-OutputArea-output').textContent())?.trim());
    assert.ok(sent >= 3, `live.sent = ${sent}: the loop sent updates`);
    // ... and the browser showed them in the same plotly element (no new view per update: no flicker).
    const watched = await plotEl.evaluate((e: any) => {
      const s = (globalThis as any).__gankitWatch;
      return { views: s.views, lengths: s.lengths.get(e) ?? [] };
    });
    console.log(`# live plot: ${sent} messages sent by the kernel, trace lengths drawn: ${watched.lengths.join(' ')}`);
    assert.equal(watched.views, 2, 'two plot views created in the whole run (static plot + live plot)');
    assert.ok(watched.lengths.length >= 2, `the live plot was redrawn with growing data: ${JSON.stringify(watched.lengths)}`);
    assert.deepEqual(
      watched.lengths,
      [...watched.lengths].sort((a, b) => a - b),
      'point counts only grow'
    );
    assert.equal(watched.lengths[watched.lengths.length - 1], LIVE_POINTS);
    await c.scrollIntoViewIfNeeded();
    await shot(page!, 'ui-kernel-live.png');
  });

  test('a throwing cell shows a Jupyter error output', async () => {
    ran();
    const c = cell('error');
    const err = c.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
    assert.equal(await err.count(), 1);
    assert.match((await err.textContent()) ?? '', new RegExp(`Error: ${ERROR_TEXT}`));
    await c.scrollIntoViewIfNeeded();
    await shot(page!, 'ui-kernel-error.png');
    // JupyterLab 4.6's debugger extension throws 'No active debugger session' from displayModules() after
    // every execute_reply of a kernel without debugger support (its _executionDone handler does not check
    // for a session); that is JupyterLab's, not ours. Every other page error fails the test.
    assert.deepEqual(errors.filter(e => e !== 'Error: No active debugger session'), [], 'no page errors');
  });
});
