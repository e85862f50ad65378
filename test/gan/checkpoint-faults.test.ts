/**
 * Fault test: a real process trains and saves a checkpoint in a loop and is killed with SIGKILL at
 * random points (seeded), at least 20 times, inside a save or anywhere. After every kill the last good
 * checkpoint must be intact: it loads, at the step of the last save that returned or the one in flight.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { initBackend } from '../../src/backend/select.js';
import { loadCheckpoint } from '../../src/gan/index.js';
import { killAtRandomPoint } from '../util/faults.js';
import { ROOT } from '../cli/helpers.js';

const KILLS = 20;

before(async () => { await initBackend(); });

test(`checkpoint saves killed at random points (${KILLS} SIGKILLs) always leave the last good checkpoint`, async (t) => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'gankit-ckpt-kill-'));
  const dir = path.join(parent, 'ckpt');
  const rng = seedrandom('checkpoint-kills');
  const child = ['--import', 'tsx', path.join(ROOT, 'test', 'gan', 'fixtures', 'save-loop.ts'), dir];
  let lastSaved = -1;
  let insideSave = 0;
  let fellBack = 0;
  for (let k = 0; k < KILLS; k++) {
    const mode = k % 3 === 2 ? 'anytime' : 'write';
    const r = await killAtRandomPoint({
      args: child, cwd: ROOT, dir: parent, tmpPrefix: '.ckpt.tmp-', mode,
      delayMs: mode === 'write' ? Math.floor(rng() * 80) : Math.floor(rng() * 1500), nth: 1 + Math.floor(rng() * 2), ready: /^ready/m,
    });
    assert.ok(r.killed, `trial ${k}: the child was killed, not done (${r.stderr.slice(-500)})`);
    const ready = /^ready (\d+)$/m.exec(r.stdout);
    const saves = [...r.stdout.matchAll(/^saved (\d+)$/gm)].map((m) => Number(m[1]));
    if (ready) assert.equal(Number(ready[1]), Math.max(lastSaved, 0), `trial ${k}: the child resumed from the last good checkpoint`);
    if (saves.length) lastSaved = saves.at(-1)!;
    if (lastSaved < 0) continue; // killed before the very first save returned
    const leftovers = readdirSync(parent).filter((n) => n !== 'ckpt');
    if (leftovers.some((n) => n.startsWith('.ckpt.tmp-'))) insideSave++;
    if (readdirSync(parent).includes('.ckpt.previous') && !readdirSync(parent).includes('ckpt')) fellBack++;
    const loaded = await loadCheckpoint(dir);
    assert.ok(loaded.step === lastSaved || loaded.step === lastSaved + 1, `trial ${k}: loaded step ${loaded.step}, last save returned at step ${lastSaved}`);
    assert.equal(loaded.history.length, loaded.step);
    lastSaved = loaded.step;
    loaded.dispose({ gan: true });
  }
  t.diagnostic(`${KILLS} kills: ${insideSave} left a half-written temp folder (killed inside a save), ${fellBack} between the two renames; the last good checkpoint loaded every time`);
  assert.ok(insideSave >= 5, `${insideSave} kills landed inside a save`);
  rmSync(parent, { recursive: true, force: true });
});
