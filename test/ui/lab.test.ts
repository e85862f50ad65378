/**
 * UI test of the gankit JupyterLab extension in a real browser against a real JupyterLab.
 *
 * Starts `.venv/bin/jupyter lab` on a free port in a temporary root, with notebooks whose SAVED
 * outputs hold the gankit MIME bundles (untrusted, no code runs), opens them in Debian's
 * Chromium through playwright-core and checks that the tensor canvas, the image grid and the
 * plotly plot appear, that plotly is fetched only once a plot is shown, that bad payloads
 * and hostile captions are handled, theme switching, and the export command. Screenshots go
 * to test-artifacts/. Fails when Chromium, the venv or the installed extension is missing; GANKIT_SKIP_UI=1 skips it.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import {
  ARTIFACTS,
  IMAGES_MIME,
  PLOT_MIME,
  TENSOR_MIME,
  assertRoundTicks,
  launchBrowser,
  missingPrerequisite,
  openNotebook as open,
  plotlyChunk,
  shot,
  skip,
  startLab,
  type Lab, savedNotebook } from './lab-helpers.js';

// Missing prerequisites fail the suite (setup installs them); only GANKIT_SKIP_UI=1 skips it.
const missing = missingPrerequisite();

// ---- fixtures: tiny PNG encoder, payloads, notebooks -------------------------------------------

const CRC = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** 8-bit greyscale (1 channel) or RGB (3) PNG, base64. */
function png(width: number, height: number, channels: 1 | 3, px: Uint8Array): string {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = channels === 1 ? 0 : 2;
  const stride = width * channels;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) Buffer.from(px.buffer, px.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  const sig = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]).toString('base64');
}

/** A 28x28 "digit": a ring whose radius and thickness depend on i, values in [-1, 1] like tanh. */
function digit(i: number): Float32Array {
  const out = new Float32Array(28 * 28);
  const r = 5 + (i % 5) * 1.5;
  const cx = 13.5 + ((i % 3) - 1) * 2;
  for (let y = 0; y < 28; y++)
    for (let x = 0; x < 28; x++) {
      const d = Math.hypot(x - cx, y - 13.5);
      out[y * 28 + x] = Math.max(-1, Math.min(1, 1 - Math.abs(d - r) / (1 + (i % 2))));
    }
  return out;
}
const toBytes = (v: Float32Array) => Uint8Array.from(v, x => Math.round(((x + 1) / 2) * 255));

function tensorBundle() {
  const items = [0, 1, 2, 3].map(digit);
  const all = items.flatMap(v => Array.from(v));
  const mean = all.reduce((a, b) => a + b, 0) / all.length;
  const std = Math.sqrt(all.reduce((a, b) => a + (b - mean) ** 2, 0) / all.length);
  const preview = (v: Float32Array) => ({
    kind: 'heatmap',
    width: 28,
    height: 28,
    values: Array.from(v, x => Math.round(x * 1e4) / 1e4),
    range: [-1, 1],
    png: png(28, 28, 1, toBytes(v)),
    stride: [1, 1]
  });
  const slice = (b: number) => [b, [0, 28, 1], [0, 28, 1], 0];
  const payload = {
    version: 1,
    shape: [4, 28, 28, 1],
    dtype: 'float32',
    name: 'fake = G(fixed_noise)',
    stats: { min: Math.min(...all), max: Math.max(...all), mean, std, nanCount: 0, infCount: 0, size: all.length },
    preview: preview(items[0]),
    slice: slice(0),
    slices: items.map((v, b) => ({ label: `[${b}]`, slice: slice(b), preview: preview(v) }))
  };
  return { [TENSOR_MIME]: payload, 'image/png': payload.preview.png, 'text/plain': 'Tensor float32 [4, 28, 28, 1]' };
}

