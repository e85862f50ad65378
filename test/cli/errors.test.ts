/**
 * Every CLI failure is one line on stderr and a non-zero exit, never a raw Node stack trace (real
 * processes); GANKIT_DEBUG=1 adds the stack.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, runCli, type CliResult } from './helpers.js';

const photo = path.join(ROOT, 'test', 'fixtures', 'photos', 'astronaut.png');
/** stderr without the native TensorFlow library's start-up log lines. */
const messages = (r: CliResult) => r.stderr.split('\n').filter((l) => l !== '' && !/^WARNING: All log messages before absl|^[IWE]\d{4} /.test(l));

test('CLI failures are one line and a non-zero exit, without a stack trace', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gankit-cli-errors-'));
  const cases: [string, string[], RegExp][] = [
    ['output in a missing folder', ['edit', photo, path.join(dir, 'no', 'such', 'out.png'), '--hflip'], /^gankit edit: .*astronaut\.png: Cannot write ".*out\.png": the folder ".*such" does not exist \(ENOENT\)$/],
    ['huge --resize', ['edit', photo, path.join(dir, 'r.png'), '--resize', '1000000000'], /^gankit edit: /],
    ['huge --pad', ['edit', photo, path.join(dir, 'p.png'), '--pad', '1000000000'], /^gankit edit: /],
    ['huge --blur', ['edit', photo, path.join(dir, 'b.png'), '--blur', '1000001'], /^gankit edit: /],
    ['--format against the extension', ['edit', photo, path.join(dir, 'x.jpg'), '--format', 'png'], /^gankit edit: .*Expected 'jpeg' or no value for a path ending in \.jpg for format but received "png"/],
    ['missing input', ['edit', path.join(dir, 'none.png'), path.join(dir, 'o.png'), '--hflip'], /^gankit edit: .*none\.png: Cannot read image file/],
    ['output is a folder of the same name', ['edit', photo, dir, '--hflip', '--format', 'png'], /./],
    ['unknown command', ['paint'], /^gankit: unknown command "paint"/],
    ['train into a file', ['train', '--dataset', 'mnist', '--limit', '64', '--out', photo, '--steps', '1'], /^gankit train: /],
    ['sample from nothing', ['sample', path.join(dir, 'nothing'), '--out', path.join(dir, 's.png')], /^gankit sample: /],
  ];
  const results = await Promise.all(cases.map(([, args]) => runCli(args)));
  cases.forEach(([label, , re], i) => {
    const r = results[i]!;
    const lines = messages(r);
    if (label === 'output is a folder of the same name') {
      // writes dir/astronaut.png: a success, shown to check the folder case is no failure at all
      assert.equal(r.code, 0, `${label}: ${r.stderr}`);
      return;
    }
    assert.notEqual(r.code, 0, `${label}: exit code`);
    assert.equal(r.signal, null, `${label}: no crash`);
    // (an unknown command is followed by the usage text)
    if (label !== 'unknown command') assert.equal(lines.length, 1, `${label}: one line, got:\n${lines.join('\n')}`);
    assert.match(lines[0]!, re, label);
    assert.doesNotMatch(r.stderr, /^\s+at /m, `${label}: no stack trace`);
  });
  // nothing written by the failures
  assert.deepEqual(readdirSync(dir).sort(), ['astronaut.png']);
  assert.equal(existsSync(path.join(dir, 'x.jpg')), false);

  // GANKIT_DEBUG=1 adds the stack
  const debug = await runCli(['sample', photo, '--out', path.join(dir, 's.png')], { GANKIT_DEBUG: '1' });
  assert.equal(debug.code, 2);
  assert.match(messages(debug)[0]!, /^gankit sample: Expected an exported generator folder/);
  assert.match(debug.stderr, /^\s+at /m, 'GANKIT_DEBUG=1 prints the stack');
  rmSync(dir, { recursive: true, force: true });
});

test('reportFailure prints any thrown value as one bounded line', async () => {
  const { reportFailure } = await import('../../src/cli/main.js');
  const { GankitError } = await import('../../src/util/errors.js');
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  const nasty = new Error('x');
  Object.defineProperty(nasty, 'message', { get() { throw new Error('boom'); } });
  const values: [unknown, number, RegExp][] = [
    [new GankitError('Expected a for b but received c'), 2, /^p: Expected a for b but received c$/],
    [Object.assign(new Error('bad flag'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }), 2, /^p: bad flag$/],
    [new RangeError('line one\n    line two'), 1, /^p: RangeError: line one line two \(set GANKIT_DEBUG=1 for the stack trace\)$/],
    [new Error('y'.repeat(100_000)), 1, /^p: Error: y+\.\.\. \(set GANKIT_DEBUG=1/],
    ['a string', 1, /^p: a thrown "a string" of type string/],
    [cyclic, 1, /^p: a thrown \[\[\[\[\.\.\.\]\]\]\] of type array/],
    [10n, 1, /^p: a thrown 10n of type bigint/],
    [Symbol('s'), 1, /^p: a thrown Symbol\(s\) of type symbol/],
    [null, 1, /^p: a thrown null/],
    [nasty, 1, /^p: an error whose message cannot be read/],
  ];
  const write = process.stderr.write;
  try {
    for (const [value, code, re] of values) {
      let out = '';
      process.stderr.write = ((s: string) => { out += s; return true; }) as typeof process.stderr.write;
      const got = reportFailure('p', value);
      process.stderr.write = write;
      assert.equal(got, code, String(re));
      assert.equal(out.split('\n').length, 2, out.slice(0, 200));
      assert.match(out.trimEnd(), re);
      assert.ok(out.length < 1100);
    }
  } finally {
    process.stderr.write = write;
  }
});
