/**
 * UI test of the latent explorer in a real browser against a real JupyterLab: notebooks whose SAVED
 * outputs hold exploreLatent bundles of the shipped generators (so the notebook is untrusted and no
 * kernel runs) are opened in Debian's Chromium through playwright-core. The test drags the pad and a
 * slider with real pointer and keyboard input and checks the sample canvas's pixels change, picks a
 * class on the conditional generator, checks tfjs is fetched only for the explorer, measures the time
 * from an input to its frame (reported, not asserted: speed targets live in bench/explorer.ts), and
 * saves a screenshot to test-artifacts/explorer.png. Fails when Chromium, the venv or the installed
 * extension is missing; GANKIT_SKIP_UI=1 skips it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import { initBackend } from '../../src/backend/select.js';
import { explorerBundle, type ExploreLatentOptions } from '../../src/display/index.js';
import { loadPretrained } from '../../src/gan/pretrained.js';
import { ARTIFACTS, launchBrowser, missingPrerequisite, openNotebook, shot, skip, startLab, type Lab, savedNotebook } from './lab-helpers.js';

const missing = missingPrerequisite();

async function bundle(name: string, opts: ExploreLatentOptions): Promise<Record<string, unknown>> {
  const g = await loadPretrained(name);
  try {
    return await explorerBundle(g, opts);
  } finally {
    g.dispose();
  }
}


/** A cheap fingerprint of a canvas's pixels (FNV-1a over RGBA), computed in the page. */
function fingerprint(canvas: Locator): Promise<{ hash: number; bright: number; w: number; h: number }> {
  return canvas.evaluate((c: any) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data as Uint8ClampedArray;
    let h = 0x811c9dc5;
    let bright = 0;
    for (let i = 0; i < d.length; i++) {
      h = Math.imul(h ^ d[i], 16777619) >>> 0;
      if (i % 4 === 0 && d[i] > 128) bright++;
    }
    return { hash: h, bright, w: c.width, h: c.height };
  });
}

const frames = (view: Locator) => view.evaluate((v: any) => Number(v.getAttribute('data-frames') ?? 0));

