/**
 * Fault test: `gankit edit big.png big.png --hflip` (an in-place edit, real CLI process) killed with
 * SIGKILL at seeded random points, 20 times: half just after its temporary output file appears (inside
 * the write), half anywhere in the run. big.png must always be whole: the original bytes, or the
 * complete flipped image when the kill came after the rename.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import sharp from 'sharp';
import { killAtRandomPoint } from '../util/faults.js';
import { ROOT, runCli } from './helpers.js';

const KILLS = 20;
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

test(`in-place edits killed at random points (${KILLS} SIGKILLs) never damage the input`, async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gankit-edit-kill-'));
  const big = path.join(dir, 'big.png');
  const pristine = path.join(dir, 'pristine.png');
  // 2000 x 1500 RGB noise: a 9 MB PNG, so the write takes a while
  const rng = seedrandom('edit-kills');
  const noise = Buffer.alloc(2000 * 1500 * 3);
  for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rng() * 256);
  await sharp(noise, { raw: { width: 2000, height: 1500, channels: 3 } }).png().toFile(pristine);
  const original = sha(pristine);
  // One complete run gives the flipped file's bytes (and shows the in-place edit works).
  copyFileSync(pristine, big);
  const start = performance.now();
  const full = await runCli(['edit', big, big, '--hflip']);
  const runMs = performance.now() - start;
  assert.equal(full.code, 0, full.stderr);
  const flipped = sha(big);
  assert.notEqual(flipped, original);

  const counts = { original: 0, flipped: 0, insideWrite: 0 };
  for (let k = 0; k < KILLS; k++) {
    copyFileSync(pristine, big);
    const mode = k % 2 === 0 ? 'write' : 'anytime';
    const r = await killAtRandomPoint({
      args: ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), 'edit', big, big, '--hflip'], cwd: ROOT, dir, tmpPrefix: '.big.png.',
      mode, delayMs: Math.floor(rng() * (mode === 'write' ? 6 : runMs)),
    });
    const now = sha(big);
    assert.ok(now === original || now === flipped, `trial ${k} (${mode}): big.png is neither the original nor the flipped image`);
    counts[now === original ? 'original' : 'flipped']++;
    const temps = readdirSync(dir).filter((n) => n.startsWith('.big.png.'));
    if (temps.length > 0) counts.insideWrite++;
    for (const n of temps) rmSync(path.join(dir, n));
    assert.deepEqual(readdirSync(dir).sort(), ['big.png', 'pristine.png'], `trial ${k}: nothing else written`);
  }
  t.diagnostic(`${KILLS} kills: input intact ${counts.original}, edit completed ${counts.flipped}, killed inside the write (temp file left) ${counts.insideWrite}; damaged 0`);
  assert.ok(counts.insideWrite >= 1, 'at least one kill landed inside the write');
  rmSync(dir, { recursive: true, force: true });
});
