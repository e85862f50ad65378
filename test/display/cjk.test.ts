/**
 * Chinese text in PNG fallbacks: plot titles, legends and axis labels are drawn (sharp/librsvg) with an
 * installed CJK font; with none (a fontconfig that sees only DejaVu, in a child process) gankit warns
 * once, naming the fix, instead of leaving unexplained boxes. scripts/setup.sh installs a CJK font.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { plotBundle, PLOT_MIME, type PlotPayload } from '../../src/display/index.js';
import { cjkLanguages, fitColumns, fontFor, SVG_FONT_FAMILY, textColumns } from '../../src/display/fonts.js';
import { root, tempDir } from '../kernel/helpers.js';
import { png } from './helpers.js';

const DEJAVU = '/usr/share/fonts/truetype/dejavu';
const TITLE = '生成器与判别器的损失';
const tmp = tempDir('gankit-cjk-');
after(() => tmp.cleanup());

/** Raw pixels (base64) of `text` drawn with `family`, as the plot fallback draws its text. */
async function drawText(text: string, family: string): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="240" height="48"><rect width="240" height="48" fill="#fff"/>` +
    `<text x="8" y="34" font-family="${family}" font-size="24" fill="#000">${text}</text></svg>`;
  return (await sharp(Buffer.from(svg)).raw().toBuffer()).toString('base64');
}

/** Run `fn` with console.warn captured; returns what it warned. */
async function warnings(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => { seen.push(args.join(' ')); };
  try { await fn(); } finally { console.warn = original; }
  return seen;
}

test('CJK text widths and cuts count a wide character as about 1 em', () => {
  assert.equal(textColumns('Loss_D'), 6);
  assert.ok(Math.abs(textColumns('生成器 G') - (3 * 1.7 + 2)) < 1e-9);
  assert.equal(fitColumns('Loss_D', 24), 'Loss_D');
  assert.equal(fitColumns('x'.repeat(30), 24), 'x'.repeat(23) + '…');
  const cut = fitColumns('判'.repeat(30), 24);
  assert.ok(textColumns(cut) <= 24 && cut.endsWith('…') && cut.length === 14, cut);
  assert.deepEqual(cjkLanguages('Loss_D'), []);
  assert.deepEqual(cjkLanguages('潜在空间'), ['zh']);
  assert.deepEqual(cjkLanguages('生成器 ロス 손실'), ['zh', 'ja', 'ko']);
});

test('a Chinese plot title is drawn with the installed CJK font, without a warning', async () => {
  const zh = fontFor('zh');
  assert.equal(zh.found, true, `no CJK font installed (${zh.why}): run scripts/setup.sh, which installs fonts-wqy-microhei`);
  // The chart's font list reaches the CJK font for Han characters: the same pixels as naming that font alone.
  assert.equal(await drawText('生成器', SVG_FONT_FAMILY), await drawText('生成器', zh.why));
  const seen = await warnings(async () => {
    const b = await plotBundle({ 生成器损失: [[0, 1], [1, 0.5]], 判别器损失: [[0, 0.7], [1, 0.6]] }, { title: TITLE, yLabel: '损失' });
    const p = b[PLOT_MIME] as PlotPayload;
    assert.equal(p.title, TITLE);
    assert.deepEqual(p.series.map((s) => s.name), ['生成器损失', '判别器损失']);
    assert.match(b['text/plain'] as string, new RegExp(TITLE));
    const image = await png(b['image/png']);
    assert.deepEqual([image.width, image.height], [640, 360]);
  });
  assert.deepEqual(seen, []);
});

test('without a CJK font the PNG shows boxes and gankit warns once, naming the fix', () => {
  assert.ok(existsSync(DEJAVU), `${DEJAVU} (Debian fonts-dejavu-core) is needed for this test`);
  const conf = join(tmp.path, 'fonts.conf');
  mkdirSync(join(tmp.path, 'cache'));
  writeFileSync(conf, `<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig><dir>${DEJAVU}</dir><cachedir>${join(tmp.path, 'cache')}</cachedir></fontconfig>\n`);
  const script = join(tmp.path, 'child.mts');
  const url = (p: string): string => pathToFileURL(join(root, p)).href;
  writeFileSync(script, [
    `import { createRequire } from 'node:module';`,
    `const sharp = createRequire(${JSON.stringify(join(root, 'package.json'))})('sharp');`,
    `const { plotBundle } = await import(${JSON.stringify(url('src/display/index.ts'))});`,
    `const { SVG_FONT_FAMILY } = await import(${JSON.stringify(url('src/display/fonts.ts'))});`,
    `const warned: string[] = [];`,
    `console.warn = (...a: unknown[]) => { warned.push(a.join(' ')); };`,
    `await plotBundle({ a: [[0, 1], [1, 2]] }, { title: 'Latin only' });`,
    `await plotBundle({ 生成器: [[0, 1], [1, 2]] }, { title: ${JSON.stringify(TITLE)} });`,
    `await plotBundle({ b: [[0, 1], [1, 2]] }, { title: '第二张图' });`,
    `const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="48"><rect width="240" height="48" fill="#fff"/>' +`,
    `  '<text x="8" y="34" font-family="' + SVG_FONT_FAMILY + '" font-size="24" fill="#000">生成器</text></svg>';`,
    `const pixels = (await sharp(Buffer.from(svg)).raw().toBuffer()).toString('base64');`,
    `process.stdout.write(JSON.stringify({ warned, pixels }));`,
  ].join('\n'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
    cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, FONTCONFIG_FILE: conf },
  });
  assert.equal(r.status, 0, r.stderr);
  const { warned, pixels } = JSON.parse(r.stdout) as { warned: string[]; pixels: string };
  assert.equal(warned.length, 1, warned.join('\n'));
  assert.match(warned[0]!, /no Chinese font is installed \(fc-list :lang=zh lists no font\)/);
  assert.match(warned[0]!, /may show as boxes/);
  assert.match(warned[0]!, /apt-get install fonts-noto-cjk/);
  return drawText('生成器', SVG_FONT_FAMILY).then((withFont) => assert.notEqual(pixels, withFont, 'the child really had no CJK font'));
});
