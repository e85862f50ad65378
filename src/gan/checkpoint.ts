/**
 * Checkpoints and generator export.
 *
 * A checkpoint is a directory: manifest.json (format, config, trainer options, step, epoch, history,
 * the index of every tensor, sizes and SHA-256 sums), weights.bin (G and D weights including
 * BatchNorm statistics, both Adam optimizers' moments, iteration counts and bias-correction terms)
 * and snapshots.bin (the fixed-noise snapshots' pixels).
 *
 * Writes are atomic: everything is written and fsync'd in a temp directory next to the target, then
 * renamed into place. The old checkpoint is first renamed to `.<name>.previous` and deleted only once
 * the new one is in place; if the process dies between those two renames, loading `<name>` falls back
 * to `.<name>.previous`. So a crash never leaves a half-written checkpoint, nor loses the last one.
 *
 * manifest.json carries its own SHA-256 (`manifestSha256`, over canonicalJson of the manifest without
 * that field), besides those of the two data files. Loading checks all three sums, then every field:
 * the tensor index (contiguous, no gaps or overlaps, exactly covering weights.bin, and names, shapes,
 * dtypes and order matching the models and Adam optimizers), the snapshot index, the config, the
 * trainer options, and step, epoch and history against each other, all before touching any model. A
 * truncated, altered or mismatched checkpoint is a GankitError naming the field, never a silently
 * different model. Version 2 checkpoints (no manifest checksum) still load with all the other checks.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isInteger, isPlainObject } from '../util/is.js';
import * as v from '../util/validate.js';
import { DEFAULT_CONFIG, resolveConfig, type GanConfig, type GanConfigInput } from './config.js';
import { createGan, disposeGan, type Gan } from './models/index.js';
import { GanTrainer, type Snapshot, type StepRecord, type TrainerOptions, type TrainerSettings } from './trainer.js';
import { chooseMode, requestedMode, resolveThreads } from './compiled/mode.js';
import { trackModel } from './lifetime.js';
import { latentDimOf } from './sample.js';

const FORMAT = 'gankit-checkpoint';
const VERSION = 3;
/** Versions this gankit reads: 2 (before the manifest checksum) and 3. */
const READABLE_VERSIONS = [2, 3];
const GROUPS = ['generator', 'discriminator', 'optimizerG', 'optimizerD'] as const;
type Group = (typeof GROUPS)[number];

interface TensorEntry { group: Group; index: number; name: string; shape: number[]; dtype: 'float32' | 'int32'; offset: number; length: number }
interface SnapshotEntry { step: number; shape: [number, number, number, number]; offset: number; length: number }

interface Manifest {
  format: typeof FORMAT;
  version: number;
  config: GanConfig;
  trainer: TrainerSettings;
  step: number;
  epoch: number;
  history: StepRecord[];
  tensors: TensorEntry[];
  weightsBytes: number;
  weightsSha256: string;
  snapshots: SnapshotEntry[];
  snapshotsBytes: number;
  snapshotsSha256: string;
  savedAt: string;
  tfjs: string;
  /** SHA-256 (hex) of canonicalJson(manifest without this field); version 3 on. */
  manifestSha256?: string;
}

const MANIFEST_KEYS = [
  'format', 'version', 'config', 'trainer', 'step', 'epoch', 'history', 'tensors', 'weightsBytes', 'weightsSha256',
  'snapshots', 'snapshotsBytes', 'snapshotsSha256', 'savedAt', 'tfjs',
] as const;
const TENSOR_KEYS = ['group', 'index', 'name', 'shape', 'dtype', 'offset', 'length'] as const;
const SNAPSHOT_KEYS = ['step', 'shape', 'offset', 'length'] as const;
const RECORD_KEYS = ['step', 'epoch', 'lossD', 'lossG', 'dx', 'dgz1', 'dgz2'] as const;
const NUMBER_KEYS = ['lossD', 'lossG', 'dx', 'dgz1', 'dgz2'] as const;

/**
 * Canonical JSON of a parsed JSON value: object keys sorted by code unit, no whitespace. Two parses of
 * the same data give the same text, whatever the key order or spacing of the file.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The checksum a manifest carries: SHA-256 of canonicalJson of all its other fields. */
function manifestChecksum(m: Record<string, unknown>): string {
  const { manifestSha256: _, ...rest } = m;
  return sha256(Buffer.from(canonicalJson(rest), 'utf8'));
}

/** JSON has no NaN or Infinity: history values that are not finite are stored as the strings "NaN", "Infinity", "-Infinity". */
const encodeNumber = (v: number): number | string => (Number.isFinite(v) ? v : String(v));
const NON_FINITE: Record<string, number> = { NaN, Infinity, '-Infinity': -Infinity };

