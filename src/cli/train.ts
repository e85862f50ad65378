/**
 * `gankit train`: train a GAN on MNIST, Fashion-MNIST or an image folder, with a progress bar,
 * atomic checkpoints, snapshot grids, exact --resume, Ctrl-C handling and generator export.
 *
 *   gankit train --dataset mnist --out runs/mnist --ngf 32 --ndf 32 --epochs 3 --export models/mnist
 *
 * Output directory layout: checkpoint/ (saveCheckpoint), run.json (the run's settings, command
 * lines and wall time, for --resume and export metadata), samples.png (the final fixed-noise grid)
 * and snapshots/step-NNNNNN.png (fixed-noise grids every --snapshot-every steps).
 */
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/select.js';
import { GankitError } from '../util/errors.js';
import { writeFileAtomic } from '../util/files.js';
import {
  ARCHITECTURES, NORMS, LOSSES, GanTrainer, createGan, disposeGan, exportGenerator, loadCheckpoint, saveCheckpoint,
  type Architecture, type GanConfigInput, type LossName, type Norm, type Snapshot, type StepRecord,
  TRAIN_MODES, type TrainMode, type TrainerOptions,
} from '../gan/index.js';
import { loadFashionMnist, loadImageFolder, loadMnist, numBatches, type Dataset } from '../data/index.js';
import { saveImage } from '../image/index.js';
import { parseFlags, choiceFlag, intFlag, numberFlag, stringFlag } from './flags.js';
import { createProgressReporter } from './progress.js';

export const TRAIN_HELP = `Usage: gankit train --dataset mnist|fashion-mnist|<folder> --out DIR [options]

Train a GAN and save checkpoints, snapshot grids and (with --export) the generator.

Data:
  --dataset NAME        mnist, fashion-mnist, or a folder of images (sub-folders = classes)
  --limit N             use only the first N images (integer >= 1)
  --out DIR             output directory: checkpoint/, run.json, samples.png, snapshots/
Model:
  --arch A              dcgan (default), mlp or conditional
  --image-size S        28 (default), 32 or 64 (MNIST and Fashion-MNIST are 28)
  --channels C          1 or 3 (default: 1 for MNIST/Fashion-MNIST, 3 for a folder)
  --latent-dim N        noise length, integer in [1, 1024] (default 100)
  --ngf N / --ndf N     generator / discriminator width, integers in [4, 512] (default 64)
  --disc-norm N         batch, layer or none (default batch; layer for wgan-gp; none for mlp)
Training:
  --loss L              bce (default), lsgan, hinge or wgan-gp
  --lr X                Adam learning rate in (0, 1] (default 0.0002)
  --batch-size N        integer in [1, 4096] (default 64)
  --steps N             train until N steps in total (integer >= 1), or
  --epochs N            train until N epochs in total (integer >= 1; default 1)
  --seed N              seed of the weights, noise and batch order (integer, default 0)
  --checkpoint-every N  save a checkpoint every N steps (integer >= 0, default 500; 0 = only at the end)
  --snapshot-every N    write a fixed-noise grid every N steps (integer >= 0, default 500; 0 = off)
  --resume              continue exactly from the checkpoint in --out
  --export DIR          write the generator (TF.js model.json + weights.bin + meta.json) to DIR
  --backend NAME        tfjs backend: tensorflow-gpu, tensorflow, wasm or cpu
  --mode M              auto (default: the compiled graph step when it can run), graph or eager
  --threads N           TensorFlow intra-op and inter-op threads of the compiled step, integer in
                        [0, 256] (default 0: TensorFlow's choice; env GANKIT_INTRA_OP_THREADS / _INTER_)
  -h, --help            show this help

Ctrl-C stops after the current step, saves the checkpoint and exits with code 130.`;

