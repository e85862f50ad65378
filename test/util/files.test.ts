/** writeFileAtomic and writeError: whole files or none, and one-line errors naming the file. */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeError, writeFileAtomic } from '../../src/util/files.js';
import { GankitError } from '../../src/util/errors.js';
import { initBackend } from '../../src/backend/select.js';
import { openImage } from '../../src/edit/index.js';

before(async () => { await initBackend(); });

test('writeFileAtomic replaces a file whole and leaves nothing behind on failure', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gankit-files-'));
  const file = path.join(dir, 'a.txt');
  writeFileSync(file, 'old');
  await writeFileAtomic(file, 'new');
  assert.equal(readFileSync(file, 'utf8'), 'new');
  mkdirSync(path.join(dir, 'folder'));
  await assert.rejects(writeFileAtomic(path.join(dir, 'folder'), 'x'), (e: NodeJS.ErrnoException) => typeof e.code === 'string');
  assert.deepEqual(readdirSync(dir).sort(), ['a.txt', 'folder'], 'no temporary file left');
  rmSync(dir, { recursive: true, force: true });
});

test('writeError names the file in one line for file-system errors and passes other errors through', async () => {
  const enoent = Object.assign(new Error("ENOENT: no such file or directory, open '/x/.y.tmp'"), { code: 'ENOENT' });
  const e = writeError('/x/y.png', enoent);
  assert.ok(e instanceof GankitError);
  assert.equal((e as Error).message, 'Cannot write "/x/y.png": the folder "/x" does not exist (ENOENT)');
  assert.match((writeError('/x/y.png', Object.assign(new Error('x'), { code: 'ENOSPC' })) as Error).message, /no space left on the device \(ENOSPC\)$/);
  const other = new TypeError('not a file-system error');
  assert.equal(writeError('/x/y.png', other), other);
  assert.equal(writeError('/x/y.png', 'thrown string'), 'thrown string');
});

test('EditImage.toFile into a missing folder is a GankitError and writes nothing', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gankit-files-'));
  const image = openImage({ data: new Uint8Array(12), width: 2, height: 2, channels: 3 });
  await assert.rejects(image.toFile(path.join(dir, 'missing', 'x.png')), (e: unknown) => e instanceof GankitError && /Cannot write ".*x\.png": the folder ".*missing" does not exist \(ENOENT\)/.test(e.message));
  assert.deepEqual(readdirSync(dir), []);
  rmSync(dir, { recursive: true, force: true });
});