interface NamedTensor { name: string; tensor: tf.Tensor }

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

// ---------------------------------------------------------------- atomic directory writes

async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.open(p, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}

const backupOf = (target: string) => path.join(path.dirname(target), `.${path.basename(target)}.previous`);

const exists = (p: string) => fs.stat(p).then(() => true, () => false);

/** Throw unless `target` is absent, or a directory holding only files named in `ours` (safe to replace). */
async function checkReplaceable(target: string, ours: readonly string[], what: string): Promise<void> {
  let entries: string[];
  try {
    entries = await fs.readdir(target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return;
    if (code === 'ENOTDIR') throw new GankitError(`Cannot write ${what} to ${target}: it is a file`);
    throw e;
  }
  const foreign = entries.filter((n) => !ours.includes(n));
  if (foreign.length > 0) {
    throw new GankitError(`Cannot write ${what} to ${target}: the directory holds other files (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', ...' : ''}); choose a new or empty directory`);
  }
}

/**
 * Write `files` as the directory `target`, atomically: into a fsync'd temp directory in the same
 * parent, then renamed into place (the old directory kept as a backup until the new one is there).
 * An existing `target` is replaced only if it holds nothing but files of the same names.
 */
export async function writeDirAtomic(target: string, files: Record<string, Uint8Array | string>, what = 'a checkpoint'): Promise<void> {
  const parent = path.dirname(target);
  await checkReplaceable(target, Object.keys(files), what);
  await fs.mkdir(parent, { recursive: true });
  const backup = backupOf(target);
  const prefix = `.${path.basename(target)}.tmp-`;
  // Temp directories of saves that died half-way: never a checkpoint, safe to remove.
  for (const name of await fs.readdir(parent)) {
    if (name.startsWith(prefix)) await fs.rm(path.join(parent, name), { recursive: true, force: true });
  }
  const tmp = await fs.mkdtemp(path.join(parent, prefix));
  let movedOld = false;
  try {
    for (const [name, data] of Object.entries(files)) {
      await fs.writeFile(path.join(tmp, name), data);
      await fsyncPath(path.join(tmp, name));
    }
    await fsyncPath(tmp);
    if (await exists(target)) {
      // A backup left by an earlier interrupted save is stale once `target` exists again.
      await fs.rm(backup, { recursive: true, force: true });
      await fs.rename(target, backup);
      movedOld = true;
    }
    await fs.rename(tmp, target);
    await fsyncPath(parent).catch(() => undefined);
  } catch (e) {
    if (movedOld && !(await exists(target))) await fs.rename(backup, target).catch(() => undefined);
    await fs.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw e;
  }
  await fs.rm(backup, { recursive: true, force: true });
}

/** The directory holding the checkpoint `dir`: itself, or its backup after a save that died between renames. */
async function locate(dir: string): Promise<string> {
  const target = path.resolve(dir);
  if (await exists(path.join(target, 'manifest.json'))) return target;
  const backup = backupOf(target);
  if (!(await exists(target)) && (await exists(path.join(backup, 'manifest.json')))) return backup;
  return target;
}

// ---------------------------------------------------------------- save

/** Adam's state: iterations, moments, and the bias-correction powers (saved so a resume is bit-exact). */
async function optimizerState(opt: tf.AdamOptimizer): Promise<NamedTensor[]> {
  const state: NamedTensor[] = await opt.getWeights(); // [iter (a new scalar), first moments..., second moments...]
  const acc = opt as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  if (acc.accBeta1 && acc.accBeta2) state.push({ name: 'accBeta1', tensor: acc.accBeta1 }, { name: 'accBeta2', tensor: acc.accBeta2 });
  return state;
}

function modelState(m: tf.LayersModel): NamedTensor[] {
  return m.weights.map((w) => ({ name: w.originalName, tensor: w.read() }));
}

/** Save a trainer (G, D, both optimizers, step, epoch, history, snapshots, seed, config) to `dir`, atomically replacing it. */
export async function saveCheckpoint(trainer: GanTrainer, dir: string): Promise<void> {
  if (!(trainer instanceof GanTrainer)) throw invalidParameterError('trainer', 'a GanTrainer', trainer);
  if (typeof dir !== 'string' || dir === '') throw invalidParameterError('dir', 'a directory path', dir);
  // Read a consistent state: retry if a running train() took a step while the optimizers were read.
  let captured: { manifest: Manifest; weights: Uint8Array; snapshots: Uint8Array } | undefined;
  for (let attempt = 0; attempt < 5 && !captured; attempt++) {
    const step = trainer.step;
    trainer.syncWeights(); // a compiled step keeps the current weights in its graph
    const groups: Record<Group, NamedTensor[]> = {
      generator: modelState(trainer.gan.generator),
      discriminator: modelState(trainer.gan.discriminator),
      optimizerG: await optimizerState(trainer.optimizerG),
      optimizerD: await optimizerState(trainer.optimizerD),
    };
    const iterTensors = [groups.optimizerG[0]!.tensor, groups.optimizerD[0]!.tensor]; // new scalars from getWeights()
    try {
      if (trainer.step !== step) continue;
      captured = capture(trainer, groups);
    } finally {
      tf.dispose(iterTensors);
    }
  }
  if (!captured) throw new GankitError('Could not save a consistent checkpoint while training runs: save from onStep, or after train() resolves');
  const { manifest, weights, snapshots } = captured;
  await writeDirAtomic(path.resolve(dir), {
    'weights.bin': weights, 'snapshots.bin': snapshots, 'manifest.json': JSON.stringify(manifest),
  });
}

/** Serialise everything synchronously (one consistent state). */
function capture(trainer: GanTrainer, groups: Record<Group, NamedTensor[]>): { manifest: Manifest; weights: Uint8Array; snapshots: Uint8Array } {
  const tensors: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const group of GROUPS) {
    groups[group].forEach(({ name, tensor }, index) => {
      const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
      const values = tensor.dataSync();
      const typed = dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values);
      const bytes = new Uint8Array(typed.buffer);
      tensors.push({ group, index, name, shape: [...tensor.shape], dtype, offset, length: bytes.length });
      chunks.push(bytes);
      offset += bytes.length;
    });
  }
  const weights = Buffer.concat(chunks);
  const snapEntries: SnapshotEntry[] = [];
  let snapOffset = 0;
  for (const s of trainer.snapshots) {
    snapEntries.push({ step: s.step, shape: s.shape, offset: snapOffset, length: s.pixels.length });
    snapOffset += s.pixels.length;
  }
  const snapshots = Buffer.concat(trainer.snapshots.map((s) => s.pixels));
  const history = trainer.history.map((r) => {
    const out: Record<string, number | string> = { ...r };
    for (const k of NUMBER_KEYS) out[k] = encodeNumber(r[k]);
    return out as unknown as StepRecord;
  });
  const manifest: Manifest = {
    format: FORMAT, version: VERSION, config: trainer.gan.config, trainer: trainer.options,
    step: trainer.step, epoch: trainer.epoch, history,
    tensors, weightsBytes: weights.length, weightsSha256: sha256(weights),
    snapshots: snapEntries, snapshotsBytes: snapshots.length, snapshotsSha256: sha256(snapshots),
    savedAt: new Date().toISOString(), tfjs: tf.version_core,
  };
  manifest.manifestSha256 = manifestChecksum(manifest as unknown as Record<string, unknown>);
  return { manifest, weights, snapshots };
}

