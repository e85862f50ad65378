/**
 * Checkpoints: G, D, both Adam optimizers' state, step, epoch, history, seed and config in one
 * directory (manifest.json + weights.bin). Writes are atomic: the new checkpoint is written and
 * fsync'd in a sibling temp directory, then renamed into place, so a crash never leaves a
 * half-written checkpoint. Loading verifies a SHA-256 of the weights and every shape.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { GankitError } from '../util/errors.js';
import { resolveConfig, type GanConfig } from './config.js';
import { createGan, type Gan } from './models.js';
import { GanTrainer, type StepRecord, type TrainerOptions } from './trainer.js';
import type { LossName } from './losses.js';

const FORMAT = 'gankit-checkpoint';
const VERSION = 1;

interface WeightEntry { group: string; index: number; name: string; shape: number[]; dtype: 'float32' | 'int32'; offset: number; length: number }

interface Manifest {
  format: typeof FORMAT;
  version: number;
  config: GanConfig;
  trainer: { loss: LossName; lr: number; beta1: number; beta2: number; seed: number; gpWeight: number; fixedSamples: number };
  step: number;
  epoch: number;
  history: StepRecord[];
  weights: WeightEntry[];
  weightsBytes: number;
  weightsSha256: string;
  savedAt: string;
}

/** Tensors of each group in a fixed order: G and D weights (incl. BatchNorm statistics), Adam states. */
async function groups(trainer: GanTrainer): Promise<Record<string, { name: string; tensor: tf.Tensor }[]>> {
  // getWeights() returns the live variables (not copies): read them, never dispose them.
  const named = (m: tf.LayersModel) => { const values = m.getWeights(); return m.weights.map((w, i) => ({ name: w.originalName ?? `w${i}`, tensor: values[i]! })); };
  return {
    generator: named(trainer.gan.generator),
    discriminator: named(trainer.gan.discriminator),
    optimizerG: await trainer.optimizerG.getWeights(),
    optimizerD: await trainer.optimizerD.getWeights(),
  };
}

async function fsyncPath(p: string): Promise<void> {
  const fh = await fs.open(p, 'r');
  try { await fh.sync(); } finally { await fh.close(); }
}

