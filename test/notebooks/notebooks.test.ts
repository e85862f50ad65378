/**
 * The tutorial notebooks: stored clean, and executed headless on the gankit kernel by
 * scripts/run_notebooks.py (nbclient) with GANKIT_NOTEBOOK_STEPS small, every cell succeeding and the
 * expected rich outputs (gankit MIME types with PNG fallbacks) present; the runner itself fails on a
 * cell error and on a notebook without rich output. The Chinese twins (notebooks/zh/, same code cells:
 * zh.test.ts) run the same way, from their own folder, as JupyterLab runs them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodePng, prepareKernel, python, root, tempDir } from '../kernel/helpers.js';

const NOTEBOOK_DIR = join(root, 'notebooks');
const EXPECTED = [
  '01-setup-and-concepts.ipynb',
  '02-generator-and-discriminator.ipynb',
  '03-training-a-dcgan.ipynb',
  '04-image-editing.ipynb',
  '05-pretrained-and-latent-space.ipynb',
  '06-experiments-and-faq.ipynb',
];
const TENSOR = 'application/vnd.gankit.tensor.v1+json';
const IMAGES = 'application/vnd.gankit.images.v1+json';
const PLOT = 'application/vnd.gankit.plot.v1+json';
const EXPLORER = 'application/vnd.gankit.explorer.v1+json';
/** Training steps per run in CI: enough for two live updates and a stop halfway, small enough for the budget. */
const CI_STEPS = 6;

interface Output { output_type: string; data?: Record<string, any>; text?: string; name?: string }
interface Cell { cell_type: string; source: string | string[]; outputs?: Output[]; execution_count?: number | null; metadata: Record<string, unknown> }
interface Notebook { metadata: { kernelspec?: { name: string; display_name: string; language: string } }; cells: Cell[] }
interface RunSummary {
  ok: boolean;
  seconds: number;
  notebooks: {
    notebook: string; ok: boolean; seconds: number; executed: string; bytes: number; problems: string[];
    error?: { cell: number | null; ename: string; evalue: string };
    mimes: Record<string, number>; messages: Record<string, number>;
  }[];
}

const tmp = tempDir('gankit-notebooks-');
after(() => tmp.cleanup());
before(() => prepareKernel());

function readNotebook(path: string): Notebook {
  return JSON.parse(readFileSync(path, 'utf8')) as Notebook;
}