// ---------------------------------------------------------------- load

function corrupt(dir: string, what: string): GankitError {
  return new GankitError(`Corrupt checkpoint at ${dir}: ${what}`);
}

function mismatch(dir: string, what: string): GankitError {
  return new GankitError(`Checkpoint at ${dir} does not match ${what}`);
}

/** A short JSON form of a manifest value for messages (at most 80 characters). */
function show(v: unknown): string {
  let text: string;
  try {
    text = canonicalJson(v);
  } catch {
    text = `a ${typeof v}`;
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

const isShape = (s: unknown): s is number[] => Array.isArray(s) && s.every((d) => isInteger(d) && d >= 0);
const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);
const field = (where: string, key: string) => (where ? `${where}.${key}` : key);

/** Throw unless `value` is an object with exactly the fields `keys`, naming the first missing or unknown one. */
function checkFields(dir: string, where: string, value: unknown, keys: readonly string[]): asserts value is Record<string, unknown> {
  if (!isPlainObject(value)) throw corrupt(dir, `${where || 'manifest.json'} is ${show(value)}, expected an object`);
  for (const k of keys) if (!Object.hasOwn(value, k)) throw corrupt(dir, `${field(where, k)} is missing`);
  for (const k of Object.keys(value)) if (!keys.includes(k)) throw corrupt(dir, `${where || 'manifest.json'} has an unknown field ${JSON.stringify(k).slice(0, 60)}`);
}

function checkInt(dir: string, name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER, why = ''): asserts v is number {
  if (!isInteger(v) || v < min || v > max) {
    throw corrupt(dir, `${name} is ${show(v)}, expected an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`}${why}`);
  }
}

/** Parse manifest.json and check its format, version, own checksum and top-level fields. */
function parseManifest(text: string, dir: string): Manifest {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw corrupt(dir, `manifest.json is not valid JSON (${(e as Error).message.slice(0, 200)})`);
  }
  if (!isPlainObject(m) || m.format !== FORMAT) throw corrupt(dir, `manifest.json format is ${show(isPlainObject(m) ? m.format : m)}, expected "${FORMAT}"`);
  if (!READABLE_VERSIONS.includes(m.version as number)) {
    throw new GankitError(`Checkpoint at ${dir} has version ${show(m.version)}; this gankit reads versions ${READABLE_VERSIONS.join(' and ')}`);
  }
  const keys: string[] = [...MANIFEST_KEYS];
  if (m.version !== 2) {
    keys.push('manifestSha256');
    if (typeof m.manifestSha256 !== 'string') throw corrupt(dir, `manifestSha256 is ${m.manifestSha256 === undefined ? 'missing' : show(m.manifestSha256)}, expected the manifest's SHA-256`);
    let sum: string;
    try {
      sum = manifestChecksum(m);
    } catch (e) {
      throw corrupt(dir, `manifest.json cannot be checked (${(e as Error).message.slice(0, 100)})`);
    }
    if (sum !== m.manifestSha256) throw corrupt(dir, 'manifest.json does not match its own SHA-256 (manifestSha256): it was altered after saving');
  }
  checkFields(dir, '', m, keys);
  for (const k of ['weightsSha256', 'snapshotsSha256'] as const) {
    if (typeof m[k] !== 'string' || !/^[0-9a-f]{64}$/.test(m[k] as string)) throw corrupt(dir, `${k} is ${show(m[k])}, expected 64 hex digits`);
  }
  for (const k of ['savedAt', 'tfjs'] as const) if (typeof m[k] !== 'string') throw corrupt(dir, `${k} is ${show(m[k])}, expected a string`);
  checkInt(dir, 'weightsBytes', m.weightsBytes, 0);
  checkInt(dir, 'snapshotsBytes', m.snapshotsBytes, 0);
  return m as unknown as Manifest;
}

/** step, epoch and history agree: one record per step numbered from 1, epochs never going back, numbers in every field. */
function validateHistory(m: Manifest, dir: string): void {
  checkInt(dir, 'step', m.step, 0);
  checkInt(dir, 'epoch', m.epoch, 0);
  if (!Array.isArray(m.history)) throw corrupt(dir, `history is ${show(m.history)}, expected an array of step records`);
  if (m.history.length !== m.step) throw corrupt(dir, `history has ${m.history.length} records for ${m.step} steps (step must equal the number of records)`);
  let lastEpoch = 0;
  m.history.forEach((r: unknown, i) => {
    const where = `history[${i}]`;
    checkFields(dir, where, r, RECORD_KEYS);
    if (r.step !== i + 1) throw corrupt(dir, `${where}.step is ${show(r.step)}, expected ${i + 1} (records number the steps from 1)`);
    checkInt(dir, `${where}.epoch`, r.epoch, lastEpoch, Number.MAX_SAFE_INTEGER, ' (epochs never go back)');
    lastEpoch = r.epoch;
    for (const k of NUMBER_KEYS) {
      const v = r[k];
      if (typeof v === 'string' && m.version !== 2 && Object.hasOwn(NON_FINITE, v)) r[k] = NON_FINITE[v];
      else if (v === null && m.version === 2) r[k] = NaN; // version 2 wrote NaN and Infinity as JSON's null
      else if (typeof v !== 'number') throw corrupt(dir, `${where}.${k} is ${show(v)}, expected a number`);
    }
  });
  if (m.epoch < lastEpoch) throw corrupt(dir, `epoch is ${m.epoch}, but the last history record is in epoch ${lastEpoch}`);
}

/** The tensor index: groups in order, indices from 0, entries back to back from offset 0 covering weights.bin exactly. */
function validateTensors(m: Manifest, dir: string): void {
  if (!Array.isArray(m.tensors)) throw corrupt(dir, `tensors is ${show(m.tensors)}, expected the tensor index (an array)`);
  let offset = 0;
  let group = 0;
  let index = 0;
  m.tensors.forEach((t: unknown, i) => {
    const where = `tensors[${i}]`;
    checkFields(dir, where, t, TENSOR_KEYS);
    const g = (GROUPS as readonly unknown[]).indexOf(t.group);
    if (g < 0) throw corrupt(dir, `${where}.group is ${show(t.group)}, expected one of ${GROUPS.join(', ')}`);
    if (g < group) throw corrupt(dir, `${where}.group is "${GROUPS[g]}" after "${GROUPS[group]}" entries, expected the groups in the order ${GROUPS.join(', ')}`);
    if (g > group) { group = g; index = 0; }
    if (t.index !== index) throw corrupt(dir, `${where}.index is ${show(t.index)}, expected ${index} (each group's entries in order from 0)`);
    index += 1;
    if (typeof t.name !== 'string' || t.name === '') throw corrupt(dir, `${where}.name is ${show(t.name)}, expected a weight name`);
    if (!isShape(t.shape)) throw corrupt(dir, `${where}.shape is ${show(t.shape)}, expected a list of integers >= 0`);
    if (t.dtype !== 'float32' && t.dtype !== 'int32') throw corrupt(dir, `${where}.dtype is ${show(t.dtype)}, expected "float32" or "int32"`);
    if (t.offset !== offset) throw corrupt(dir, `${where}.offset is ${show(t.offset)}, expected ${offset} (entries follow each other in weights.bin without gaps or overlaps)`);
    const bytes = sizeOf(t.shape) * 4;
    if (t.length !== bytes) throw corrupt(dir, `${where}.length is ${show(t.length)}, expected ${bytes} (4 bytes for each value of shape [${t.shape}])`);
    offset += bytes;
  });
  if (offset !== m.weightsBytes) throw corrupt(dir, `the tensor index covers ${offset} bytes of weights.bin, which has ${m.weightsBytes}`);
}

/** The snapshot index: steps in [0, step] in order, entries back to back covering snapshots.bin exactly. */
function validateSnapshots(m: Manifest, dir: string): void {
  if (!Array.isArray(m.snapshots)) throw corrupt(dir, `snapshots is ${show(m.snapshots)}, expected the snapshot index (an array)`);
  let offset = 0;
  let lastStep = 0;
  m.snapshots.forEach((s: unknown, i) => {
    const where = `snapshots[${i}]`;
    checkFields(dir, where, s, SNAPSHOT_KEYS);
    checkInt(dir, `${where}.step`, s.step, lastStep, m.step, ' (snapshots in step order, none after the last step)');
    lastStep = s.step;
    if (!isShape(s.shape) || s.shape.length !== 4) throw corrupt(dir, `${where}.shape is ${show(s.shape)}, expected [n, height, width, channels]`);
    if (s.offset !== offset) throw corrupt(dir, `${where}.offset is ${show(s.offset)}, expected ${offset} (entries follow each other in snapshots.bin without gaps or overlaps)`);
    const bytes = sizeOf(s.shape);
    if (s.length !== bytes) throw corrupt(dir, `${where}.length is ${show(s.length)}, expected ${bytes} (one byte for each value of shape [${s.shape}])`);
    offset += bytes;
  });
  if (offset !== m.snapshotsBytes) throw corrupt(dir, `the snapshot index covers ${offset} bytes of snapshots.bin, which has ${m.snapshotsBytes}`);
}

interface Loaded { dir: string; manifest: Manifest; weights: Buffer; snapshots: Buffer }

async function readData(dir: string, name: string, bytes: number, sum: string): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await fs.readFile(path.join(dir, name));
  } catch (e) {
    throw corrupt(dir, `${name} is ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : `unreadable (${(e as Error).message})`}`);
  }
  if (data.length !== bytes) throw corrupt(dir, `${name} has ${data.length} bytes, expected ${bytes} (truncated or overwritten)`);
  if (sha256(data) !== sum) throw corrupt(dir, `${name} does not match its SHA-256 in manifest.json`);
  return data;
}

