/**
 * Checkpoint corruption campaign (seeded): flipped bytes, truncated and extended files, swapped files
 * and entries, every field of the manifest edited (as corruption leaves it, and re-signed as a tool that
 * rewrites manifests would), missing and replaced files. Every case must load a trainer identical to
 * the saved one, or fail with a GankitError: never a silently different model, never a foreign error.
 * The figures go to docs/reliability.md.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { promises as fsp, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import seedrandom from 'seedrandom';
import { initBackend } from '../../src/backend/select.js';
import { createGan, GanTrainer, saveCheckpoint, loadCheckpoint, restoreCheckpoint, type GanConfigInput } from '../../src/gan/index.js';
import { canonicalJson } from '../../src/gan/checkpoint.js';
import { GankitError } from '../../src/util/errors.js';
import { blobs, resign } from './helpers.js';

const tiny: GanConfigInput = { ngf: 8, ndf: 8, latentDim: 16, seed: 11 };
const FILES = ['manifest.json', 'weights.bin', 'snapshots.bin'] as const;
type FileName = (typeof FILES)[number];
/** A checkpoint's files: bytes, null (missing) or 'dir' (a directory in its place). */
type Files = Record<FileName, Buffer | null | 'dir'>;
type Json = Record<string, unknown>;

interface Case { label: string; files: Files }

before(async () => { await initBackend(); });

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Everything a loaded trainer is, as one hash: config, options, counters, history, weights, Adam state, snapshots. */
async function fingerprint(t: GanTrainer): Promise<string> {
  const h = createHash('sha256');
  const history = t.history.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Number.isFinite(v) ? v : String(v)])));
  h.update(canonicalJson({ config: t.gan.config, options: t.options, step: t.step, epoch: t.epoch, history }));
  for (const m of [t.gan.generator, t.gan.discriminator]) {
    for (const w of m.weights) h.update(`${w.originalName}:${w.shape}:${w.dtype}`).update(new Uint8Array(w.read().dataSync().buffer));
  }
  for (const opt of [t.optimizerG, t.optimizerD]) {
    const ws = await opt.getWeights();
    for (const w of ws) h.update(`${w.name}:${w.tensor.shape}`).update(new Uint8Array(w.tensor.dataSync().slice().buffer));
    ws[0]!.tensor.dispose();
    const acc = opt as unknown as { accBeta1: tf.Variable; accBeta2: tf.Variable };
    h.update(new Uint8Array(acc.accBeta1.dataSync().buffer)).update(new Uint8Array(acc.accBeta2.dataSync().buffer));
  }
  for (const s of t.snapshots) h.update(`${s.step}:${s.shape}`).update(s.pixels);
  return h.digest('hex');
}

/** Paths of every leaf (and every object and array) of a JSON value. */
function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = at.length ? [at] : [];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...at, i])));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...at, k]));
  return out;
}

const get = (o: unknown, p: (string | number)[]) => p.reduce<unknown>((x, k) => (x as Record<string | number, unknown>)[k], o);
function set(o: unknown, p: (string | number)[], value: unknown): void {
  const parent = get(o, p.slice(0, -1)) as Record<string | number, unknown>;
  if (value === DELETE) {
    if (Array.isArray(parent)) parent.splice(p.at(-1) as number, 1);
    else delete parent[p.at(-1)!];
  } else {
    parent[p.at(-1)!] = value;
  }
}
const DELETE = Symbol('delete');

/** A different value for a JSON value, picked by `rng`: never equal to the old one. */
function mutate(v: unknown, rng: () => number): unknown {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)]!;
  if (typeof v === 'number') return pick([v + 1, v - 1, v * 2 + 1, -v - 1, v + 0.5, 1e300, String(v), null, true, DELETE]);
  if (typeof v === 'string') return pick([`${v}x`, '', v.slice(1) || 'y', 7, null, DELETE]);
  if (typeof v === 'boolean') return !v;
  if (Array.isArray(v)) return v.length === 0 ? pick([[0], 'array', DELETE]) : pick([[], v.slice(0, -1), [...v, v.at(-1)], 'array', DELETE]);
  if (v !== null && typeof v === 'object') return pick([{ ...v, unknownField: 1 }, {}, [], null, DELETE]);
  return pick([0, 'x', DELETE]);
}

