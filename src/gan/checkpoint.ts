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
 * Loading checks sizes, SHA-256 sums, every field and every shape before touching any model: a
 * truncated, altered or mismatched checkpoint is a GankitError, never a silently wrong model.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { isInteger, isPlainObject } from '../util/is.js';
import { resolveConfig, type GanConfig, type GanConfigInput } from './config.js';
import { createGan, disposeGan } from './models/index.js';
import { trackModel } from './lifetime.js';
import { GanTrainer, type Snapshot, type StepRecord, type TrainerOptions } from './trainer.js';

const FORMAT = 'gankit-checkpoint';
const VERSION = 2;
const GROUPS = ['generator', 'discriminator', 'optimizerG', 'optimizerD'] as const;
type Group = (typeof GROUPS)[number];

interface TensorEntry { group: Group; index: number; name: string; shape: number[]; dtype: 'float32' | 'int32'; offset: number; length: number }
interface SnapshotEntry { step: number; shape: [number, number, number, number]; offset: number; length: number }

interface Manifest {
  format: typeof FORMAT;
  version: number;
  config: GanConfig;
  trainer: Required<TrainerOptions>;
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
}

interface NamedTensor { name: string; tensor: tf.Tensor }

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

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
  const manifest: Manifest = {
    format: FORMAT, version: VERSION, config: trainer.gan.config, trainer: trainer.options,
    step: trainer.step, epoch: trainer.epoch, history: trainer.history.map((r) => ({ ...r })),
    tensors, weightsBytes: weights.length, weightsSha256: sha256(weights),
    snapshots: snapEntries, snapshotsBytes: snapshots.length, snapshotsSha256: sha256(snapshots),
    savedAt: new Date().toISOString(), tfjs: tf.version_core,
  };
  return { manifest, weights, snapshots };
}

// ---------------------------------------------------------------- load

function corrupt(dir: string, what: string): GankitError {
  return new GankitError(`Corrupt checkpoint at ${dir}: ${what}`);
}

const isShape = (s: unknown) => Array.isArray(s) && s.every((d) => isInteger(d) && d >= 0);
const RECORD_KEYS = ['step', 'epoch', 'lossD', 'lossG', 'dx', 'dgz1', 'dgz2'] as const;

/** Structural checks of a parsed manifest against its data files' sizes. */
function validateManifest(m: Manifest, dir: string, weightsLength: number, snapshotsLength: number): void {
  if (!isInteger(m.step) || m.step < 0) throw corrupt(dir, `step is ${JSON.stringify(m.step)}, expected an integer >= 0`);
  if (!isInteger(m.epoch) || m.epoch < 0) throw corrupt(dir, `epoch is ${JSON.stringify(m.epoch)}, expected an integer >= 0`);
  if (!Array.isArray(m.history) || m.history.length !== m.step) throw corrupt(dir, `history has ${Array.isArray(m.history) ? m.history.length : 'no'} records for ${m.step} steps`);
  m.history.forEach((r, i) => {
    if (!isPlainObject(r) || RECORD_KEYS.some((k) => typeof r[k] !== 'number')) throw corrupt(dir, `history record ${i} is malformed`);
  });
  if (!isPlainObject(m.trainer)) throw corrupt(dir, 'trainer options are missing');
  if (!Array.isArray(m.tensors)) throw corrupt(dir, 'the tensor index is missing');
  for (const [i, t] of m.tensors.entries()) {
    const ok = isPlainObject(t) && (GROUPS as readonly unknown[]).includes(t.group) && isShape(t.shape) && (t.dtype === 'float32' || t.dtype === 'int32') &&
      isInteger(t.offset) && isInteger(t.length) && t.offset >= 0 && t.offset + t.length <= weightsLength &&
      t.length === (t.shape as number[]).reduce((a, b) => a * b, 1) * 4;
    if (!ok) throw corrupt(dir, `tensor entry ${i} (${JSON.stringify(t).slice(0, 120)}) does not fit weights.bin`);
  }
  if (!Array.isArray(m.snapshots)) throw corrupt(dir, 'the snapshot index is missing');
  for (const [i, s] of m.snapshots.entries()) {
    const ok = isPlainObject(s) && isShape(s.shape) && (s.shape as number[]).length === 4 && isInteger(s.offset) && isInteger(s.length) &&
      s.offset >= 0 && s.offset + s.length <= snapshotsLength && s.length === (s.shape as number[]).reduce((a, b) => a * b, 1);
    if (!ok) throw corrupt(dir, `snapshot entry ${i} does not fit snapshots.bin`);
  }
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
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (e) {
    throw corrupt(dir, `manifest.json is not valid JSON (${(e as Error).message})`);
  }
  if (!isPlainObject(manifest) || manifest.format !== FORMAT) throw corrupt(dir, `manifest.json format is ${JSON.stringify((manifest as { format?: unknown })?.format)}, expected "${FORMAT}"`);
  if (manifest.version !== VERSION) throw new GankitError(`Checkpoint at ${dir} has version ${manifest.version}; this gankit reads version ${VERSION}`);
  const weights = await readData(dir, 'weights.bin', manifest.weightsBytes, manifest.weightsSha256);
  const snapshots = await readData(dir, 'snapshots.bin', manifest.snapshotsBytes, manifest.snapshotsSha256);
  validateManifest(manifest, dir, weights.length, snapshots.length);
  return { dir, manifest, weights, snapshots };
}