async function readCheckpoint(location: string): Promise<Loaded> {
  if (typeof location !== 'string' || location === '') throw invalidParameterError('dir', 'a checkpoint directory path', location);
  const dir = await locate(location);
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new GankitError(`No checkpoint at ${dir}: ${code === 'ENOENT' ? 'manifest.json is missing' : (e as Error).message}`);
  }
  const manifest = parseManifest(text, dir);
  const weights = await readData(dir, 'weights.bin', manifest.weightsBytes, manifest.weightsSha256);
  const snapshots = await readData(dir, 'snapshots.bin', manifest.snapshotsBytes, manifest.snapshotsSha256);
  validateHistory(manifest, dir);
  validateTensors(manifest, dir);
  validateSnapshots(manifest, dir);
  return { dir, manifest, weights, snapshots };
}

/** The checkpoint's config, which must be complete and exactly as createGan resolves it (no field left to a default). */
function configOf(l: Loaded): GanConfig {
  let config: GanConfig;
  try {
    config = resolveConfig(l.manifest.config);
  } catch (e) {
    throw corrupt(l.dir, `its config is invalid: ${(e as Error).message}`);
  }
  const stored = l.manifest.config as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(config)) {
    if (!Object.hasOwn(stored, k)) throw corrupt(l.dir, `config.${k} is missing`);
    if (stored[k] !== v) throw corrupt(l.dir, `config.${k} is ${show(stored[k])}, which resolves to ${show(v)}`);
  }
  return config;
}

