import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseBackendName, BACKEND_NAMES } from '../../src/backend/select.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Run `gankit info` in a fresh process (backend choice is once per process). */
function info(env: Record<string, string | undefined>, args: string[] = []) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'info', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

test('backend names parse with aliases and reject unknown names listing the valid ones', () => {
  assert.equal(parseBackendName('tfjs-node'), 'tensorflow');
  assert.equal(parseBackendName(' WASM '), 'wasm');
  assert.equal(parseBackendName('tfjs-node-gpu'), 'tensorflow-gpu');
  assert.throws(() => parseBackendName('cuda9'), /Expected one of 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu' \(aliases: .*\) for backend but received "cuda9" of type string/);
  assert.throws(() => parseBackendName(undefined), /for backend but received undefined/);
  assert.deepEqual([...BACKEND_NAMES], ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
});

test('default choice after setup is the native tensorflow backend, with reasons for skipped ones', () => {
  const r = info({ GANKIT_BACKEND: undefined });
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.backend, 'tensorflow');
  assert.equal(report.choice, 'tensorflow');
  assert.equal(report.forced, false);
  assert.match(report.versions.tensorflow, /^2\.\d+/);
  assert.equal(report.versions['tfjs-core'], '4.22.0');
  assert.equal(report.skipped.length, 1);
  assert.equal(report.skipped[0].name, 'tensorflow-gpu');
  assert.ok(report.skipped[0].reason.length > 0);
  // After setup the native edit addon is built and loaded; nothing else is reported for editing.
  assert.match(report.edit.kernels, /^native addon .*gankit_addon\.node$/);
  assert.deepEqual(Object.keys(report.edit), ['kernels']);
});

test('GANKIT_BACKEND forces wasm and cpu; an unknown name is a clear error', () => {
  for (const name of ['wasm', 'cpu']) {
    const r = info({ GANKIT_BACKEND: name });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.equal(report.backend, name);
    assert.equal(report.forced, true);
    assert.deepEqual(report.skipped, []);
    assert.ok(report.notes.length > 0, 'wasm and cpu carry notes on their limits');
  }
  const bad = info({ GANKIT_BACKEND: 'metal' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /Expected one of 'tensorflow-gpu', 'tensorflow', 'wasm', 'cpu' \(aliases: .*\) for backend but received "metal"/);
});

test('--backend overrides the environment; a forced backend that cannot start is an error, not a fallback', () => {
  const r = info({ GANKIT_BACKEND: 'wasm' }, ['--backend', 'cpu']);
  assert.equal(JSON.parse(r.stdout).backend, 'cpu');
  const gpu = info({}, ['--backend', 'tensorflow-gpu']);
  assert.equal(gpu.status, 2);
  assert.match(gpu.stderr, /Backend tensorflow-gpu was requested .* but cannot start: /);
});

test('the CLI prints usage and rejects unknown commands', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--help'], { cwd: root, encoding: 'utf8' });
  assert.match(out, /Usage: gankit <command>/);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'frobnicate'], { cwd: root, encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /unknown command "frobnicate"; expected one of info, edit/);
});

test('GANKIT_WASM_THREADS starts the threaded wasm build (or one thread) and rejects bad values', () => {
  const one = info({ GANKIT_BACKEND: 'wasm' });
  assert.equal(one.status, 0, one.stderr);
  assert.match(JSON.parse(one.stdout).notes[0], /on 1 thread \(GANKIT_WASM_THREADS\)/);
  const two = info({ GANKIT_BACKEND: 'wasm', GANKIT_WASM_THREADS: '2' });
  assert.equal(two.status, 0, two.stderr);
  const report = JSON.parse(two.stdout);
  assert.equal(report.backend, 'wasm');
  assert.match(report.notes[0], /on [12] threads? \(GANKIT_WASM_THREADS\)/, 'two threads, or one when the threaded build cannot start');
  for (const bad of ['0', '9', '1.5', 'many']) {
    const r = info({ GANKIT_BACKEND: 'wasm', GANKIT_WASM_THREADS: bad });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, new RegExp(`Expected integer in \\[1, 8\\] for GANKIT_WASM_THREADS but received "${bad.replace('.', '\\.')}"`));
  }
});