/** Save a trainer (models, optimizers, step, history, seed, config) to `dir`, atomically replacing it. */
export async function saveCheckpoint(trainer: GanTrainer, dir: string): Promise<void> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  await fs.mkdir(parent, { recursive: true });
  const all = await groups(trainer);
  const entries: WeightEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const [group, list] of Object.entries(all)) {
    for (const [index, { name, tensor }] of list.entries()) {
      const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
      const data = await tensor.data();
      const buf = Buffer.from(dtype === 'int32' ? Int32Array.from(data).buffer : Float32Array.from(data).buffer);
      entries.push({ group, index, name, shape: tensor.shape, dtype, offset, length: buf.length });
      chunks.push(buf);
      offset += buf.length;
    }
  }
  const weights = Buffer.concat(chunks);
  const manifest: Manifest = {
    format: FORMAT, version: VERSION, config: trainer.gan.config,
    trainer: {
      loss: trainer.loss, lr: trainer.lr, beta1: trainer.beta1, beta2: trainer.beta2, seed: trainer.seed,
      gpWeight: trainer.gpWeight, fixedSamples: trainer.fixedNoise.shape[0],
    },
    step: trainer.step, epoch: trainer.epoch, history: trainer.history, weights: entries,
    weightsBytes: weights.length, weightsSha256: createHash('sha256').update(weights).digest('hex'),
    savedAt: new Date().toISOString(),
  };
  const tmp = await fs.mkdtemp(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    await fs.writeFile(path.join(tmp, 'weights.bin'), weights);
    await fs.writeFile(path.join(tmp, 'manifest.json'), JSON.stringify(manifest));
    await fsyncPath(path.join(tmp, 'weights.bin'));
    await fsyncPath(path.join(tmp, 'manifest.json'));
    const old = `${tmp}.old`;
    const existed = await fs.rename(target, old).then(() => true, (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return false;
      throw e;
    });
    await fs.rename(tmp, target);
    if (existed) await fs.rm(old, { recursive: true, force: true });
    await fsyncPath(parent).catch(() => undefined);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

function corrupt(dir: string, what: string): GankitError {
  return new GankitError(`Corrupt checkpoint at ${dir}: ${what}`);
}

async function readManifest(dir: string): Promise<{ manifest: Manifest; weights: Buffer }> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'manifest.json'), 'utf8');
  } catch (e) {
    throw new GankitError(`No checkpoint at ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'manifest.json is missing' : (e as Error).message}`);
  }
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
  } catch (e) {
    throw corrupt(dir, `manifest.json is not valid JSON (${(e as Error).message})`);
  }
  if (manifest.format !== FORMAT) throw corrupt(dir, `manifest.json format is ${JSON.stringify(manifest.format)}, expected "${FORMAT}"`);
  if (manifest.version !== VERSION) throw new GankitError(`Checkpoint at ${dir} has version ${manifest.version}; this gankit reads version ${VERSION}`);
  let weights: Buffer;
  try {
    weights = await fs.readFile(path.join(dir, 'weights.bin'));
  } catch {
    throw corrupt(dir, 'weights.bin is missing');
  }
  if (weights.length !== manifest.weightsBytes) {
    throw corrupt(dir, `weights.bin has ${weights.length} bytes, expected ${manifest.weightsBytes} (truncated or overwritten)`);
  }
  if (createHash('sha256').update(weights).digest('hex') !== manifest.weightsSha256) {
    throw corrupt(dir, 'weights.bin does not match its SHA-256 in manifest.json');
  }
  return { manifest, weights };
}

function tensorsOf(manifest: Manifest, weights: Buffer, group: string): { name: string; tensor: tf.Tensor }[] {
  return manifest.weights.filter((w) => w.group === group).sort((a, b) => a.index - b.index).map((w) => {
    const bytes = weights.subarray(w.offset, w.offset + w.length);
    const copy = new Uint8Array(bytes).buffer;
    const values = w.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    return { name: w.name, tensor: tf.tensor(values, w.shape, w.dtype) };
  });
}

/** Throw unless the checkpoint's tensors have the model's weight count and shapes. */
function checkShapes(model: tf.LayersModel, list: { name: string; tensor: tf.Tensor }[], dir: string, label: string): void {
  const expected = model.weights;
  if (list.length !== expected.length) {
    throw new GankitError(`Checkpoint at ${dir} does not match the ${label}: it has ${list.length} weight tensors, the model has ${expected.length}`);
  }
  list.forEach(({ tensor }, i) => {
    const shape = expected[i]!.shape;
    if (!tf.util.arraysEqual(tensor.shape, shape as number[])) {
      throw new GankitError(`Checkpoint at ${dir} does not match the ${label}: weight ${i} (${expected[i]!.originalName}) has shape [${tensor.shape}] in the checkpoint but [${shape}] in the model`);
    }
  });
}

/** Load a checkpoint into new models and a new trainer that continues exactly where it stopped. */
export async function loadCheckpoint(dir: string, options: Pick<TrainerOptions, never> = {}): Promise<GanTrainer> {
  void options;
  const { manifest, weights } = await readManifest(dir);
  let config: GanConfig;
  try {
    config = resolveConfig(manifest.config);
  } catch (e) {
    throw corrupt(dir, `its config is invalid: ${(e as Error).message}`);
  }
  const gan = createGan(config);
  const trainer = new GanTrainer(gan, manifest.trainer);
  try {
    await restoreInto(trainer, manifest, weights, dir);
  } catch (e) {
    disposeGan(gan);
    trainer.dispose();
    throw e;
  }
  return trainer;
}