/** A trainer for `gan` with the checkpoint's options, which must be complete and valid; the caller disposes it. */
function trainerFor(l: Loaded, gan: Gan, run: Pick<TrainerOptions, 'mode' | 'threads'> = {}): GanTrainer {
  const stored = l.manifest.trainer as unknown;
  if (!isPlainObject(stored)) throw corrupt(l.dir, `trainer is ${show(stored)}, expected the trainer options`);
  for (const k of ['mode', 'threads']) if (Object.hasOwn(stored, k)) throw corrupt(l.dir, `trainer.${k} is stored, but mode and threads belong to the machine, not the checkpoint`);
  // The mode and threads are the caller's: their errors (e.g. a model that cannot compile) are theirs, not the checkpoint's.
  chooseMode(requestedMode(run.mode), gan);
  resolveThreads(run.threads);
  let trainer: GanTrainer;
  try {
    trainer = new GanTrainer(gan, { ...(stored as TrainerOptions), ...(run.mode !== undefined ? { mode: run.mode } : {}), ...(run.threads !== undefined ? { threads: run.threads } : {}) });
  } catch (e) {
    throw corrupt(l.dir, `its trainer options are invalid: ${(e as Error).message}`);
  }
  for (const [k, v] of Object.entries(trainer.options)) {
    if (!Object.hasOwn(stored, k) || stored[k] !== v) {
      trainer.dispose();
      throw corrupt(l.dir, `trainer.${k} is ${Object.hasOwn(stored, k) ? show(stored[k]) : 'missing'}${Object.hasOwn(stored, k) ? `, which resolves to ${show(v)}` : ''}`);
    }
  }
  return trainer;
}