const OPTIONS = {
  dataset: { type: 'string' }, limit: { type: 'string' }, out: { type: 'string' },
  arch: { type: 'string' }, 'image-size': { type: 'string' }, channels: { type: 'string' },
  'latent-dim': { type: 'string' }, ngf: { type: 'string' }, ndf: { type: 'string' },
  loss: { type: 'string' }, 'disc-norm': { type: 'string' }, lr: { type: 'string' },
  'batch-size': { type: 'string' }, steps: { type: 'string' }, epochs: { type: 'string' },
  seed: { type: 'string' }, 'checkpoint-every': { type: 'string' }, 'snapshot-every': { type: 'string' },
  resume: { type: 'boolean' }, export: { type: 'string' }, backend: { type: 'string' },
  mode: { type: 'string' }, threads: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Settings of a run kept in run.json, so --resume continues with the same data and batches. */
interface RunState {
  dataset: string;
  limit?: number;
  batchSize: number;
  commands: string[];
  wallSeconds: number;
}

/** Parsed and validated flags. */
interface TrainFlags {
  dataset?: string;
  limit?: number;
  out: string;
  config: GanConfigInput;
  loss?: LossName;
  lr?: number;
  batchSize?: number;
  steps?: number;
  epochs?: number;
  seed?: number;
  checkpointEvery: number;
  snapshotEvery: number;
  resume: boolean;
  exportDir?: string;
  backend?: string;
  mode?: TrainMode;
  threads?: number;
}

/** Validate the flags; every error names the flag and its valid range. */
export function parseTrainFlags(argv: string[]): TrainFlags | 'help' {
  const { values: v, positionals } = parseFlags(argv, OPTIONS, 'train');
  if (v.help) return 'help';
  if (positionals.length > 0) throw new GankitError(`Unexpected argument ${JSON.stringify(positionals[0])}; gankit train takes only flags (see --help)`);
  const out = stringFlag('out', v.out, 'an output directory path', true)!;
  const resume = v.resume === true;
  const dataset = stringFlag('dataset', v.dataset, 'mnist, fashion-mnist or an image folder path', !resume);
  if (v.steps !== undefined && v.epochs !== undefined) throw new GankitError('Give either --steps or --epochs, not both');
  const arch = choiceFlag<Architecture>('arch', v.arch, ARCHITECTURES);
  const imageSize = choiceFlag('image-size', v['image-size'], ['28', '32', '64'] as const);
  const channels = choiceFlag('channels', v.channels, ['1', '3'] as const);
  const loss = choiceFlag<LossName>('loss', v.loss, LOSSES);
  let discNorm = choiceFlag<Norm>('disc-norm', v['disc-norm'], NORMS);
  if (loss === 'wgan-gp' && discNorm === 'batch') throw new GankitError('--disc-norm batch does not work with --loss wgan-gp (use layer or none)');
  if (loss === 'wgan-gp' && discNorm === undefined && !resume) discNorm = 'layer';
  const seed = intFlag('seed', v.seed, -2147483648, 2147483647);
  const config: GanConfigInput = {
    architecture: arch, imageSize: imageSize === undefined ? undefined : Number(imageSize) as 28 | 32 | 64,
    channels: channels === undefined ? undefined : Number(channels) as 1 | 3,
    latentDim: intFlag('latent-dim', v['latent-dim'], 1, 1024), ngf: intFlag('ngf', v.ngf, 4, 512), ndf: intFlag('ndf', v.ndf, 4, 512),
    discriminatorNorm: discNorm, seed,
  };
  for (const key of Object.keys(config) as (keyof GanConfigInput)[]) if (config[key] === undefined) delete config[key];
  if (dataset === 'mnist' || dataset === 'fashion-mnist') {
    if (config.imageSize !== undefined && config.imageSize !== 28) throw new GankitError(`Expected 28 for --image-size with --dataset ${dataset} (its images are 28x28) but received ${config.imageSize}`);
    if (config.channels !== undefined && config.channels !== 1) throw new GankitError(`Expected 1 for --channels with --dataset ${dataset} (its images are grey) but received ${config.channels}`);
  }
  return {
    ...(dataset !== undefined ? { dataset } : {}),
    limit: intFlag('limit', v.limit, 1), out, config, loss,
    lr: numberFlag('lr', v.lr, 0, 1, true), batchSize: intFlag('batch-size', v['batch-size'], 1, 4096),
    steps: intFlag('steps', v.steps, 1), epochs: intFlag('epochs', v.epochs, 1), seed,
    checkpointEvery: intFlag('checkpoint-every', v['checkpoint-every'], 0) ?? 500,
    snapshotEvery: intFlag('snapshot-every', v['snapshot-every'], 0) ?? 500,
    resume, exportDir: stringFlag('export', v.export, 'an export directory path'), backend: stringFlag('backend', v.backend, 'a backend name'),
    mode: choiceFlag<TrainMode>('mode', v.mode, TRAIN_MODES), threads: intFlag('threads', v.threads, 0, 256),
  };
}

/** The trainer's mode and thread options from --mode and --threads (both pools get --threads). */
function modeOptions(flags: TrainFlags): Pick<TrainerOptions, 'mode' | 'threads'> {
  return {
    ...(flags.mode ? { mode: flags.mode } : {}),
    ...(flags.threads !== undefined ? { threads: { intraOp: flags.threads, interOp: flags.threads } } : {}),
  };
}

/** Load the dataset named on the command line: mnist, fashion-mnist or an image folder. */
async function loadDataset(name: string, limit: number | undefined, config: GanConfigInput): Promise<Dataset> {
  const lim = limit !== undefined ? { limit } : {};
  if (name === 'mnist' || name === 'fashion-mnist') {
    return name === 'mnist' ? loadMnist(lim) : loadFashionMnist(lim);
  }
  const s = await stat(name).catch(() => undefined);
  if (!s?.isDirectory()) throw new GankitError(`Expected mnist, fashion-mnist or an image folder for --dataset but received ${JSON.stringify(name)} (no such folder)`);
  return loadImageFolder(name, {
    size: config.imageSize ?? 28, channels: config.channels ?? 3,
    classes: config.architecture === 'conditional' ? 'folders' : 'none', recursive: true, ...lim,
  });
}

async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

async function readRunState(out: string): Promise<RunState | undefined> {
  try {
    return JSON.parse(await readFile(join(out, 'run.json'), 'utf8')) as RunState;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GankitError(`Cannot read ${join(out, 'run.json')}: ${(e as Error).message}`);
  }
}

/** Write a snapshot (uint8 NHWC pixels) as a grid PNG. */
async function writeSnapshot(snap: Snapshot, file: string): Promise<void> {
  const images = tf.tidy(() => tf.div(tf.tensor4d(snap.pixels, snap.shape, 'int32'), 255));
  try {
    await saveImage(images, file, { nrow: Math.ceil(Math.sqrt(snap.shape[0])) });
  } finally {
    images.dispose();
  }
}

/** Quote one argument for a shell command line. */
function shellQuote(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

/** Mean of a field over the last `n` records. */
function tailMean(history: readonly StepRecord[], key: 'lossD' | 'lossG', n: number): number {
  const tail = history.slice(-n);
  return tail.reduce((s, r) => s + r[key], 0) / Math.max(tail.length, 1);
}

/** Run `gankit train` with the given arguments; resolves to the exit code (0, or 130 after Ctrl-C). */
export async function runTrainCli(argv: string[]): Promise<number> {
  const flags = parseTrainFlags(argv);
  if (flags === 'help') { process.stdout.write(TRAIN_HELP + '\n'); return 0; }
  const out = resolve(flags.out);
  const ckptDir = join(out, 'checkpoint');
  const command = ['gankit', 'train', ...argv].map(shellQuote).join(' ');
  await initBackend(flags.backend ? { backend: flags.backend } : {});

  let trainer: GanTrainer;
  let state: RunState;
  if (flags.resume) {
    const previous = await readRunState(out);
    if (!previous) throw new GankitError(`Nothing to resume in ${out}: run.json is missing (start without --resume)`);
    for (const [flag, mine, theirs] of [['dataset', flags.dataset, previous.dataset], ['batch-size', flags.batchSize, previous.batchSize], ['limit', flags.limit, previous.limit]] as const) {
      if (mine !== undefined && mine !== theirs) throw new GankitError(`--${flag} ${mine} differs from the run being resumed (${theirs ?? 'unset'}); drop it or start a new --out`);
    }
    trainer = await loadCheckpoint(ckptDir, { expect: flags.config, ...modeOptions(flags) });
    for (const [flag, mine, theirs] of [['loss', flags.loss, trainer.loss], ['lr', flags.lr, trainer.lr], ['seed', flags.seed, trainer.seed]] as const) {
      if (mine !== undefined && mine !== theirs) {
        disposeGan(trainer.gan); trainer.dispose();
        throw new GankitError(`--${flag} ${mine} differs from the checkpoint being resumed (${theirs}); drop it or start a new --out`);
      }
    }
    state = { ...previous, commands: [...previous.commands, command] };
  } else {
    if (await stat(join(ckptDir, 'manifest.json')).catch(() => undefined)) {
      throw new GankitError(`${out} already holds a checkpoint: add --resume to continue it, or choose another --out`);
    }
    state = { dataset: flags.dataset!, ...(flags.limit !== undefined ? { limit: flags.limit } : {}), batchSize: flags.batchSize ?? 64, commands: [command], wallSeconds: 0 };
    trainer = undefined as unknown as GanTrainer;
  }

  let dataset: Dataset;
  try {
    dataset = await loadDataset(state.dataset, state.limit, flags.resume ? trainer.gan.config : flags.config);
  } catch (e) {
    if (flags.resume) { disposeGan(trainer.gan); trainer.dispose(); }
    throw e;
  }
  const [h, w, ch] = dataset.imageShape;
  if (!flags.resume) {
    if (flags.config.architecture === 'conditional' && !dataset.labels) throw new GankitError(`--arch conditional needs labelled data: ${state.dataset} has no labels (use class sub-folders)`);
    const gan = createGan({
      ...flags.config, imageSize: h as 28 | 32 | 64, channels: ch as 1 | 3,
      ...(flags.config.architecture === 'conditional' ? { numClasses: dataset.numClasses ?? 10 } : {}),
    });
    void w;
    try {
      trainer = new GanTrainer(gan, { ...(flags.loss ? { loss: flags.loss } : {}), ...(flags.lr !== undefined ? { lr: flags.lr } : {}), ...modeOptions(flags) });
    } catch (e) {
      disposeGan(gan);
      throw e;
    }
  }
  const perEpoch = numBatches(dataset, { batchSize: state.batchSize, dropLast: true, epochs: 1 });
  if (perEpoch < 1) throw new GankitError(`Expected --batch-size at most the dataset size (${dataset.size}) but received ${state.batchSize}`);
  const target = flags.steps ?? perEpoch * (flags.epochs ?? 1);

  await mkdir(out, { recursive: true });
  if (flags.snapshotEvery > 0) await mkdir(join(out, 'snapshots'), { recursive: true });
  await writeJsonAtomic(join(out, 'run.json'), state);

  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: stop at once
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const reporter = createProgressReporter(trainer.step, target);
  const start = performance.now();
  let result;
  try {
    reporter.log(`gankit train: ${dataset.name} (${dataset.size} images ${h}x${w}x${ch}), ${trainer.gan.config.architecture}, ` +
      `step ${trainer.step} -> ${target}, batch ${state.batchSize}, ${perEpoch} steps per epoch\n` +
      `gankit train: mode ${trainer.mode}: ${trainer.modeReason}`);
    result = await trainer.train(dataset, {
      steps: Math.max(0, target - trainer.step), batchSize: state.batchSize, snapshotEvery: flags.snapshotEvery, signal: controller.signal,
      onStep: async (record, progress) => {
        reporter.step(record, progress);
        if (flags.checkpointEvery > 0 && record.step % flags.checkpointEvery === 0 && record.step < target) await saveCheckpoint(trainer, ckptDir);
      },
      onSnapshot: (snap) => writeSnapshot(snap, join(out, 'snapshots', `step-${String(snap.step).padStart(6, '0')}.png`)),
    });
  } finally {
    reporter.stop();
    process.off('SIGINT', onSigint);
  }
  try {
    state.wallSeconds += (performance.now() - start) / 1000;
    await saveCheckpoint(trainer, ckptDir);
    await writeJsonAtomic(join(out, 'run.json'), state);
    const fixed = trainer.generateFixed();
    try {
      await saveImage(fixed, join(out, 'samples.png'), { nrow: Math.ceil(Math.sqrt(fixed.shape[0])), normalize: true, valueRange: [-1, 1] });
    } finally {
      fixed.dispose();
    }
    if (result.stopped) {
      process.stderr.write(`gankit train: interrupted after step ${trainer.step}; checkpoint saved in ${ckptDir} (continue with --resume)\n`);
      return 130;
    }
    const last = trainer.history.at(-1);
    process.stderr.write(`gankit train: done, ${trainer.step} steps; Loss_D ${last?.lossD.toFixed(4)} Loss_G ${last?.lossG.toFixed(4)}; checkpoint in ${ckptDir}\n`);
    if (flags.exportDir) {
      const meta = {
        config: trainer.gan.config, trainer: trainer.options, batchSize: state.batchSize,
        dataset: { name: state.dataset, size: dataset.size, imageShape: dataset.imageShape, ...(dataset.classNames ? { classNames: dataset.classNames } : {}) },
        steps: trainer.step, epochs: trainer.step / perEpoch, seed: trainer.seed,
        finalLosses: { lossD: last?.lossD, lossG: last?.lossG, meanLast100: { lossD: tailMean(trainer.history, 'lossD', 100), lossG: tailMean(trainer.history, 'lossG', 100) } },
        wallSeconds: Math.round(state.wallSeconds * 10) / 10, commands: state.commands, backend: tf.getBackend(), tfjs: tf.version_core,
        exportedAt: new Date().toISOString(),
      };
      // meta.json is ours: remove an old one so exportGenerator may replace the directory.
      await rm(join(resolve(flags.exportDir), 'meta.json'), { force: true });
      await exportGenerator(trainer.gan.generator, flags.exportDir, meta);
      await writeJsonAtomic(join(resolve(flags.exportDir), 'meta.json'), meta);
      process.stderr.write(`gankit train: generator exported to ${resolve(flags.exportDir)}\n`);
    }
    return 0;
  } finally {
    trainer.dispose();
    disposeGan(trainer.gan);
  }
}