/** Load a checkpoint's weights and state into an existing trainer with the same architecture. */
export async function restoreCheckpoint(trainer: GanTrainer, dir: string): Promise<void> {
  const { manifest, weights } = await readManifest(dir);
  const a = JSON.stringify(resolveConfig(manifest.config));
  const b = JSON.stringify(trainer.gan.config);
  if (a !== b) throw new GankitError(`Checkpoint at ${dir} does not match this GAN: checkpoint config ${a}, model config ${b}`);
  await restoreInto(trainer, manifest, weights, dir);
}

async function restoreInto(trainer: GanTrainer, manifest: Manifest, weights: Buffer, dir: string): Promise<void> {
  const g = tensorsOf(manifest, weights, 'generator');
  const d = tensorsOf(manifest, weights, 'discriminator');
  try {
    // Check both before assigning either, so a mismatch changes nothing.
    checkShapes(trainer.gan.generator, g, dir, 'generator');
    checkShapes(trainer.gan.discriminator, d, dir, 'discriminator');
    trainer.gan.generator.setWeights(g.map((w) => w.tensor));
    trainer.gan.discriminator.setWeights(d.map((w) => w.tensor));
  } finally {
    tf.dispose([...g, ...d].map((w) => w.tensor));
  }
  await trainer.optimizerG.setWeights(tensorsOf(manifest, weights, 'optimizerG'));
  await trainer.optimizerD.setWeights(tensorsOf(manifest, weights, 'optimizerD'));
  trainer.step = manifest.step;
  trainer.epoch = manifest.epoch;
  trainer.history.splice(0, trainer.history.length, ...manifest.history);
}

/** Dispose both models of a GAN. */
export function disposeGan(gan: Gan): void {
  gan.generator.dispose();
  gan.discriminator.dispose();
}

/**
 * Export a generator in TensorFlow.js Layers format (model.json + weights.bin) that
 * `tf.loadLayersModel('.../model.json')` reads in a browser or in Node; atomic like checkpoints.
 */
export async function exportGenerator(generator: tf.LayersModel, dir: string, meta: Record<string, unknown> = {}): Promise<void> {
  const target = path.resolve(dir);
  await fs.mkdir(path.dirname(target), { recursive: true });
  const tmp = await fs.mkdtemp(path.join(path.dirname(target), `.${path.basename(target)}.tmp-`));
  try {
    await generator.save(tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData as ArrayBuffer;
      const modelJson = {
        format: 'layers-model', generatedBy: `gankit (TensorFlow.js ${tf.version_core})`, convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
        userDefinedMetadata: meta,
      };
      await fs.writeFile(path.join(tmp, 'weights.bin'), Buffer.from(data));
      await fs.writeFile(path.join(tmp, 'model.json'), JSON.stringify(modelJson));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    }));
    await fs.rm(target, { recursive: true, force: true });
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Load an exported generator (model.json + weights.bin) from a directory or a model.json path, in Node. */
export async function loadGenerator(location: string): Promise<tf.LayersModel> {
  const file = location.endsWith('.json') ? location : path.join(location, 'model.json');
  let json: { modelTopology: object; weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[]; userDefinedMetadata?: Record<string, unknown> };
  try {
    json = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new GankitError(`Cannot read generator ${file}: ${(e as Error).message}`);
  }
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = await Promise.all(json.weightsManifest.flatMap((g) => g.paths).map((p) => fs.readFile(path.join(path.dirname(file), p))));
  const data = Buffer.concat(buffers);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * 4, 0);
  if (data.length !== expected) throw new GankitError(`Generator weights in ${path.dirname(file)} have ${data.length} bytes, expected ${expected} (truncated or mismatched)`);
  const model = await tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: json.modelTopology, weightSpecs: specs, weightData: new Uint8Array(data).buffer,
    ...(json.userDefinedMetadata ? { userDefinedMetadata: json.userDefinedMetadata } : {}),
  }));
  return model;
}