/** Snapshots must be the fixed-noise samples of this config and these options. */
function checkSnapshots(l: Loaded, config: GanConfig, options: TrainerSettings): void {
  const expected = [options.fixedSamples, config.imageSize, config.imageSize, config.channels];
  if (l.manifest.snapshots.length > options.maxSnapshots) throw corrupt(l.dir, `it has ${l.manifest.snapshots.length} snapshots, more than trainer.maxSnapshots ${options.maxSnapshots}`);
  l.manifest.snapshots.forEach((s, i) => {
    if (!tf.util.arraysEqual(s.shape, expected)) throw corrupt(l.dir, `snapshots[${i}].shape is [${s.shape}], expected [${expected}] (fixedSamples, imageSize, imageSize, channels)`);
  });
}

/** Tensors of one group, in order (the caller disposes them). */
function tensorsOf(l: Loaded, group: Group): NamedTensor[] {
  return l.manifest.tensors.filter((t) => t.group === group).map((t) => {
    const copy = new Uint8Array(l.weights.subarray(t.offset, t.offset + t.length)).buffer;
    const values = t.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    return { name: t.name, tensor: tf.tensor(values, t.shape, t.dtype) };
  });
}

/** Throw unless the tensors have exactly the model's weight count, names, dtypes and shapes, in its order. */
function checkModel(model: tf.LayersModel, list: NamedTensor[], dir: string, label: string): void {
  const expected = model.weights;
  if (list.length !== expected.length) throw mismatch(dir, `the ${label}: it has ${list.length} weight tensors, the model has ${expected.length}`);
  list.forEach(({ name, tensor }, i) => {
    const w = expected[i]!;
    if (name !== w.originalName) throw mismatch(dir, `the ${label}: weight ${i} is "${name}" in the checkpoint, "${w.originalName}" in the model`);
    if (tensor.dtype !== w.dtype) throw mismatch(dir, `the ${label}: weight ${i} (${w.originalName}) has dtype ${tensor.dtype} in the checkpoint, ${w.dtype} in the model`);
    if (!tf.util.arraysEqual(tensor.shape, w.shape as number[])) {
      throw mismatch(dir, `the ${label}: weight ${i} (${w.originalName}) has shape [${tensor.shape}] in the checkpoint, [${w.shape}] in the model`);
    }
  });
}

/** True when `variable` names the model weight `originalName` (tfjs adds _1, _2... to names already in use). */
const namesWeight = (variable: string, originalName: string) =>
  variable.startsWith(originalName) && /^(_\d+)?$/.test(variable.slice(originalName.length));

/**
 * Throw unless an Adam state fits the model's trainable weights, in order: the int32 scalar iter, the
 * first moments (<weight>/m), the second moments (<weight>/v), then the float32 scalars accBeta1, accBeta2.
 */
