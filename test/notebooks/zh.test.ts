/**
 * The Chinese tutorials (notebooks/zh/): one twin per English tutorial, with the English code cells
 * byte for byte and in order (only the markdown is Chinese), stored clean, on the gankit kernel, with
 * data/ reachable from their folder; and scripts/sync_zh.py, which carries English code changes over
 * and refuses, changing nothing, when the code-cell counts differ. notebooks.test.ts executes them.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { python, root, tempDir } from '../kernel/helpers.js';

const EN_DIR = join(root, 'notebooks');
const ZH_DIR = join(root, 'notebooks', 'zh');
const SYNC = join(root, 'scripts', 'sync_zh.py');
const HAN = /\p{Script=Han}/u;

interface Cell { cell_type: string; id?: string; source: string | string[]; outputs?: unknown[]; execution_count?: number | null }
interface Notebook { metadata: Record<string, any>; cells: Cell[] }

const tmp = tempDir('gankit-zh-');
after(() => tmp.cleanup());

const read = (path: string): Notebook => JSON.parse(readFileSync(path, 'utf8')) as Notebook;
const text = (c: Cell): string => (Array.isArray(c.source) ? c.source.join('') : c.source);
const code = (nb: Notebook): Cell[] => nb.cells.filter((c) => c.cell_type === 'code');
const englishNames = (): string[] => readdirSync(EN_DIR).filter((f) => f.endsWith('.ipynb')).sort();

/** A fresh pair of English and zh notebook folders under the test's temporary folder. */
function scratchDirs(name: string): { en: string; zh: string } {
  const [en, zh] = ['en', 'zh'].map((lang) => join(tmp.path, name, lang)) as [string, string];
  for (const dir of [en, zh]) mkdirSync(dir, { recursive: true });
  return { en, zh };
}

function runSync(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, [SYNC, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (c) => resolve({ code: c, out }));
  });
}

test('every English tutorial has a zh twin of the same name, and nothing else is there', () => {
  const en = englishNames();
  assert.equal(en.length, 6);
  assert.deepEqual(readdirSync(ZH_DIR).filter((f) => f.endsWith('.ipynb')).sort(), en);
});

test('each zh twin has the English code cells, byte for byte and in order', () => {
  for (const name of englishNames()) {
    const en = read(join(EN_DIR, name));
    const zh = read(join(ZH_DIR, name));
    // Cells left out on purpose (a section being removed from English) are named in the zh metadata,
    // and each must still be an English code cell (sync_zh.py drops stale entries).
    const omitted: string[] = zh.metadata.gankit?.omitted_code_cells ?? [];
    const enCode = code(en);
    for (const id of omitted) assert.ok(enCode.some((c) => c.id === id), `zh/${name}: omitted_code_cells lists ${id}, not an English code cell`);
    const expected = enCode.filter((c) => !omitted.includes(c.id!)).map(text);
    const actual = code(zh).map(text);
    assert.equal(actual.length, expected.length, `zh/${name}: ${actual.length} code cells, English ${expected.length}`);
    actual.forEach((src, i) => assert.equal(src, expected[i], `zh/${name}: code cell ${i} differs from English (run scripts/sync_zh.py)`));
    assert.ok(expected.length >= 5);
  }
});

test('each zh twin is on the gankit kernel, stored clean, with Chinese markdown and the seed terms', () => {
  const all: string[] = [];
  for (const name of englishNames()) {
    const en = read(join(EN_DIR, name));
    const zh = read(join(ZH_DIR, name));
    assert.deepEqual(zh.metadata.kernelspec, en.metadata.kernelspec, name);
    assert.deepEqual(zh.metadata.language_info, en.metadata.language_info, name);
    for (const [i, c] of code(zh).entries()) {
      assert.deepEqual(c.outputs, [], `zh/${name} code cell ${i} has stored outputs`);
      assert.equal(c.execution_count, null, `zh/${name} code cell ${i} has an execution count`);
    }
    const markdown = zh.cells.filter((c) => c.cell_type === 'markdown').map(text);
    assert.ok(markdown.length >= 3, `zh/${name} has explanations`);
    for (const md of markdown) assert.match(md, HAN, `zh/${name}: a markdown cell without Chinese: ${md.slice(0, 80)}`);
    all.push(...markdown);
  }
  // The seed's terms, with the English term in parentheses at first use.
  const joined = all.join('\n');
  for (const [zh, en] of [['生成器', 'generator'], ['判别器', 'discriminator'], ['潜在空间', 'latent space']]) {
    const first = joined.indexOf(zh!);
    assert.ok(first >= 0, `the zh tutorials use ${zh}`);
    assert.ok(joined.slice(first, first + zh!.length + 4 + en!.length).includes(`（${en}）`), `first use of ${zh} is followed by （${en}）`);
  }
});