function withManifest(base: Files, m: Json, text = JSON.stringify(m)): Files {
  return { ...base, 'manifest.json': Buffer.from(text) };
}

/** Every corruption case, seeded. */
function cases(base: Files, manifest: Json): Case[] {
  const rng = seedrandom('checkpoint-corruption');
  const int = (n: number) => Math.floor(rng() * n);
  const out: Case[] = [];
  const bytes = (f: FileName) => base[f] as Buffer;
  const copy = () => structuredClone(manifest);

  // Loads identically: the same manifest re-serialised with other spacing and key order.
  out.push({ label: 'manifest pretty-printed', files: withManifest(base, manifest, JSON.stringify(manifest, null, 2)) });
  const reversed = Object.fromEntries(Object.entries(manifest).reverse());
  out.push({ label: 'manifest keys reordered', files: withManifest(base, manifest, JSON.stringify(reversed)) });

  // Flipped bytes: 16 per file.
  for (const f of FILES) {
    for (let i = 0; i < 16; i++) {
      const b = Buffer.from(bytes(f));
      const at = int(b.length);
      b[at] = b[at]! ^ (1 + int(255));
      out.push({ label: `${f}: byte ${at} flipped`, files: { ...base, [f]: b } });
    }
  }
  // Truncated (to 0, 1 byte short, and random lengths) and extended files.
  for (const f of FILES) {
    const n = bytes(f).length;
    for (const len of [0, n - 1, int(n), int(n), int(n)]) out.push({ label: `${f}: truncated to ${len} bytes`, files: { ...base, [f]: bytes(f).subarray(0, len) } });
    out.push({ label: `${f}: 4 bytes appended`, files: { ...base, [f]: Buffer.concat([bytes(f), Buffer.from([0, 0, 0, 0])]) } });
    out.push({ label: `${f}: missing`, files: { ...base, [f]: null } });
    out.push({ label: `${f}: a directory`, files: { ...base, [f]: 'dir' } });
  }
  // Swapped files and swapped byte ranges.
  out.push({ label: 'weights.bin and snapshots.bin swapped', files: { ...base, 'weights.bin': bytes('snapshots.bin'), 'snapshots.bin': bytes('weights.bin') } });
  out.push({ label: 'manifest.json replaced by weights.bin', files: { ...base, 'manifest.json': bytes('weights.bin') } });
  const tensors = manifest.tensors as { group: string; name: string; shape: number[]; offset: number; length: number }[];
  const sameShape: [number, number][] = [];
  tensors.forEach((a, i) => tensors.forEach((b, j) => { if (i < j && a.length === b.length && a.group === b.group) sameShape.push([i, j]); }));
  for (let k = 0; k < 6; k++) {
    const [i, j] = sameShape[int(sameShape.length)]!;
    const b = Buffer.from(bytes('weights.bin'));
    const [x, y] = [tensors[i]!, tensors[j]!];
    Buffer.from(b.subarray(x.offset, x.offset + x.length)).copy(b, y.offset);
    bytes('weights.bin').subarray(y.offset, y.offset + y.length).copy(b, x.offset);
    out.push({ label: `weights.bin: data of ${x.name} and ${y.name} swapped`, files: { ...base, 'weights.bin': b } });
  }

  // Every field of the manifest edited, as corruption leaves it (the manifest checksum not updated).
  for (const p of paths(manifest)) {
    const m = copy();
    set(m, p, mutate(get(m, p), rng));
    out.push({ label: `manifest ${p.join('.')} edited`, files: withManifest(base, m) });
  }

  // Structural edits, re-signed (a tool that rewrites the manifest): the index, counters and keys
  // must still agree with each other and with the data and models. (Re-signed edits of values such as
  // lr, a loss value or a snapshot's step are deliberate changes and load as written.)
  const signed = (label: string, edit: (m: Json) => void) => {
    const m = copy();
    edit(m);
    resign(m);
    out.push({ label: `re-signed: ${label}`, files: withManifest(base, m) });
  };
  type T = { group: string; index: number; name: string; shape: number[]; dtype: string; offset: number; length: number };
  const ts = (m: Json) => m.tensors as T[];
  for (let k = 0; k < 30; k++) {
    const i = int(tensors.length);
    const [a, b] = sameShape[int(sameShape.length)]!;
    const edits: [string, (m: Json) => void][] = [
      [`tensors[${i}].offset + 4`, (m) => { ts(m)[i]!.offset += 4; }],
      [`tensors[${i}].offset - 4`, (m) => { ts(m)[i]!.offset -= 4; }],
      [`tensors[${i}].length + 4`, (m) => { ts(m)[i]!.length += 4; }],
      [`tensors[${i}].shape reversed`, (m) => { ts(m)[i]!.shape.reverse(); }],
      [`tensors[${i}].shape [n]`, (m) => { const t = ts(m)[i]!; t.shape = [t.length / 4]; }],
      [`tensors[${i}].dtype`, (m) => { const t = ts(m)[i]!; t.dtype = t.dtype === 'int32' ? 'float32' : 'int32'; }],
      [`tensors[${i}].name`, (m) => { ts(m)[i]!.name += '_x'; }],
      [`tensors[${i}].group`, (m) => { const t = ts(m)[i]!; t.group = t.group === 'generator' ? 'discriminator' : 'generator'; }],
      [`tensors[${i}].index + 1`, (m) => { ts(m)[i]!.index += 1; }],
      [`tensors[${i}] removed`, (m) => { ts(m).splice(i, 1); }],
      [`tensors[${i}] duplicated`, (m) => { ts(m).splice(i, 0, { ...ts(m)[i]! }); }],
      [`tensors[${a}] and [${b}] swapped`, (m) => { const t = ts(m); [t[a], t[b]] = [t[b]!, t[a]!]; }],
      [`names of tensors[${a}] and [${b}] swapped`, (m) => { const t = ts(m); [t[a]!.name, t[b]!.name] = [t[b]!.name, t[a]!.name]; }],
      [`offsets of tensors[${a}] and [${b}] swapped`, (m) => { const t = ts(m); [t[a]!.offset, t[b]!.offset] = [t[b]!.offset, t[a]!.offset]; }],
      [`entries of tensors[${a}] and [${b}] swapped, index kept`, (m) => { const t = ts(m); [t[a], t[b]] = [{ ...t[b]!, index: t[a]!.index }, { ...t[a]!, index: t[b]!.index }]; }],
    ];
    const [label, edit] = edits[k % edits.length]!;
    signed(label, edit);
  }
  for (const [label, edit] of [
    ['tensor entries 0..2 rotated', (m: Json) => { const t = ts(m); t.push(...t.splice(0, 1)); }],
    ['step + 1', (m: Json) => { (m.step as number) += 1; }],
    ['step - 1', (m: Json) => { (m.step as number) -= 1; }],
    ['history record removed', (m: Json) => { (m.history as unknown[]).pop(); }],
    ['history record duplicated', (m: Json) => { const h = m.history as unknown[]; h.push(h.at(-1)); }],
    ['history records swapped', (m: Json) => { const h = m.history as unknown[]; [h[0], h[1]] = [h[1], h[0]]; }],
    ['history[0].step', (m: Json) => { (m.history as Json[])[0]!.step = 2; }],
    ['history[1].epoch', (m: Json) => { (m.history as Json[])[1]!.epoch = 1; }],
    ['history[0].epoch -1', (m: Json) => { (m.history as Json[])[0]!.epoch = -1; }],
    ['history[2].lossD as text', (m: Json) => { (m.history as Json[])[2]!.lossD = '0.5'; }],
    ['history[2] unknown field', (m: Json) => { (m.history as Json[])[2]!.lossX = 1; }],
    ['epoch below the history', (m: Json) => { (m.history as Json[]).forEach((r) => { r.epoch = 1; }); }],
    ['weightsBytes + 4', (m: Json) => { (m.weightsBytes as number) += 4; }],
    ['snapshotsBytes - 1', (m: Json) => { (m.snapshotsBytes as number) -= 1; }],
    ['snapshots swapped', (m: Json) => { const s = m.snapshots as unknown[]; [s[0], s[1]] = [s[1], s[0]]; }],
    ['snapshot removed', (m: Json) => { (m.snapshots as unknown[]).pop(); }],
    ['snapshots[1].offset + 1', (m: Json) => { (m.snapshots as Json[])[1]!.offset = ((m.snapshots as Json[])[1]!.offset as number) + 1; }],
    ['snapshots[0].shape', (m: Json) => { const s = (m.snapshots as Json[])[0]!; s.shape = [1, 28, 28, 64]; }],
    ['snapshots[2].step after the last step', (m: Json) => { (m.snapshots as Json[])[2]!.step = 4; }],
    ['config.ngf', (m: Json) => { (m.config as Json).ngf = 16; }],
    ['config.architecture', (m: Json) => { (m.config as Json).architecture = 'mlp'; }],
    ['config.imageSize', (m: Json) => { (m.config as Json).imageSize = 32; }],
    ['config.numClasses', (m: Json) => { (m.config as Json).numClasses = 10; }],
    ['config.discriminatorNorm', (m: Json) => { (m.config as Json).discriminatorNorm = 'layer'; }],
    ['config key removed', (m: Json) => { delete (m.config as Json).latentDim; }],
    ['config unknown key', (m: Json) => { (m.config as Json).depth = 3; }],
    ['trainer.fixedSamples', (m: Json) => { (m.trainer as Json).fixedSamples = 32; }],
    ['trainer.loss wgan-gp with BatchNorm', (m: Json) => { (m.trainer as Json).loss = 'wgan-gp'; }],
    ['trainer.loss unknown', (m: Json) => { (m.trainer as Json).loss = 'mse'; }],
    ['trainer key removed', (m: Json) => { delete (m.trainer as Json).beta2; }],
    ['trainer unknown key', (m: Json) => { (m.trainer as Json).momentum = 0.9; }],
    ['trainer.maxSnapshots below the snapshot count', (m: Json) => { (m.trainer as Json).maxSnapshots = 2; }],
    ['format', (m: Json) => { m.format = 'other'; }],
    ['version 4', (m: Json) => { m.version = 4; }],
    ['version 2 with a checksum', (m: Json) => { m.version = 2; }],
    ['top-level unknown key', (m: Json) => { m.note = 'x'; }],
    ['top-level key removed', (m: Json) => { delete m.savedAt; }],
    ['weightsSha256 upper case', (m: Json) => { m.weightsSha256 = (m.weightsSha256 as string).toUpperCase(); }],
  ] as [string, (m: Json) => void][]) signed(label, edit);
  return out;
}