/** Wait until the view has drawn more than `n` frames and no frame is pending; returns the count. */
async function frameAfter(page: Page, view: Locator, n: number): Promise<number> {
  const handle = await view.elementHandle();
  await page.waitForFunction(
    ([v, after]: [any, number]) => Number(v.getAttribute('data-frames') ?? 0) > after && v.getAttribute('data-pending') === 'false',
    [handle, n] as [unknown, number],
    {
      timeout: 30_000,
      polling: 'raf'
    }
  );
  await page.waitForTimeout(100);
  return frames(view);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let lab: Lab | null = null;
let browser: Browser | null = null;

describe('latent explorer in JupyterLab (real browser)', { skip }, () => {
  before(async () => {
    if (missing) throw new Error(missing);
    mkdirSync(ARTIFACTS, { recursive: true });
    await initBackend();
    const [mnist, cond] = [
      await bundle('mnist-dcgan', { seed: 3, title: 'mnist-dcgan: drag the point, move the sliders' }),
      await bundle('mnist-conditional', { seed: 4, label: 2, title: 'mnist-conditional' })
    ];
    lab = await startLab({
      files: {
        'explorer.ipynb': savedNotebook([{ source: 'exploreLatent(G)', bundle: mnist }]),
        'conditional.ipynb': savedNotebook([{ source: 'exploreLatent(C, { label: 2 })', bundle: cond }])
      }
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  test('untrusted saved output: the generator runs in the page; pad drag and slider change the samples; update time', async () => {
    const { page, requested, errors } = await openNotebook(browser!, lab!, 'explorer.ipynb', { width: 1280, height: 900 });
    try {
      const view = page.locator('.gankit-explorer').first();
      const samples = view.locator('canvas.gankit-explorer-samples');
      await frameAfter(page, view, 0);
      const status = (await view.locator('.gankit-explorer-status').textContent())!;
      assert.match(status, /^(webgl|wasm|cpu).* · 16 samples · \d+ ms to the last frame$/);
      assert.ok(requested.some(u => /\/static\/\d+\.[0-9a-f]+\.js/.test(u)), 'the extension fetched its lazily loaded tfjs chunk');
      const first = await fingerprint(samples);
      assert.deepEqual([first.w, first.h], [4 * 29 - 1, 4 * 29 - 1]);
      assert.ok(first.bright > 200 && first.bright < first.w * first.h * 0.6, `digits drawn (${first.bright} bright pixels)`);
      assert.equal(await view.locator('.gankit-explorer-class').isVisible(), false, 'no class selector for an unconditional generator');

      // Drag the pad from the middle to the top-left corner with real pointer input.
      const pad = view.locator('canvas.gankit-explorer-pad');
      const box = (await pad.boundingBox())!;
      let n = await frames(view);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + 8, box.y + 8, { steps: 30 });
      await page.mouse.up();
      n = await frameAfter(page, view, n);
      assert.equal(await pad.getAttribute('aria-valuetext'), 'u 0.03, v 0.03');
      const dragged = await fingerprint(samples);
      assert.notEqual(dragged.hash, first.hash, 'dragging the pad changed the samples');

      // A direction slider (range -4..4), dragged from its middle to three quarters.
      const slider = view.locator('input.gankit-explorer-direction').first();
      const sb = (await slider.boundingBox())!;
      await page.mouse.move(sb.x + sb.width / 2, sb.y + sb.height / 2);
      await page.mouse.down();
      await page.mouse.move(sb.x + sb.width * 0.75, sb.y + sb.height / 2, { steps: 10 });
      await page.mouse.up();
      n = await frameAfter(page, view, n);
      const value = Number(await slider.inputValue());
      assert.ok(value > 1 && value < 3, `slider at ${value}`);
      const slid = await fingerprint(samples);
      assert.notEqual(slid.hash, dragged.hash, 'the slider changed the samples');

      // Truncation on.
      await view.locator('.gankit-explorer-row input[type=checkbox]').check();
      n = await frameAfter(page, view, n);
      assert.notEqual((await fingerprint(samples)).hash, slid.hash, 'truncation changed the samples');

      // Update time: single pad steps, each waited for (the frame's own measure: input to pixels on the canvas).
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        await page.mouse.move(box.x + 20 + i * 12, box.y + 40 + i * 8);
        await page.mouse.down();
        await page.mouse.up();
        n = await frameAfter(page, view, n);
        times.push(Number(await view.getAttribute('data-frame-ms')));
      }
      const backend = status.split(' ')[0];
      console.log(`# explorer update time (${backend}, 16 samples, 28x28): median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms over ${times.length} clicks`);
      assert.ok(times.every(t => t > 0 && Number.isFinite(t)));

      // Copy z: the code appears (clipboard permission is not granted in this page) with 100 numbers.
      await view.locator('button.gankit-explorer-copy').click();
      const code = view.locator('textarea.gankit-explorer-code');
      await page.waitForTimeout(200);
      const note = (await view.locator('.gankit-explorer-note').textContent())!;
      if (/clipboard unavailable/.test(note)) {
        assert.equal(await code.isVisible(), true);
      }
      const text = await code.inputValue();
      assert.match(text, /^\/\/ gankit latent explorer: anchors seed 3, pad .*truncation 2.00\nconst z = tf.tensor2d\(\[\[/);
      assert.match(text, /showImages\(generate\(G, z\), \{ range: '-1-1' \}\);$/);

      // The screenshot for docs (the output area only).
      const out = page.locator('.jp-OutputArea-output').first();
      await out.screenshot({ path: join(ARTIFACTS, 'explorer.png') });
      assert.ok(statSync(join(ARTIFACTS, 'explorer.png')).size < 200_000);
      await shot(page, 'explorer-page.png');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  test('conditional generator: the class selector redraws the samples', async () => {
    const { page, errors } = await openNotebook(browser!, lab!, 'conditional.ipynb', { width: 1280, height: 900 });
    try {
      const view = page.locator('.gankit-explorer').first();
      const samples = view.locator('canvas.gankit-explorer-samples');
      let n = await frameAfter(page, view, 0);
      const select = view.locator('select.gankit-explorer-class');
      assert.equal(await select.inputValue(), '2');
      assert.equal(await select.locator('option').count(), 10);
      const twos = await fingerprint(samples);
      await select.selectOption('7');
      n = await frameAfter(page, view, n);
      const sevens = await fingerprint(samples);
      assert.notEqual(sevens.hash, twos.hash, 'picking class 7 redraws');
      // New anchors: the next seed, new corners, new samples.
      await view.locator('button.gankit-explorer-new').click();
      n = await frameAfter(page, view, n);
      assert.notEqual((await fingerprint(samples)).hash, sevens.hash);
      await view.locator('button.gankit-explorer-copy').click();
      await page.waitForTimeout(200);
      assert.match(await view.locator('textarea.gankit-explorer-code').inputValue(), /anchors seed 5, .*class 7 \("7"\)[\s\S]*generate\(G, z, 7\)/);
      await shot(page, 'explorer-conditional.png');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