test('code cells that open data/... find the same files from notebooks/zh/', () => {
  // JupyterLab starts a notebook's kernel in the notebook's folder: zh/data links to the English data/.
  assert.equal(realpathSync(join(ZH_DIR, 'data')), realpathSync(join(EN_DIR, 'data')));
  for (const f of ['astronaut.jpg', 'chelsea.jpg', 'coffee.jpg']) assert.ok(existsSync(join(ZH_DIR, 'data', f)), f);
});

test('sync_zh.py --check passes on the committed notebooks', async () => {
  const r = await runSync(['--check']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /6 zh notebooks in sync/);
});

test('sync_zh.py carries an English code change over, leaves the Chinese markdown, and --check sees the drift first', async () => {
  const { en, zh } = scratchDirs('drift');
  const name = '03-training-a-dcgan.ipynb';
  copyFileSync(join(ZH_DIR, name), join(zh, name));
  const nb = read(join(EN_DIR, name));
  const target = code(nb)[2]!;
  target.source = `${text(target)}\n// changed in English`;
  writeFileSync(join(en, name), JSON.stringify(nb, null, 1));
  const before = readFileSync(join(zh, name), 'utf8');

  const check = await runSync(['--check', '--en', en, '--zh', zh]);
  assert.equal(check.code, 1, check.out);
  assert.match(check.out, /zh\/03-training-a-dcgan\.ipynb: code cell 2 \(03-05\) differs/);
  assert.equal(readFileSync(join(zh, name), 'utf8'), before, '--check writes nothing');

  const sync = await runSync(['--en', en, '--zh', zh]);
  assert.equal(sync.code, 0, sync.out);
  const synced = read(join(zh, name));
  assert.ok(text(code(synced)[2]!).endsWith('// changed in English'));
  const markdown = (n: Notebook): string[] => n.cells.filter((c) => c.cell_type === 'markdown').map(text);
  assert.deepEqual(markdown(synced), markdown(JSON.parse(before) as Notebook), 'the Chinese text is kept');
  assert.equal((await runSync(['--check', '--en', en, '--zh', zh])).code, 0);
});

test('sync_zh.py fails clearly and changes nothing when the code-cell counts differ; --add-missing inserts the English cells', async () => {
  const { en, zh } = scratchDirs('counts');
  const name = '05-pretrained-and-latent-space.ipynb';
  copyFileSync(join(ZH_DIR, name), join(zh, name));
  const nb = read(join(EN_DIR, name));
  nb.cells.splice(nb.cells.length - 1, 0,
    { cell_type: 'markdown', id: '05-new-md', metadata: {}, source: '## New\n\nA new section.' } as Cell,
    { cell_type: 'code', id: '05-new', metadata: {}, execution_count: null, outputs: [], source: 'console.log(1)' } as Cell);
  writeFileSync(join(en, name), JSON.stringify(nb, null, 1));
  const before = readFileSync(join(zh, name), 'utf8');
  for (const args of [[], ['--check']]) {
    const r = await runSync([...args, '--en', en, '--zh', zh]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /05-pretrained-and-latent-space\.ipynb: the English notebook has \d+ code cells, zh\/05-pretrained-and-latent-space\.ipynb has \d+/);
    assert.match(r.out, /English code cells without a zh twin \(by id\): 05-new/);
    assert.match(r.out, /was not changed/);
    assert.equal(readFileSync(join(zh, name), 'utf8'), before);
  }
  const add = await runSync(['--add-missing', '--en', en, '--zh', zh]);
  assert.equal(add.code, 0, add.out);
  assert.match(add.out, /inserted English cells 05-new-md, 05-new/);
  const cells = read(join(zh, name)).cells;
  assert.deepEqual(cells.slice(-3).map((c) => c.id), ['05-new-md', '05-new', '05-12'], 'inserted before the last code cell, as in English');
  assert.match(text(cells.at(-3)!), /^\*\*（待翻译：英文原文如下。译好后删除此行。）\*\*\n\n## New/);
  assert.equal((await runSync(['--check', '--en', en, '--zh', zh])).code, 0);

  const bad = await runSync(['--en', en, '--zh', zh, 'no-such.ipynb']);
  assert.equal(bad.code, 2);
  assert.match(bad.out, /no English notebook no-such\.ipynb/);
});

test('sync_zh.py drops an omitted_code_cells entry once the English notebook no longer has that cell', async () => {
  const { en, zh } = scratchDirs('stale');
  const name = '02-generator-and-discriminator.ipynb';
  copyFileSync(join(EN_DIR, name), join(en, name));
  const twin = read(join(ZH_DIR, name));
  twin.metadata.gankit = { omitted_code_cells: ['02-gone'] };
  writeFileSync(join(zh, name), JSON.stringify(twin, null, 1));
  const check = await runSync(['--check', '--en', en, '--zh', zh]);
  assert.equal(check.code, 1, check.out);
  assert.match(check.out, /lists 02-gone, no longer code cells of the English notebook/);
  const sync = await runSync(['--en', en, '--zh', zh]);
  assert.equal(sync.code, 0, sync.out);
  assert.equal(read(join(zh, name)).metadata.gankit, undefined);
});