function checkOptimizer(model: tf.LayersModel, list: NamedTensor[], dir: string, label: string): void {
  const weights = model.trainableWeights;
  const where = `the ${label}'s Adam state`;
  const scalar = (t: NamedTensor | undefined, name: string, dtype: string, i: number) => {
    if (t?.name !== name || t.tensor.dtype !== dtype || t.tensor.rank !== 0) {
      throw mismatch(dir, `${where}: entry ${i} is ${t ? `"${t.name}" ${t.tensor.dtype} [${t.tensor.shape}]` : 'missing'}, expected the ${dtype} scalar "${name}"`);
    }
  };
  if (list.length < 3) throw mismatch(dir, `${where}: it has ${list.length} tensors, expected at least iter, accBeta1 and accBeta2`);
  scalar(list[0], 'iter', 'int32', 0);
  scalar(list.at(-2), 'accBeta1', 'float32', list.length - 2);
  scalar(list.at(-1), 'accBeta2', 'float32', list.length - 1);
  const moments = list.slice(1, -2);
  const n = weights.length;
  if (moments.length !== 0 && moments.length !== 2 * n) throw mismatch(dir, `${where}: ${moments.length} moment tensors for ${n} trainable weights (expected 0 or ${2 * n})`);
  moments.forEach(({ name, tensor }, i) => {
    const w = weights[i % n]!;
    const suffix = i < n ? '/m' : '/v';
    if (!name.endsWith(suffix) || !namesWeight(name.slice(0, -2), w.originalName) || (i >= n && name.slice(0, -2) !== moments[i - n]!.name.slice(0, -2))) {
      throw mismatch(dir, `${where}: entry ${i + 1} is "${name}", expected the ${i < n ? 'first' : 'second'} moment of ${w.originalName} ("${w.originalName}${suffix}")`);
    }
    if (tensor.dtype !== 'float32' || !tf.util.arraysEqual(tensor.shape, w.shape as number[])) {
      throw mismatch(dir, `${where}: ${name} is ${tensor.dtype} [${tensor.shape}], expected float32 [${w.shape}] like ${w.originalName}`);
    }
  });
}

async function setOptimizer(opt: tf.AdamOptimizer, list: NamedTensor[]): Promise<void> {
  const [accBeta1, accBeta2] = list.slice(-2).map((t) => t.tensor);
  await opt.setWeights(list.slice(0, -2));
  const acc = opt as unknown as { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
  acc.accBeta1?.assign(accBeta1 as tf.Scalar);
  acc.accBeta2?.assign(accBeta2 as tf.Scalar);
}

/** Put a loaded checkpoint into a trainer whose config matches; checks everything before changing anything. */
async function restoreInto(trainer: GanTrainer, l: Loaded): Promise<void> {
  const parts = Object.fromEntries(GROUPS.map((g) => [g, tensorsOf(l, g)])) as Record<Group, NamedTensor[]>;
  const all = Object.values(parts).flat().map((t) => t.tensor);
  try {
    checkModel(trainer.gan.generator, parts.generator, l.dir, 'generator');
    checkModel(trainer.gan.discriminator, parts.discriminator, l.dir, 'discriminator');
    checkOptimizer(trainer.gan.generator, parts.optimizerG, l.dir, 'generator');
    checkOptimizer(trainer.gan.discriminator, parts.optimizerD, l.dir, 'discriminator');
    const snapshots: Snapshot[] = l.manifest.snapshots.map((s) => ({
      step: s.step, shape: s.shape, pixels: new Uint8Array(l.snapshots.subarray(s.offset, s.offset + s.length)),
    }));
    trainer.gan.generator.setWeights(parts.generator.map((t) => t.tensor));
    trainer.gan.discriminator.setWeights(parts.discriminator.map((t) => t.tensor));
    await trainer.restoreState({
      optimizers: async (g, d) => { await setOptimizer(g, parts.optimizerG); await setOptimizer(d, parts.optimizerD); },
      step: l.manifest.step, epoch: l.manifest.epoch, history: l.manifest.history, snapshots,
    });
  } finally {
    tf.dispose(all); // setWeights and setOptimizer copy or share the data with their variables
  }
}

export interface LoadCheckpointOptions {
  /** Fields the checkpoint's config must have (e.g. { architecture: 'dcgan', imageSize: 28 }); a difference is an error. */
  expect?: GanConfigInput;
  /** How the loaded trainer runs its steps and its thread pools (as GanTrainer's options; not stored in checkpoints). */
  mode?: TrainerOptions['mode'];
  threads?: TrainerOptions['threads'];
}

/** Load a checkpoint into new models and a new trainer that continues exactly where it stopped. */
export async function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): Promise<GanTrainer> {
  v.options('loadCheckpoint options', options, ['expect', 'mode', 'threads']);
  const expect = v.options('expect', options.expect, Object.keys(DEFAULT_CONFIG));
  const l = await readCheckpoint(dir);
  const config = configOf(l);
  for (const [key, value] of Object.entries(expect)) {
    if ((config as unknown as Record<string, unknown>)[key] !== value) {
      throw mismatch(l.dir, `the expected architecture: ${key} is ${JSON.stringify((config as unknown as Record<string, unknown>)[key])} in the checkpoint, expected ${JSON.stringify(value)}`);
    }
  }
  const gan = createGan(config);
  let trainer: GanTrainer;
  try {
    trainer = trainerFor(l, gan, { mode: options.mode, threads: options.threads });
  } catch (e) {
    disposeGan(gan);
    throw e;
  }
  try {
    checkSnapshots(l, config, trainer.options);
    await restoreInto(trainer, l);
  } catch (e) {
    trainer.dispose({ gan: true });
    throw e;
  }
  return trainer;
}

