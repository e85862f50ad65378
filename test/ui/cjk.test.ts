/**
 * Chinese captions and titles in the JupyterLab renderers (real JupyterLab, real Chromium): the image
 * grid's title and captions and the plot's title and legend are drawn with an installed CJK font
 * (Chromium reports the platform fonts it used, through the DevTools protocol), not as boxes; the
 * views' font list ends in CJK fonts (style/index.css), which the plot view hands to plotly.
 * Outputs are real gankit bundles (imagesBundle, plotBundle) saved in a notebook.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import * as tf from '@tensorflow/tfjs';
import { imagesBundle, plotBundle } from '../../src/display/index.js';
import { launchBrowser, missingPrerequisite, openNotebook, shot, skip, startLab, type Lab } from './lab-helpers.js';

const TITLE = '生成器的样本（训练 6 步后）';
const CAPTIONS = ['真实图像', '生成图像'];
const PLOT_TITLE = '判别器与生成器的损失';
const HAN = /\p{Script=Han}/gu;

/** Font families fontconfig lists for Chinese (what Chromium can fall back to). */
function chineseFamilies(): string[] {
  const out = execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  return out.split('\n').flatMap((l) => l.split(',')).map((f) => f.trim()).filter(Boolean);
}

async function notebookText(): Promise<string> {
  const images = tf.tidy(() => tf.stack([tf.ones([28, 28, 1]), tf.zeros([28, 28, 1])]) as tf.Tensor4D);
  const grid = await imagesBundle(images, { title: TITLE, captions: CAPTIONS });
  images.dispose();
  const losses = await plotBundle({ 生成器损失: [[0, 1.2], [1, 0.9], [2, 0.8]], 判别器损失: [[0, 0.7], [1, 0.6], [2, 0.65]] }, { title: PLOT_TITLE });
  const cell = (i: number, data: Record<string, unknown>) => ({
    id: `c${i}`, cell_type: 'code', execution_count: i + 1, metadata: {}, source: 'show()',
    outputs: [{ output_type: 'display_data', data, metadata: {} }],
  });
  return JSON.stringify({
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' }, language_info: { name: 'python' } },
    cells: [cell(0, grid), cell(1, losses)],
  });
}

/** Platform fonts Chromium used for the text of the first node matching `selector`: family -> glyph count. */
async function fontsFor(page: Page, selector: string): Promise<Record<string, number>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    assert.ok(nodeId, `no node ${selector}`);
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const used: Record<string, number> = {};
    for (const f of fonts) used[f.familyName] = (used[f.familyName] ?? 0) + f.glyphCount;
    return used;
  } finally {
    await cdp.detach();
  }
}

const missing = missingPrerequisite();
let lab: Lab | null = null;
let browser: Browser | null = null;

describe('Chinese text in the JupyterLab renderers (real browser)', { skip }, () => {
  before(async () => {
    if (missing) throw new Error(missing);
    lab = await startLab({ files: { 'zh.ipynb': await notebookText() } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await lab?.stop();
  });

  test('titles, captions and legends are drawn with a CJK font, not boxes', async () => {
    const cjk = chineseFamilies();
    assert.ok(cjk.length > 0, 'no CJK font installed (fc-list :lang=zh is empty): run scripts/setup.sh, which installs fonts-wqy-microhei');
    const { page, errors } = await openNotebook(browser!, lab!, 'zh.ipynb');
    try {
      const grid = page.locator('.gankit-images').first();
      await grid.locator('.gankit-cell img').first().waitFor({ timeout: 30_000 });
      assert.equal(await grid.locator('.gankit-title').textContent(), TITLE);
      assert.deepEqual(await grid.locator('.gankit-caption').allTextContents(), CAPTIONS);
      const plot = page.locator('.gankit-plot').first();
      await plot.locator('.js-plotly-plot .main-svg').first().waitFor({ timeout: 60_000 });
      assert.equal(await plot.locator('.gtitle').textContent(), PLOT_TITLE);

      const family = await grid.evaluate((g) => (globalThis as any).getComputedStyle(g).fontFamily as string);
      assert.match(family, /Noto Sans CJK SC.*WenQuanYi Micro Hei/, `the view's font list ends in CJK fonts: ${family}`);
      const plotFamily = await plot.locator('.gtitle').evaluate((t) => (globalThis as any).getComputedStyle(t).fontFamily as string);
      assert.match(plotFamily, /Noto Sans CJK SC/, `plotly got the CJK font list: ${plotFamily}`);

      for (const [selector, text] of [
        ['.gankit-images .gankit-title', TITLE],
        ['.gankit-images .gankit-caption', CAPTIONS[0]!],
        ['.gankit-plot .gtitle', PLOT_TITLE],
        ['.gankit-plot .legendtext', '生成器损失'],
      ] as const) {
        const used = await fontsFor(page, selector);
        const han = text.match(HAN)!.length;
        const byCjk = Object.entries(used).filter(([f]) => cjk.includes(f)).reduce((n, [, c]) => n + c, 0);
        assert.ok(byCjk >= han, `${selector}: ${han} Chinese characters, ${byCjk} glyphs from a CJK font (fonts used: ${JSON.stringify(used)})`);
      }
      await shot(page, 'ui-chinese-text.png');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