/** Tensors of one group, in order (the caller disposes them). */
function tensorsOf(l: Loaded, group: Group): NamedTensor[] {
  return l.manifest.tensors.filter((t) => t.group === group).sort((a, b) => a.index - b.index).map((t) => {
    const copy = new Uint8Array(l.weights.subarray(t.offset, t.offset + t.length)).buffer;
    const values = t.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    return { name: t.name, tensor: tf.tensor(values, t.shape, t.dtype) };
  });
}

function mismatch(dir: string, what: string): GankitError {
  return new GankitError(`Checkpoint at ${dir} does not match ${what}`);
}

/** Throw unless the tensors have exactly the model's weight count and shapes. */
function checkModel(model: tf.LayersModel, list: NamedTensor[], dir: string, label: string): void {
  const expected = model.weights;
  if (list.length !== expected.length) throw mismatch(dir, `the ${label}: it has ${list.length} weight tensors, the model has ${expected.length}`);
  list.forEach(({ tensor }, i) => {
    if (!tf.util.arraysEqual(tensor.shape, expected[i]!.shape as number[])) {
      throw mismatch(dir, `the ${label}: weight ${i} (${expected[i]!.originalName}) has shape [${tensor.shape}] in the checkpoint, [${expected[i]!.shape}] in the model`);
    }
  });
}

/** Throw unless an Adam state fits the model's trainable weights: [iter, m..., v..., accBeta1, accBeta2]. */
function checkOptimizer(model: tf.LayersModel, list: NamedTensor[], dir: string, label: string): void {
  const shapes = model.trainableWeights.map((w) => w.shape as number[]);
  const moments = list.slice(1, -2);
  const ok = list.length >= 3 && list[0]!.tensor.size === 1 && list.at(-2)!.name === 'accBeta1' && list.at(-1)!.name === 'accBeta2' &&
    list.at(-1)!.tensor.size === 1 && list.at(-2)!.tensor.size === 1 &&
    (moments.length === 0 || (moments.length === 2 * shapes.length &&
      moments.every((m, i) => tf.util.arraysEqual(m.tensor.shape, shapes[i % shapes.length]!))));
  if (!ok) throw mismatch(dir, `the ${label}'s Adam state (${moments.length} moment tensors for ${shapes.length} trainable weights)`);
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
}

/** Load a checkpoint into new models and a new trainer that continues exactly where it stopped. */
export async function loadCheckpoint(dir: string, options: LoadCheckpointOptions = {}): Promise<GanTrainer> {
  const l = await readCheckpoint(dir);
  let config: GanConfig;
  try {
    config = resolveConfig(l.manifest.config);
  } catch (e) {
    throw corrupt(l.dir, `its config is invalid: ${(e as Error).message}`);
  }
  for (const [key, value] of Object.entries(options.expect ?? {})) {
    if ((config as unknown as Record<string, unknown>)[key] !== value) {
      throw mismatch(l.dir, `the expected architecture: ${key} is ${JSON.stringify((config as unknown as Record<string, unknown>)[key])} in the checkpoint, expected ${JSON.stringify(value)}`);
    }
  }
  const gan = createGan(config);
  let trainer: GanTrainer;
  try {
    trainer = new GanTrainer(gan, l.manifest.trainer);
  } catch (e) {
    disposeGan(gan);
    throw corrupt(l.dir, `its trainer options are invalid: ${(e as Error).message}`);
  }
  try {
    await restoreInto(trainer, l);
  } catch (e) {
    trainer.dispose();
    disposeGan(gan);
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
  let saved: string;
  try {
    saved = JSON.stringify(resolveConfig(l.manifest.config));
  } catch (e) {
    throw corrupt(l.dir, `its config is invalid: ${(e as Error).message}`);
  }
  const mine = JSON.stringify(trainer.gan.config);
  if (saved !== mine) throw mismatch(l.dir, `this GAN: checkpoint config ${saved}, model config ${mine}`);
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

function latentDimOf(g: tf.LayersModel): number {
  const shape = g.inputs[0]!.shape;
  return shape[shape.length - 1] as number;
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