async function writeCase(dir: string, files: Files): Promise<void> {
  await fsp.mkdir(dir, { recursive: true });
  for (const f of FILES) {
    const data = files[f];
    if (data === 'dir') await fsp.mkdir(path.join(dir, f));
    else if (data !== null) await fsp.writeFile(path.join(dir, f), data);
  }
}

type Outcome = 'identical' | 'error' | 'wrong' | 'foreign error';

/** Run a load; a loaded trainer is compared with `expected` and, if `dispose`, freed with its GAN. */
async function outcomeOf(attempt: () => Promise<GanTrainer>, expected: string, dispose: boolean): Promise<[Outcome, string]> {
  let t: GanTrainer;
  try {
    t = await attempt();
  } catch (e) {
    return e instanceof GankitError ? ['error', e.message] : ['foreign error', String((e as Error)?.stack ?? e)];
  }
  const fp = await fingerprint(t);
  if (dispose) t.dispose({ gan: true });
  return [fp === expected ? 'identical' : 'wrong', ''];
}

test('a corrupt checkpoint loads identically or fails with a GankitError, never silently wrong (seeded, > 100 cases)', async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'gankit-corrupt-'));
  const trainer = new GanTrainer(createGan(tiny), { fixedSamples: 4 });
  await trainer.train(blobs(3, 4), { snapshotEvery: 1 });
  const good = path.join(root, 'good');
  await saveCheckpoint(trainer, good);
  const base = Object.fromEntries(await Promise.all(FILES.map(async (f) => [f, await fsp.readFile(path.join(good, f))]))) as Files;
  const manifest = JSON.parse((base['manifest.json'] as Buffer).toString('utf8')) as Json;
  const expected = await fingerprint(trainer);
  const reference = await loadCheckpoint(good);
  assert.equal(await fingerprint(reference), expected, 'the saved checkpoint loads identically');
  reference.dispose({ gan: true });

  const all = cases(base, manifest);
  assert.ok(all.length >= 100, `${all.length} cases`);
  const counts: Record<Outcome, number> = { identical: 0, error: 0, wrong: 0, 'foreign error': 0 };
  const bad: string[] = [];
  // restoreCheckpoint into an existing trainer of the same config: identical, or an error that changes nothing.
  const target = new GanTrainer(createGan(tiny), { fixedSamples: 4 });
  for (const [i, c] of all.entries()) {
    const dir = path.join(root, `case-${i}`);
    await writeCase(dir, c.files);
    const tensorsBefore = tf.memory().numTensors;
    const [loaded, message] = await outcomeOf(() => loadCheckpoint(dir), expected, true);
    counts[loaded]++;
    if (loaded === 'wrong' || loaded === 'foreign error') bad.push(`${c.label}: loadCheckpoint ${loaded} ${message}`);
    if (loaded === 'error' && !/^(Corrupt checkpoint at|Checkpoint at|No checkpoint at) /.test(message)) bad.push(`${c.label}: unclear message ${message}`);
    if (tf.memory().numTensors !== tensorsBefore) bad.push(`${c.label}: ${tf.memory().numTensors - tensorsBefore} tensors leaked`);
    // the same files through restoreCheckpoint: it must agree with loadCheckpoint, and change nothing on error
    const before = await fingerprint(target);
    const [restored, restoreMessage] = await outcomeOf(async () => { await restoreCheckpoint(target, dir); return target; }, expected, false);
    if (restored !== loaded) bad.push(`${c.label}: restoreCheckpoint ${restored} but loadCheckpoint ${loaded} ${restoreMessage}`);
    if (restored === 'error' && (await fingerprint(target)) !== before) bad.push(`${c.label}: a failed restore changed the trainer`);
  }
  t.diagnostic(`cases ${all.length} (${all.filter((c) => c.label.startsWith('re-signed')).length} re-signed): identical ${counts.identical}, GankitError ${counts.error}, silently wrong ${counts.wrong}, foreign errors ${counts['foreign error']}`);
  assert.deepEqual(bad, []);
  assert.equal(counts.wrong + counts['foreign error'], 0);
  assert.ok(counts.identical >= 2 && counts.error >= 100, JSON.stringify(counts));
  trainer.dispose({ gan: true });
  target.dispose({ gan: true });
  await fsp.rm(root, { recursive: true, force: true });
});