/** A [32, 32, 3] RGB image tensor: the preview is its PNG. */
function imageTensorBundle() {
  const px = new Uint8Array(32 * 32 * 3);
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++) px.set([x * 8, y * 8, 128], (y * 32 + x) * 3);
  const b64 = png(32, 32, 3, px);
  const payload = {
    version: 1,
    shape: [32, 32, 3],
    dtype: 'int32',
    name: 'photo',
    stats: { min: 0, max: 248, mean: 109.3, std: 60.2, nanCount: 0, infCount: 0, size: 3072 },
    preview: { kind: 'image', width: 32, height: 32, range: [0, 255], png: b64, stride: [1, 1] },
    slice: [[0, 32, 1], [0, 32, 1], [0, 3, 1]]
  };
  return { [TENSOR_MIME]: payload, 'image/png': b64, 'text/plain': 'Tensor int32 [32, 32, 3]' };
}

const XSS = '<img src=x onerror="window.__gankitPwned=1">';

function imagesBundle() {
  const images = Array.from({ length: 16 }, (_, i) => ({
    png: png(28, 28, 1, toBytes(digit(i))),
    width: 28,
    height: 28,
    caption: i === 5 ? XSS : `sample ${i}`
  }));
  const payload = { version: 1, images, nrow: 8, padding: 2, padValue: 0, title: 'Fake images, epoch 5', total: 64 };
  return { [IMAGES_MIME]: payload, 'image/png': images[0].png, 'text/plain': 'ImageGrid 16 of 64' };
}

/** A 40-wide grid of digits (1202 px at 1x): must be scaled down to fit the output. */
function wideBundle() {
  const images = Array.from({ length: 40 }, (_, i) => ({ png: png(28, 28, 1, toBytes(digit(i))), width: 28, height: 28 }));
  const payload = { version: 1, images, nrow: 40, padding: 2, padValue: 0, title: '40 in a row', total: 40 };
  return { [IMAGES_MIME]: payload, 'image/png': images[0].png, 'text/plain': 'ImageGrid 40' };
}

function badBundle() {
  const payload = { version: 1, images: [{ png: 'not base64!', width: 28, height: 28 }], nrow: 8, padding: 2, padValue: 0, total: 1 };
  return { [IMAGES_MIME]: payload, 'image/png': png(1, 1, 1, new Uint8Array([0])), 'text/plain': 'ImageGrid (bad)' };
}

function plotBundle() {
  let seed = 1;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
  const steps = Array.from({ length: 300 }, (_, s) => s * 10);
  const series = [
    { name: 'Loss_D', points: steps.map((s, i) => [s, 1.4 * Math.exp(-i / 120) + 0.35 + 0.25 * rnd()]) },
    { name: 'Loss_G', points: steps.map((s, i) => [s, 0.8 + 2.2 * (1 - Math.exp(-i / 80)) + 0.6 * rnd()]) },
    { name: 'D(x)', axis: 'y2', points: steps.map((s, i) => [s, 0.55 + 0.3 * Math.exp(-i / 90) + 0.05 * rnd()]) }
  ];
  const payload = { version: 1, title: 'DCGAN losses', xLabel: 'iteration', yLabel: 'loss', series, maxPoints: 1000, scale: 'linear', final: true };
  return { [PLOT_MIME]: payload, 'image/png': png(1, 1, 1, new Uint8Array([255])), 'text/plain': 'Plot DCGAN losses' };
}


// ---- JupyterLab and the browser ---------------------------------------------------------------

let lab: Lab | null = null;
let browser: Browser | null = null;

async function startLabWithNotebooks(): Promise<Lab> {
  return startLab({
    files: {
      'grids.ipynb': savedNotebook([
        { source: 'show(fake)', bundle: tensorBundle() },
        { source: 'show(grid)', bundle: imagesBundle() },
        { source: 'show(broken)', bundle: badBundle() },
        { source: 'show(photo)', bundle: imageTensorBundle() },
        { source: 'show(wide)', bundle: wideBundle() }
      ], 'python3'),
      'losses.ipynb': savedNotebook([{ source: 'show(losses)', bundle: plotBundle() }], 'python3')
    },
    // A user setting of ours, to check that the plugin reads settings into the renderers.
    settings: { 'gankit-labextension:plugin': { defaultSmoothing: 0.8 } }
  });
}

const openNotebook = (name: string) => open(browser!, lab!, name);

// Callbacks given to page.evaluate/waitForFunction run in the browser. This file is type-checked
// with the project's Node-only lib (no DOM), so they reach the page through `globalThis as any`.