/** Run a Python script of the project with the venv; resolves with its exit code and output. */
function runPython(args: string[], env: Record<string, string> = {}, timeoutMs = 600_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${args[0]} timed out\n${stdout}\n${stderr.slice(-4000)}`)); }, timeoutMs);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

function outputsOf(nb: Notebook): Output[] {
  return nb.cells.flatMap((c) => c.outputs ?? []);
}

test('the six tutorials are committed, on the gankit kernel, stored clean', async () => {
  const names = readdirSync(NOTEBOOK_DIR).filter((f) => f.endsWith('.ipynb')).sort();
  assert.deepEqual(names, EXPECTED);
  for (const name of names) {
    const nb = readNotebook(join(NOTEBOOK_DIR, name));
    assert.deepEqual(nb.metadata.kernelspec, { name: 'gankit', display_name: 'TypeScript (gankit)', language: 'typescript' }, name);
    const code = nb.cells.filter((c) => c.cell_type === 'code');
    assert.ok(code.length >= 5, `${name} has ${code.length} code cells`);
    assert.ok(nb.cells.some((c) => c.cell_type === 'markdown'), `${name} has explanations`);
    for (const [i, cell] of code.entries()) {
      assert.deepEqual(cell.outputs, [], `${name} code cell ${i} has stored outputs`);
      assert.equal(cell.execution_count, null, `${name} code cell ${i} has an execution count`);
    }
  }
  const check = await runPython([join(root, 'scripts', 'clean_notebooks.py'), '--check']);
  assert.equal(check.code, 0, check.stdout + check.stderr);
});

test('clean_notebooks.py strips outputs and --check reports unclean notebooks', async () => {
  const path = join(tmp.path, 'dirty.ipynb');
  const nb = readNotebook(join(NOTEBOOK_DIR, EXPECTED[0]!));
  const firstCode = nb.cells.find((c) => c.cell_type === 'code')!;
  firstCode.execution_count = 3;
  firstCode.outputs = [{ output_type: 'stream', name: 'stdout', text: 'hello\n' }];
  writeFileSync(path, JSON.stringify(nb));
  const check = await runPython([join(root, 'scripts', 'clean_notebooks.py'), '--check', path]);
  assert.equal(check.code, 1);
  assert.match(check.stdout, /not clean: .*dirty\.ipynb/);
  assert.equal(readNotebook(path).cells.find((c) => c.cell_type === 'code')!.execution_count, 3, '--check changes nothing');
  const clean = await runPython([join(root, 'scripts', 'clean_notebooks.py'), path]);
  assert.equal(clean.code, 0, clean.stderr);
  const cleaned = readNotebook(path);
  assert.ok(cleaned.cells.filter((c) => c.cell_type === 'code').every((c) => c.execution_count === null && c.outputs!.length === 0));
  assert.equal((await runPython([join(root, 'scripts', 'clean_notebooks.py'), '--check', path])).code, 0);
});

test('run_notebooks.py fails on a cell error and on a notebook without rich output', async () => {
  const write = (name: string, sources: string[]): string => {
    const path = join(tmp.path, name);
    writeFileSync(path, JSON.stringify({
      nbformat: 4, nbformat_minor: 5,
      metadata: { kernelspec: { name: 'gankit', display_name: 'TypeScript (gankit)', language: 'typescript' } },
      cells: sources.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
    }));
    return path;
  };
  const failing = write('failing.ipynb', ["import { showTensor } from 'gankit'\nimport * as tf from '@tensorflow/tfjs'", "showTensor(tf.ones([2, 2]))", "throw new Error('boom in cell 2')", '1 + 1']);
  const plain = write('plain.ipynb', ["console.log('no rich output here')"]);
  const out = join(tmp.path, 'out-bad');
  const r = await runPython([join(root, 'scripts', 'run_notebooks.py'), failing, plain, '--out', out, '--json', join(tmp.path, 'bad.json')]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /failing\.ipynb: FAILED/);
  assert.match(r.stdout, /cell 2: Error: boom in cell 2/);
  assert.match(r.stdout, /plain\.ipynb: FAILED/);
  assert.match(r.stdout, /no gankit rich output/);
  const summary = JSON.parse(readFileSync(join(tmp.path, 'bad.json'), 'utf8')) as RunSummary;
  assert.equal(summary.ok, false);
  assert.deepEqual(summary.notebooks.map((n) => [n.notebook, n.ok]), [['failing.ipynb', false], ['plain.ipynb', false]]);
  assert.equal(summary.notebooks[0]!.error!.cell, 2);
  assert.equal(summary.notebooks[0]!.mimes[TENSOR], 1, 'outputs before the error are kept');
  // The executed copy went to --out; the input notebook is untouched.
  assert.equal(readNotebook(failing).cells[1]!.outputs!.length, 0);
  assert.equal(readNotebook(join(out, 'failing.ipynb')).cells[1]!.outputs!.length, 1);
});

/** Run the six tutorials of `folder` ('' for the English ones, 'zh' for their Chinese twins) headless and check their outputs. */
async function runTutorials(folder: '' | 'zh'): Promise<void> {
  const out = join(tmp.path, `executed-${folder || 'en'}`);
  const summaryPath = join(tmp.path, `summary-${folder || 'en'}.json`);
  const names = EXPECTED.map((name) => (folder ? `${folder}/${name}` : name));
  const t0 = Date.now();
  const r = await runPython([join(root, 'scripts', 'run_notebooks.py'), ...names.map((n) => join(NOTEBOOK_DIR, n)),
    '--steps', String(CI_STEPS), '--out', out, '--json', summaryPath], {}, 900_000);
  const wall = (Date.now() - t0) / 1000;
  console.log(r.stdout.trim());
  assert.equal(r.code, 0, r.stdout + r.stderr.slice(-3000));
  const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as RunSummary;
  assert.equal(summary.ok, true);
  assert.deepEqual(summary.notebooks.map((n) => n.notebook), names);
  console.log(`six ${folder || 'English'} notebooks in ${wall.toFixed(0)} s: ${summary.notebooks.map((n) => `${basename(n.notebook).slice(0, 2)} ${n.seconds.toFixed(0)} s`).join(', ')}`);

  const byName = Object.fromEntries(summary.notebooks.map((n) => [basename(n.notebook).slice(0, 2), n]));
  const expectMimes: Record<string, string[]> = {
    '01': [TENSOR, IMAGES],
    '02': [IMAGES, 'text/html'],
    '03': [PLOT, IMAGES],
    '04': [IMAGES, TENSOR],
    '05': [IMAGES, EXPLORER],
    '06': [PLOT, IMAGES],
  };
  for (const [prefix, mimes] of Object.entries(expectMimes)) {
    const n = byName[prefix]!;
    assert.deepEqual(n.problems, [], `${n.notebook}: ${n.problems.join('; ')}`);
    for (const mime of mimes) assert.ok((n.mimes[mime] ?? 0) > 0, `${n.notebook} has no ${mime} output (has ${Object.keys(n.mimes).join(', ')})`);
    // Every gankit output carries a real PNG fallback and text (checked by the runner; decode one here too).
    const nb = readNotebook(join(out, n.notebook));
    const rich = outputsOf(nb).filter((o) => o.data && Object.keys(o.data).some((k) => k.startsWith('application/vnd.gankit.')));
    assert.ok(rich.length > 0);
    const png = await decodePng(rich[0]!.data!['image/png']);
    assert.ok(png.width > 0 && png.height > 0);
    assert.ok(nb.cells.filter((c) => c.cell_type === 'code').every((c) => typeof c.execution_count === 'number'), `${n.notebook}: every cell ran`);
    assert.ok(!outputsOf(nb).some((o) => o.output_type === 'error'));
  }

  // Notebook 3's live view: updated in place (update_display_data), and its stored final state holds
  // the whole run (loss curves up to the last step, the last fixed-noise snapshot).
  const training = byName['03']!;
  assert.ok((training.messages[`update_display_data ${PLOT}`] ?? 0) >= 1, JSON.stringify(training.messages));
  const nb3 = readNotebook(join(out, training.notebook));
  const plots = outputsOf(nb3).filter((o) => o.data?.[PLOT]).map((o) => o.data![PLOT]);
  const lastSteps = plots.map((p) => Math.max(...p.series.flatMap((s: { points: [number, number][] }) => s.points.map((pt) => pt[0]))));
  assert.ok(lastSteps.includes(CI_STEPS), `a loss plot reaches step ${CI_STEPS} (plots end at ${lastSteps.join(', ')})`);
  assert.ok(lastSteps.includes(CI_STEPS / 2), `the first (stopped) run's plot ends at step ${CI_STEPS / 2}`);
  const stdout3 = outputsOf(nb3).filter((o) => o.output_type === 'stream').map((o) => o.text).join('');
  assert.match(stdout3, new RegExp(`resumed at step ${CI_STEPS / 2}`));
  assert.match(stdout3, new RegExp(`finished: done, ${CI_STEPS} steps in all`));
  // Notebooks free what they allocate.
  for (const n of summary.notebooks) {
    const text = outputsOf(readNotebook(join(out, n.notebook))).filter((o) => o.output_type === 'stream').map((o) => o.text).join('');
    assert.match(text, /tensors left by this notebook: 0\b/, `${n.notebook} leaks tensors`);
  }
}

test('every tutorial runs headless on the gankit kernel with its rich outputs', { timeout: 900_000 }, () => runTutorials(''));

test('every Chinese tutorial (notebooks/zh/) runs headless from its own folder too', { timeout: 900_000 }, () => runTutorials('zh'));
