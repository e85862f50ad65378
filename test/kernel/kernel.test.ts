/**
 * The real gankit kernel, driven over ZeroMQ by jupyter_client (test/kernel/driver.py) from a notebook
 * directory outside the project: install, import with types, rich results, live updates, errors,
 * interrupts (SIGINT and interrupt_request), abort after error, completion, restart.
 * One kernel session runs all steps (kernel start-up dominates the cost); tests assert on its results.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import sharp from 'sharp';
import { decodePng, installKernelspec, ofType, prepareKernel, python, root, runDriver, stdout, tempDir, venv, type SessionResult, type StepResult } from './helpers.js';

const TENSOR = 'application/vnd.gankit.tensor.v1+json';
const IMAGES = 'application/vnd.gankit.images.v1+json';
const PLOT = 'application/vnd.gankit.plot.v1+json';

const STEPS: Record<string, unknown>[] = [
  { name: 'import', code: "import { showTensor, tensorBundle, imagesBundle, createDisplay, shouldStop, plot, imageGrid } from 'gankit'\nimport * as tf from '@tensorflow/tfjs'\ntf.getBackend()" },
  { name: 'typecheck', code: 'const bad: number = showTensor' },
  { name: 'tensor', code: 'const t = tf.randomNormal([4, 28, 28, 1]);\nt' },
  { name: 'big', code: 'const big = tf.randomUniform([2, 600, 900, 3]);\nbig' },
  { name: 'leak', code: 'const n0 = tf.memory().numTensors;\nawait tensorBundle(big); await imagesBundle(t);\nconst h0 = showTensor(t); await h0.flush();\nconst r0 = tf.tidy(() => t.mul(2)); r0.dispose();\ntf.memory().numTensors - n0' },
  { name: 'show', code: "showTensor(t, { name: 'noise' })" },
  { name: 'images', code: "const imgs = tf.randomUniform([64, 28, 28, 1], -1, 1);\nimageGrid(imgs, { nrow: 8, range: '-1-1', captions: ['first'] })" },
  { name: 'plot', code: 'const hist = Array.from({ length: 3000 }, (_, i) => ({ step: i, lossD: Math.exp(-i / 1000), lossG: 1 + Math.sin(i / 100), dx: 0.5 }));\nhist' },
  { name: 'model', code: "const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, name: 'hidden' }), tf.layers.dense({ units: 1, name: 'out' })] });\nm" },
  { name: 'selfdisplay', code: "({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<b>hi</b>', 'text/plain': 'hi' }; } })" },
  { name: 'plain', code: "({ a: 1, b: 'x' })" },
  {
    name: 'live',
    code: 'const live = createDisplay();\nfor (let i = 0; i < 20; i++) {\n  live.update(plot({ loss: Array.from({ length: i + 1 }, (_, k) => [k, 1 / (k + 1)] as [number, number]) }, { final: i === 19 }));\n  await new Promise((r) => setTimeout(r, 25));\n}',
  },
  { name: 'runtime', code: "throw new RangeError('bad range')" },
  { name: 'rejected', code: "await Promise.reject(new Error('nope'))" },
  { name: 'interrupt-signal', code: 'let steps = 0;\nfor (let i = 0; i < 1e6; i++) { steps++; await new Promise((r) => setTimeout(r, 10)); }', interrupt_after: 1.5, via: 'signal' },
  { name: 'after-interrupt', code: 'const s1 = steps;\nawait new Promise((r) => setTimeout(r, 300));\n[s1, steps]' },
  {
    name: 'interrupt-message',
    code: 'async function train() { let k = 0; while (!shouldStop()) { k++; await new Promise((r) => setImmediate(r)); } return k; }\nconst k = await train();\nk',
    interrupt_after: 1.0, via: 'message',
  },
  { name: 'interrupt-sync', code: 'while (true) {}', interrupt_after: 1.0, via: 'signal' },
  { name: 'after-sync', code: '1 + 2' },
  { name: 'interrupt-stuck', code: 'await new Promise(() => {})', interrupt_after: 0.5, via: 'signal' },
  { name: 'tslab-display', code: "import * as tslab from 'tslab'\ntslab.display.html('<b>tslab</b>')" },
  { name: 'burst', burst: ["await new Promise((r) => setTimeout(r, 300)); throw new Error('first')", '1 + 1', '2 + 2'] },
  { name: 'complete', complete: 'tf.randomN' },
  { name: 'inspect', inspect: 'tf.randomNormal', timeout: 60 },
  // Issue 16: library frames hidden (GANKIT_FULL_STACK=1 shows them), disposed objects, rich results.
  { name: 'frames', code: 'function myReshape() { return tf.tensor([1, 2]).reshape([3]); }\nmyReshape()' },
  { name: 'full-on', code: "process.env.GANKIT_FULL_STACK = '1';" },
  { name: 'frames-full', code: 'myReshape()' },
  { name: 'full-off', code: 'delete process.env.GANKIT_FULL_STACK;' },
  { name: 'gan-create', code: "import { createGan, disposeGan, GanTrainer, sample, summary } from 'gankit'\nconst gan = createGan({ ngf: 8, ndf: 8, latentDim: 16 });\nconst trainer = new GanTrainer(gan, { fixedSamples: 4 });" },
  { name: 'gan-view', code: 'gan' },
  { name: 'summary-view', code: 'summary(gan.generator)' },
  { name: 'cleanup', code: 'trainer.dispose();\ndisposeGan(gan);' },
  { name: 'cleanup-again', code: 'trainer.dispose();\ndisposeGan(gan);' },
  { name: 'use-disposed-model', code: 'sample(gan.generator, 2)' },
  { name: 'use-disposed-gan', code: 'new GanTrainer(gan)' },
  { name: 'use-disposed-trainer', code: 'trainer.generateFixed()' },
  // Issue 19: a cell that blocks the event loop after an await is still interrupted (the watchdog).
  { name: 'block-after-await', code: 'await new Promise((r) => setTimeout(r, 10));\nwhile (true) {}', interrupt_after: 1.0, via: 'jupyter', timeout: 40, expect_restart: true },
  { name: 'after-block', code: '40 + 2' },
  { name: 'info-after-block', kernel_info: true },
  { name: 'sync-by-message', code: 'while (true) {}', interrupt_after: 1.0, via: 'jupyter', timeout: 30 },
  { name: 'after-sync-by-message', code: '6 * 7' },
  { name: 'restart', restart: true },
  { name: 'after-restart', code: 'typeof t' },
  { name: 'after-restart-2', code: "import { kernelSignal } from 'gankit'\nkernelSignal().aborted" },
];

let session: SessionResult;
const nbDir = tempDir('gankit-kernel-');
const step = (name: string): StepResult => {
  const s = session.steps.find((x) => x.name === name);
  assert.ok(s, `step ${name} ran`);
  return s;
};
const result = (name: string): Record<string, any> => {
  const r = ofType(step(name), 'execute_result');
  assert.equal(r.length, 1, `one execute_result for ${name}: ${JSON.stringify(step(name).iopub?.map((m) => m.type))}`);
  return r[0]!.content;
};
const ok = (name: string): void => assert.equal(step(name).reply?.status, 'ok', `${name}: ${JSON.stringify(step(name).reply)}`);

before(async () => {
  prepareKernel();
  session = await runDriver<SessionResult>(['session'], JSON.stringify({ kernel: 'gankit', cwd: nbDir.path, env: { GANKIT_INTERRUPT_GRACE_MS: '2000' }, steps: STEPS }), 600_000);
  const t = session.steps.slice(0, 1).map((s) => s.elapsed.toFixed(2));
  console.log(`# kernel ready (kernel_info) after ${session.ready_s.toFixed(2)} s; first gankit cell ${t} s; ` +
    `restart ${step('restart').elapsed.toFixed(2)} s; shutdown ${session.shutdown_s.toFixed(2)} s`);
});
after(() => nbDir.cleanup());

test('kernelspec is installed into the venv with absolute paths and logos, and listed', async () => {
  const r = spawnSync(join(venv, 'bin', 'jupyter'), ['kernelspec', 'list', '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const spec = JSON.parse(r.stdout).kernelspecs.gankit;
  assert.ok(spec, 'gankit listed');
  assert.equal(spec.resource_dir, join(venv, 'share', 'jupyter', 'kernels', 'gankit'));
  const k = spec.spec;
  assert.equal(k.display_name, 'TypeScript (gankit)');
  assert.equal(k.language, 'typescript');
  assert.equal(k.env.TF_CPP_MIN_LOG_LEVEL, '2');
  assert.ok(isAbsolute(k.argv[0]) && existsSync(k.argv[0]), `node is absolute: ${k.argv[0]}`);
  assert.equal(k.argv[1], join(root, 'kernel', 'launcher.mjs'));
  assert.equal(k.argv[2], '{connection_file}');
  for (const size of [32, 64]) {
    const png = join(spec.resource_dir, `logo-${size}x${size}.png`);
    const meta = await sharp(readFileSync(png)).metadata();
    assert.equal(meta.format, 'png');
    assert.equal(meta.width, size);
    assert.equal(meta.height, size);
  }
  // Idempotent: a second install gives the same kernel.json.
  const before = readFileSync(join(spec.resource_dir, 'kernel.json'), 'utf8');
  installKernelspec();
  assert.equal(readFileSync(join(spec.resource_dir, 'kernel.json'), 'utf8'), before);
  assert.ok(existsSync(python));
});

test('kernel_info identifies a TypeScript kernel', () => {
  const info = session.kernel_info;
  assert.equal(info.status, 'ok');
  assert.equal(info.implementation, 'gankit');
  assert.equal(info.language_info.name, 'typescript');
  assert.equal(info.language_info.file_extension, '.ts');
  assert.ok(session.ready_s < 60);
});

test('gankit and tfjs import from a notebook outside the project, with types, on the native backend', () => {
  ok('import');
  assert.equal(stdout(step('import')).trim(), 'tensorflow');
  const err = step('typecheck').reply!;
  assert.equal(err.status, 'error');
  assert.equal(err.ename, 'TypeScriptError');
  // The compiler knows showTensor's real signature: types come from gankit's .d.ts files.
  assert.match(err.evalue, /DisplayHandle/);
  assert.equal(ofType(step('typecheck'), 'error').length, 1);
});

test('a tensor as the last expression renders as one execute_result bundle', async () => {
  ok('tensor');
  const r = result('tensor');
  assert.deepEqual(Object.keys(r.data).sort(), [TENSOR, 'image/png', 'text/plain'].sort());
  assert.equal(r.execution_count, step('tensor').reply!.execution_count);
  const p = r.data[TENSOR];
  assert.deepEqual(p.shape, [4, 28, 28, 1]);
  assert.equal(p.dtype, 'float32');
  assert.equal(p.stats.nanCount, 0);
  assert.equal(p.preview.kind, 'heatmap');
  assert.equal(p.preview.values.length, 28 * 28);
  assert.deepEqual(p.slice, [0, [0, 28, 1], [0, 28, 1], 0]);
  assert.equal(p.slices.length, 4);
  const png = await decodePng(r.data['image/png']);
  assert.ok(png.width <= 256 && png.height <= 256);
  const prev = await decodePng(p.preview.png);
  assert.deepEqual([prev.width, prev.height], [28, 28]);
  assert.match(r.data['text/plain'], /Tensor float32 \[4, 28, 28, 1\]/);
  assert.equal(stdout(step('tensor')), '', 'not printed as text as well');
});

test('a large image tensor is summarised with a strided preview of at most 256 px', async () => {
  ok('big');
  const r = result('big');
  const p = r.data[TENSOR];
  assert.equal(p.preview.kind, 'image');
  assert.ok(p.preview.width <= 256 && p.preview.height <= 256);
  assert.deepEqual(p.preview.stride, [3, 4]);
  assert.ok(JSON.stringify(r).length < 2_500_000, `bundle ${JSON.stringify(r).length} chars`);
  const png = await decodePng(p.preview.png);
  assert.deepEqual([png.width, png.height], [p.preview.width, p.preview.height]);
});

test('display helpers keep tf.memory().numTensors flat inside the kernel', () => {
  ok('leak');
  assert.equal(stdout(step('leak')).trim(), '0');
  assert.equal(ofType(step('leak'), 'display_data').length, 1);
});

test('showTensor sends display_data and its handle is not echoed', () => {
  ok('show');
  const d = ofType(step('show'), 'display_data');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.content.data[TENSOR].name, 'noise');
  assert.ok(d[0]!.content.transient.display_id);
  assert.equal(stdout(step('show')), '');
  assert.equal(ofType(step('show'), 'execute_result').length, 0);
});

test('an image grid object renders as images bundle with a PNG grid fallback', async () => {
  ok('images');
  const r = result('images');
  const p = r.data[IMAGES];
  assert.equal(p.images.length, 64);
  assert.equal(p.total, 64);
  assert.equal(p.nrow, 8);
  assert.equal(p.images[0].caption, 'first');
  assert.deepEqual([p.images[0].width, p.images[0].height], [28, 28]);
  await decodePng(p.images[63].png);
  // make_grid layout: 8 x (28 + 2) + 2 = 242 px, enlarged by an integer factor for small grids.
  const grid = await decodePng(r.data['image/png']);
  assert.equal(grid.width, grid.height);
  assert.equal(grid.width % 242, 0);
});

test('a loss history renders as a downsampled plot', async () => {
  ok('plot');
  const p = result('plot').data[PLOT];
  assert.deepEqual(p.series.map((s: { name: string }) => s.name), ['Loss_D', 'Loss_G', 'D(x)'], 'the friendly labels of the quantities (src/display/quantities.ts)');
  for (const s of p.series) assert.ok(s.points.length <= 1000);
  assert.deepEqual(p.series[0].points[0], [0, 1]);
  assert.equal(p.series[2].axis, 'y2');
  assert.equal(p.final, true);
  await decodePng(result('plot').data['image/png']);
});

test('a tf.LayersModel renders as a summary table (text/plain and text/html)', () => {
  ok('model');
  const r = result('model');
  assert.match(r.data['text/plain'], /hidden \(Dense\)/);
  assert.match(r.data['text/html'], /<table/);
  assert.match(r.data['text/html'], /out \(Dense\)/);
  assert.match(r.data['text/html'], />19</); // total params 4*3+3 + 3*1+1
});

test("Symbol.for('Jupyter.display') objects render their own bundle; other values keep tslab's text", () => {
  ok('selfdisplay');
  assert.equal(result('selfdisplay').data['text/html'], '<b>hi</b>');
  ok('plain');
  assert.equal(ofType(step('plain'), 'execute_result').length, 0);
  assert.match(stdout(step('plain')), /\{ a: 1, b: 'x' \}/);
});

test('a live display sends one display_data then throttled update_display_data, ending with the last value', () => {
  ok('live');
  const msgs = step('live').iopub!.filter((m) => m.type === 'display_data' || m.type === 'update_display_data');
  assert.equal(msgs[0]!.type, 'display_data');
  const updates = msgs.slice(1);
  assert.ok(updates.length >= 1 && updates.every((m) => m.type === 'update_display_data'));
  assert.ok(msgs.length < 20, `throttled: ${msgs.length} messages for 20 updates`);
  const ids = new Set(msgs.map((m) => m.content.transient.display_id));
  assert.equal(ids.size, 1);
  const last = msgs[msgs.length - 1]!.content.data[PLOT];
  assert.equal(last.series[0].points.length, 20);
  assert.equal(last.final, true);
});

test('runtime errors and rejected top-level awaits send error messages and status error', () => {
  for (const [name, ename, evalue] of [['runtime', 'RangeError', 'bad range'], ['rejected', 'Error', 'nope']] as const) {
    const s = step(name);
    assert.equal(s.reply!.status, 'error');
    assert.equal(s.reply!.ename, ename);
    assert.equal(s.reply!.evalue, evalue);
    const e = ofType(s, 'error');
    assert.equal(e.length, 1);
    assert.equal(e[0]!.content.ename, ename);
    assert.ok(Array.isArray(e[0]!.content.traceback) && e[0]!.content.traceback.length >= 1);
    assert.ok(!e[0]!.content.traceback.some((l: string) => /tslab\/dist|kernel\/lib/.test(l)), 'no kernel frames');
  }
});

test('SIGINT stops a long async loop after its current step; the kernel stays alive and keeps its variables', () => {
  const s = step('interrupt-signal');
  assert.equal(s.reply!.status, 'error');
  assert.equal(s.reply!.ename, 'InterruptedError');
  // Well before the 2 s grace period after which a cell that does not stop is detached.
  assert.ok(s.elapsed - s.interrupted_at! < 1.5, `stopped ${(s.elapsed - s.interrupted_at!).toFixed(2)} s after the interrupt`);
  ok('after-interrupt');
  const [s1, s2] = JSON.parse(stdout(step('after-interrupt'))) as [number, number];
  assert.ok(s1 > 10, `the loop ran ${s1} steps`);
  assert.equal(s2, s1, 'the loop does not go on in the background');
});

test('interrupt_request (message mode) aborts kernelSignal(); shouldStop() ends a nested loop', () => {
  const s = step('interrupt-message');
  assert.equal(s.interrupt_reply!.status, 'ok');
  assert.equal(s.reply!.status, 'error');
  assert.equal(s.reply!.ename, 'InterruptedError');
  assert.ok(s.elapsed - s.interrupted_at! < 1.5);
});

test('SIGINT breaks a synchronous infinite loop', () => {
  const s = step('interrupt-sync');
  assert.equal(s.reply!.ename, 'InterruptedError');
  assert.ok(s.elapsed - s.interrupted_at! < 1.5);
  ok('after-sync');
  assert.equal(stdout(step('after-sync')).trim(), '3');
});

test('a cell stuck on a promise that never settles is detached after the grace period', () => {
  const s = step('interrupt-stuck');
  assert.equal(s.reply!.ename, 'InterruptedError');
  const waited = s.elapsed - s.interrupted_at!;
  assert.ok(waited >= 1.9 && waited < 6, `detached after ${waited.toFixed(2)} s (grace 2 s)`);
});

test("tslab's own display API still works", () => {
  ok('tslab-display');
  const d = ofType(step('tslab-display'), 'display_data');
  assert.equal(d.length, 1);
  assert.equal(d[0]!.content.data['text/html'], '<b>tslab</b>');
});

test('after an error, requests already queued ("Run All") are aborted', () => {
  const r = step('burst').replies!;
  assert.equal(r[0]!.reply.status, 'error');
  assert.equal(r[0]!.reply.evalue, 'first');
  assert.equal(r[1]!.reply.status, 'aborted');
  assert.equal(r[2]!.reply.status, 'aborted');
});

test('completion knows tfjs types', () => {
  const r = step('complete').reply!;
  assert.equal(r.status, 'ok');
  assert.ok(r.matches.includes('randomNormal'), JSON.stringify(r.matches));
});

test('completion sends each match with its kind and the first matches with their signature', () => {
  const r = step('complete').reply!;
  const types = r.metadata._jupyter_types_experimental as { text: string; type: string; signature?: string; start: number; end: number }[];
  assert.equal(types.length, r.matches.length);
  const rn = types.find((t) => t.text === 'randomNormal')!;
  assert.equal(rn.type, 'function');
  assert.match(rn.signature!, /randomNormal: <R extends Rank>\(shape: ShapeMap\[R\].*\) => Tensor<R>/s);
  assert.equal(rn.start, r.cursor_start);
});

test('inspection (hover, Shift+Tab) gives the type and docs as text and markdown', () => {
  const r = step('inspect').reply!;
  assert.equal(r.status, 'ok');
  assert.equal(r.found, true);
  assert.match(r.data['text/plain'], /randomNormal: <R extends Rank>\(shape: ShapeMap\[R\]/);
  assert.match(r.data['text/markdown'], /^```typescript\n.*randomNormal/s);
});

test("error tracebacks keep the user's frames and hide library frames, unless GANKIT_FULL_STACK=1", () => {
  const tb = (name: string): string[] => ofType(step(name), 'error')[0]!.content.traceback;
  const short = tb('frames');
  assert.match(short[0]!, /Error/);
  assert.ok(short.some((l) => /myReshape \(evalmachine/.test(l)), short.join('\n'));
  assert.ok(!short.some((l) => /node_modules|\/dist\/|\(node:|tslab/.test(l)), short.join('\n'));
  assert.match(short.at(-1)!, /\d+ library frames hidden; GANKIT_FULL_STACK=1 shows them/);
  const full = tb('frames-full');
  assert.ok(full.some((l) => /node_modules\/@tensorflow/.test(l)), full.join('\n'));
  assert.ok(full.some((l) => /myReshape \(evalmachine/.test(l)), full.join('\n'));
  assert.ok(full.length > short.length, `${full.length} > ${short.length} lines`);
});

test('a GAN and summary(model) as last expressions render as summary tables', () => {
  ok('gan-create');
  const g = result('gan-view').data;
  assert.equal((g['text/html'].match(/<table class="gankit-model-summary"/g) ?? []).length, 2);
  const s = result('summary-view').data;
  assert.match(s['text/html'], /<table class="gankit-model-summary"/);
  assert.match(s['text/plain'], /Conv2DTranspose/);
  assert.doesNotMatch(s['text/plain'], /outputShape: \[Array\]/);
});

test('a disposed GAN, model or trainer gives a DisposedError naming the variable and the cell to rerun; clean-up reruns', () => {
  ok('cleanup');
  ok('cleanup-again');
  const created = step('gan-create').reply!.execution_count;
  const disposedIn = step('cleanup').reply!.execution_count;
  for (const [name, what] of [['use-disposed-model', "model 'gan.generator'"], ['use-disposed-gan', "GAN 'gan'"], ['use-disposed-trainer', "GanTrainer 'trainer'"]] as const) {
    const r = step(name).reply!;
    assert.equal(r.status, 'error');
    assert.equal(r.ename, 'DisposedError');
    const by = name === 'use-disposed-trainer' ? 'dispose\\(\\)' : 'disposeGan\\(\\)';
    assert.match(r.evalue, new RegExp(`^The ${what.replace(/[.()]/g, '\\$&')} was disposed \\(by ${by} in cell \\[${disposedIn}\\]\\); rerun the cell that creates it \\(cell \\[${created}\\]`), r.evalue);
  }
});

test('a cell that blocks the event loop after an await: the watchdog restarts the kernel, which says so in the next cell; synchronous loops stop by interrupt_request', () => {
  const s = step('block-after-await') as StepResult & { died?: boolean; died_after?: number };
  assert.equal(s.died, true, 'the blocked kernel ended itself');
  assert.ok(s.died_after! < 30, `ended ${s.died_after!.toFixed(2)} s after the interrupt`);
  ok('after-block');
  assert.equal(stdout(step('after-block')).trim(), '42');
  const stderr = ofType(step('after-block'), 'stream').filter((m) => m.content.name === 'stderr').map((m) => m.content.text).join('');
  assert.match(stderr, /^The kernel was restarted: after an interrupt, cell \[\d+\] kept the event loop blocked/);
  assert.equal(step('info-after-block').reply!.status, 'ok');
  const m = step('sync-by-message');
  assert.equal(m.reply!.ename, 'InterruptedError');
  assert.ok(m.elapsed - m.interrupted_at! < 3, `stopped ${(m.elapsed - m.interrupted_at!).toFixed(2)} s after the interrupt`);
  ok('after-sync-by-message');
  assert.equal(stdout(step('after-sync-by-message')).trim(), '42');
});

test('restart starts a fresh kernel process with fresh state', () => {
  const pids = step('restart').pids!;
  assert.ok(pids[0] && pids[1] && pids[0] !== pids[1], `pids ${pids}`);
  const s = step('after-restart');
  assert.equal(s.reply!.status, 'error');
  assert.match(s.reply!.evalue, /Cannot find name 't'/);
  assert.equal(s.reply!.execution_count, 1);
  ok('after-restart-2');
  assert.equal(stdout(step('after-restart-2')).trim(), 'false');
});