describe('JupyterLab UI (real browser)', { skip }, () => {
  before(async () => {
    if (missing) throw new Error(missing);
    mkdirSync(ARTIFACTS, { recursive: true });
    lab = await startLabWithNotebooks();
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  test('the extension is installed and enabled', async () => {
    const r = await fetch(`${lab!.base}/lab/api/extensions?token=${lab!.token}`);
    assert.ok(r.ok);
    const list = (await r.json()) as { name: string; enabled: boolean; status?: string }[];
    const ext = list.find(e => e.name === 'gankit-labextension');
    assert.ok(ext, `gankit-labextension not in ${list.map(e => e.name).join(', ')}`);
    assert.equal(ext.enabled, true);
  });

  test('tensor and image grid render from saved outputs; plotly is not loaded for them', async () => {
    const { page, requested, errors } = await openNotebook('grids.ipynb');
    try {
      const tensor = page.locator('.gankit-tensor').first();
      await tensor.locator('canvas.gankit-tensor-canvas').waitFor({ timeout: 30_000 });
      assert.equal(await tensor.locator('.gankit-tensor-shape').textContent(), '[4, 28, 28, 1]');
      assert.equal(await tensor.locator('.gankit-tensor-name').textContent(), 'fake = G(fixed_noise)');
      const canvas = await tensor.locator('canvas.gankit-tensor-canvas').evaluate((c: any) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let coloured = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] === 255 && (d[i] !== d[i + 1] || d[i + 1] !== d[i + 2])) coloured++;
        return { w: c.width, h: c.height, cssW: c.getBoundingClientRect().width, rendering: (globalThis as any).getComputedStyle(c).imageRendering, coloured };
      });
      assert.equal(canvas.w, 28);
      assert.ok(canvas.cssW >= 28 * 8, `canvas shown scaled up (${canvas.cssW}px)`);
      assert.equal(canvas.rendering, 'pixelated');
      assert.ok(canvas.coloured > 100, 'heatmap drawn with a colormap');
      assert.equal(await tensor.locator('.gankit-slice-buttons button').count(), 4);
      // hover readout
      const box = (await tensor.locator('canvas.gankit-tensor-canvas').boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.5 + 1, box.y + box.height * 0.25 + 1);
      assert.match((await tensor.locator('.gankit-readout').textContent())!, /^\[0, 7, 14, 0\] = -?\d/);
      await tensor.locator('.gankit-slice-buttons button', { hasText: '[2]' }).click();
      assert.equal(await tensor.locator('.gankit-slice-buttons button[aria-pressed="true"]').textContent(), '[2]');
      // the PNG fallback of the same bundle is not shown
      assert.equal(await page.locator('.jp-RenderedImage').count(), 0);

      const grid = page.locator('.gankit-images').first();
      await grid.locator('.gankit-cell img').first().waitFor();
      assert.equal(await grid.locator('.gankit-cell img').count(), 16);
      const img = await grid.locator('.gankit-cell img').first().evaluate((i: any) => ({
        natural: i.naturalWidth,
        shown: i.getBoundingClientRect().width,
        rendering: (globalThis as any).getComputedStyle(i).imageRendering
      }));
      assert.deepEqual(img, { natural: 28, shown: 84, rendering: 'pixelated' });
      assert.equal(await grid.locator('.gankit-note').first().textContent(), '16 of 64 images');
      assert.equal(await grid.locator('.gankit-caption').nth(5).textContent(), XSS, 'caption shown as text');
      assert.equal(await page.evaluate(() => (globalThis as any).__gankitPwned), undefined);

      const bad = page.locator('.gankit-images').nth(1);
      await bad.locator('.gankit-error').waitFor();
      assert.match((await bad.locator('.gankit-error').textContent())!, /Expected base64-encoded PNG .* for images\[0\]\.png/);

      // an RGB image tensor: the preview PNG is drawn on the canvas, no colormap
      const photo = page.locator('.gankit-tensor').nth(1);
      await photo.locator('canvas').first().waitFor();
      await page.waitForFunction(() => {
        const c = (globalThis as any).document.querySelectorAll('.gankit-tensor canvas.gankit-tensor-canvas')[1];
        return c && c.getContext('2d')!.getImageData(31, 31, 1, 1).data[0] > 200;
      });
      assert.equal(await photo.locator('.gankit-cmap').isHidden(), true);
      const pbox = (await photo.locator('canvas.gankit-tensor-canvas').boundingBox())!;
      await page.mouse.move(pbox.x + pbox.width - 2, pbox.y + 2);
      assert.match((await photo.locator('.gankit-readout').textContent())!, /^\[0, 31, :\] ≈ \(248, 0, 128\)$/);

      // A 40-wide grid is scaled down so all 40 columns show inside the output; "full size" scrolls instead.
      const wide = page.locator('.gankit-images').nth(2);
      await wide.locator('.gankit-cell img').first().waitFor();
      const fit = () =>
        wide.evaluate((v: any) => {
          const out = v.closest('.jp-OutputArea-output').getBoundingClientRect();
          const imgs = Array.from(v.querySelectorAll('.gankit-cell img'), (i: any) => i.getBoundingClientRect());
          return {
            outWidth: out.width,
            outRight: out.right,
            gridWidth: v.querySelector('.gankit-grid').getBoundingClientRect().width,
            columns: new Set(imgs.map((r: any) => Math.round(r.left))).size,
            lastRight: Math.max(...imgs.map((r: any) => r.right)),
            rendering: (globalThis as any).getComputedStyle(v.querySelector('.gankit-cell img')).imageRendering
          };
        });
      const f = await fit();
      assert.equal(f.columns, 40, 'every column on one row');
      assert.ok(f.gridWidth <= f.outWidth + 0.5 && f.lastRight <= f.outRight + 0.5, `the grid fits the output: ${JSON.stringify(f)}`);
      assert.ok(f.gridWidth < 1202, 'scaled down');
      await wide.locator('.gankit-full').click();
      const full = await fit();
      assert.ok(full.gridWidth > f.outWidth, `full size is wider than the output: ${JSON.stringify(full)}`);
      assert.equal(full.rendering, 'pixelated', 'full size: crisp integer zoom');
      await wide.locator('.gankit-full').click();
      assert.ok((await fit()).gridWidth <= f.outWidth + 0.5, 'back to fit');

      await shot(page, 'ui-tensor-images.png');
      const save = page.waitForEvent('download', { timeout: 20_000 });
      await grid.locator('.gankit-save').click();
      assert.equal((await save).suggestedFilename(), 'gankit-grid.png');
      await grid.locator('.gankit-cell').nth(3).click();
      await grid.locator('.gankit-lightbox').waitFor();
      assert.equal(await grid.locator('.gankit-lightbox-caption').textContent(), 'sample 3');
      await shot(page, 'ui-image-enlarged.png');
      await page.keyboard.press('Escape');
      await grid.locator('.gankit-lightbox').waitFor({ state: 'hidden' });

      const plotly = plotlyChunk();
      assert.ok(requested.length > 0, 'extension chunks were fetched');
      assert.ok(!requested.some(u => u.includes(plotly)), `plotly chunk ${plotly} must not load without a plot`);
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('plot renders with plotly (lazily loaded), keeps the user zoom across redraws, toggles log scale, resizes, follows the theme, exports PNG', async () => {
    const { page, requested, errors } = await openNotebook('losses.ipynb');
    try {
      const plot = page.locator('.gankit-plot').first();
      await plot.locator('.js-plotly-plot .main-svg').first().waitFor({ timeout: 60_000 });
      assert.ok(requested.some(u => u.includes(plotlyChunk())), 'plotly chunk loaded for the plot');
      assert.equal(await plot.locator('.scatterlayer .trace').count(), 6, 'raw + smoothed trace per series');
      // The right-axis series is marked in the legend; both axes have round ticks.
      assert.deepEqual(await plot.locator('.legendtext').allTextContents(), ['Loss_D', 'Loss_G', 'D(x) (right axis)']);
      for (const cls of ['ytick', 'y2tick', 'xtick']) await assertRoundTicks(plot, cls);
      assert.equal(await plot.locator('.gankit-badge').textContent(), 'final');
      assert.equal(await plot.locator('.gankit-smoothing-value').textContent(), '0.80', 'default smoothing from the user settings');
      assert.match((await plot.locator('.gtitle').textContent()) ?? '', /DCGAN losses/);
      await shot(page, 'ui-plot-light.png');

      // zoom in on x by dragging; redraws (smoothing change, log toggle) must keep that zoom
      const xTicks = async () => (await plot.locator('.xtick text').allTextContents()).sort((a, b) => Number(a) - Number(b));
      const full = await xTicks();
      const drag = (await plot.locator('.nsewdrag').first().boundingBox())!;
      await page.mouse.move(drag.x + drag.width * 0.2, drag.y + drag.height * 0.5);
      await page.mouse.down();
      await page.mouse.move(drag.x + drag.width * 0.4, drag.y + drag.height * 0.5 + 2, { steps: 8 });
      await page.mouse.up();
      await page.waitForFunction(
        f => JSON.stringify(Array.from((globalThis as any).document.querySelectorAll('.gankit-plot .xtick text'), (t: any) => t.textContent)) !== f,
        JSON.stringify(full)
      );
      const zoomed = await xTicks();
      await plot.locator('.gankit-smoothing').fill('0.3');
      await page.waitForFunction(() => (globalThis as any).document.querySelector('.gankit-plot .gankit-smoothing-value')?.textContent === '0.30');
      await page.waitForTimeout(300);
      assert.deepEqual(await xTicks(), zoomed, 'the user zoom survives a redraw with new data (uirevision)');

      const yTicks = () => plot.locator('.ytick text').allTextContents();
      const linear = await yTicks();
      await plot.locator('button[data-scale="log"]').click();
      await page.waitForFunction(
        before => JSON.stringify(Array.from((globalThis as any).document.querySelectorAll('.gankit-plot .ytick text'), (t: any) => t.textContent)) !== before,
        JSON.stringify(linear)
      );
      assert.equal(await plot.locator('button[data-scale="log"]').getAttribute('aria-pressed'), 'true');
      assert.deepEqual(await xTicks(), zoomed, 'switching the y scale keeps the x zoom');

      // resize with the panel: the plot follows the output width
      const width = () => plot.locator('.main-svg').first().evaluate(s => s.getBoundingClientRect().width);
      const w0 = await width();
      await page.setViewportSize({ width: 900, height: 1400 });
      await page.waitForFunction(w => {
        const s = (globalThis as any).document.querySelector('.gankit-plot .main-svg');
        return s && Math.abs(s.getBoundingClientRect().width - w) > 50;
      }, w0);

      // theme: switch to dark through the command palette
      const bg = () => plot.locator('.main-svg').first().evaluate(s => (globalThis as any).getComputedStyle(s).backgroundColor);
      const light = await bg();
      const viewBg = () => plot.evaluate(v => (globalThis as any).getComputedStyle(v).backgroundColor);
      const lightView = await viewBg();
      await page.keyboard.press('Control+Shift+C');
      await page.locator('.lm-CommandPalette-input').fill('JupyterLab Dark');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => (globalThis as any).document.body.dataset.jpThemeLight === 'false');
      await page.waitForFunction(l => (globalThis as any).getComputedStyle((globalThis as any).document.querySelector('.gankit-plot .main-svg')).backgroundColor !== l, light, { timeout: 10_000 });
      await page.locator('#jupyterlab-splash').waitFor({ state: 'detached', timeout: 20_000 });
      await page.waitForTimeout(500);
      assert.notEqual(await viewBg(), lightView, 'the view follows the theme (JupyterLab CSS variables)');
      await shot(page, 'ui-plot-dark.png');

      // export the focused figure through the command palette
      await plot.locator('.gankit-toolbar').click();
      await page.keyboard.press('Control+Shift+C');
      await page.locator('.lm-CommandPalette-input').fill('gankit: Export focused');
      const download = page.waitForEvent('download', { timeout: 20_000 });
      await page.keyboard.press('Enter');
      assert.equal((await download).suggestedFilename(), 'gankit-plot.png');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