/**
 * Load a checkpoint's weights, optimizer state, step, history and snapshots into an existing trainer
 * with the same architecture config (its own loss, lr and seed are kept). A mismatch changes nothing.
 */
export async function restoreCheckpoint(trainer: GanTrainer, dir: string): Promise<void> {
  if (!(trainer instanceof GanTrainer)) throw invalidParameterError('trainer', 'a GanTrainer', trainer);
  if (trainer.isRunning) throw new GankitError('Cannot restore into a trainer while it trains; stop() it first');
  const l = await readCheckpoint(dir);
  const saved = JSON.stringify(configOf(l));
  const mine = JSON.stringify(trainer.gan.config);
  if (saved !== mine) throw mismatch(l.dir, `this GAN: checkpoint config ${saved}, model config ${mine}`);
  const probe = trainerFor(l, trainer.gan); // validates the stored options; this trainer keeps its own
  const options = probe.options;
  probe.dispose();
  checkSnapshots(l, trainer.gan.config, options);
  await restoreInto(trainer, l);
}

// ---------------------------------------------------------------- generator export

/**
 * Export a generator in TensorFlow.js Layers format (model.json + weights.bin, atomically) that
 * `tf.loadLayersModel('<url>/model.json')` reads in a browser or in Node; `meta` goes into
 * userDefinedMetadata. Only built-in tfjs layers are used, so no custom layer needs registering.
 */
export async function exportGenerator(generator: tf.LayersModel, dir: string, meta: Record<string, unknown> = {}): Promise<void> {
  if (typeof dir !== 'string' || dir === '') throw invalidParameterError('dir', 'a directory path', dir);
  let files: Record<string, Uint8Array | string> | undefined;
  await generator.save(tf.io.withSaveHandler(async (artifacts) => {
    const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
    const modelJson = {
      format: 'layers-model', generatedBy: `gankit (TensorFlow.js ${tf.version_core})`, convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      userDefinedMetadata: { gankit: { latentDim: latentDimOf(generator), ...meta } },
    };
    files = { 'weights.bin': new Uint8Array(data), 'model.json': JSON.stringify(modelJson) };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
  }));
  await writeDirAtomic(path.resolve(dir), files!, 'a generator');
}

/** Load an exported generator (a directory or its model.json) in Node, checking the weights' size first. */
export async function loadGenerator(location: string): Promise<tf.LayersModel> {
  if (typeof location !== 'string' || location === '') throw invalidParameterError('location', 'a directory or model.json path', location);
  const file = location.endsWith('.json') ? location : path.join(location, 'model.json');
  let json: { modelTopology?: object; weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: Record<string, unknown> };
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new GankitError(`Cannot read generator ${file}: ${(e as Error).message}`);
  }
  if (!isPlainObject(json) || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new GankitError(`Cannot read generator ${file}: not a TF.js Layers model.json (modelTopology or weightsManifest missing)`);
  }
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  let data: Buffer;
  try {
    data = Buffer.concat(await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => fs.readFile(path.join(path.dirname(file), p)))));
  } catch (e) {
    throw new GankitError(`Cannot read generator weights next to ${file}: ${(e as Error).message}`);
  }
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (data.length !== expected) throw new GankitError(`Generator weights in ${path.dirname(file)} have ${data.length} bytes, expected ${expected} (truncated or mismatched)`);
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: specs, weightData: new Uint8Array(data).buffer,
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
  }));
  return trackModel(model, `generator loaded from ${location}`);
}
