/**
 * How a GanTrainer runs its steps: 'graph' (the whole step compiled into one TensorFlow graph, see
 * step.ts) or 'eager' (tfjs ops one by one). 'auto' picks 'graph' when everything lowers, up front,
 * and says why not otherwise; GANKIT_TRAIN_MODE overrides the option. Thread pools of the compiled
 * step come from the `threads` option or GANKIT_INTRA_OP_THREADS / GANKIT_INTER_OP_THREADS.
 */
import os from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../../util/errors.js';
import * as v from '../../util/validate.js';
import type { Gan } from '../models/index.js';
import { whyNotLowerable } from './layers.js';
import { tfgraphAddon, tfgraphStatus } from './native.js';
import type { ThreadSettings } from './step.js';

export const TRAIN_MODES = ['auto', 'graph', 'eager'] as const;
export type TrainMode = (typeof TRAIN_MODES)[number];

/** Environment variable overriding the `mode` option: auto, graph or eager. */
export const TRAIN_MODE_ENV = 'GANKIT_TRAIN_MODE';
/** Environment variables for TensorFlow's intra-op / inter-op thread pools (integers, 0: TensorFlow's default). */
export const THREAD_ENV = { intraOp: 'GANKIT_INTRA_OP_THREADS', interOp: 'GANKIT_INTER_OP_THREADS' } as const;
const MAX_THREADS = 256;
/** TensorFlow's own variables: it sizes its per-process pools from them when it starts. */
const TF_THREAD_ENV = { intraOp: 'TF_NUM_INTRAOP_THREADS', interOp: 'TF_NUM_INTEROP_THREADS' } as const;

// TensorFlow makes its intra-op pool once per process, when its first device starts (tfjs-node's
// eager context), and sessions share it. So GANKIT_*_THREADS are handed to TensorFlow's own variables
// as gankit loads, before initBackend() starts tfjs-node (TF_NUM_* set by the user win).
for (const key of ['intraOp', 'interOp'] as const) {
  const v = process.env[THREAD_ENV[key]];
  if (v !== undefined && /^\d+$/.test(v.trim()) && Number(v) > 0 && process.env[TF_THREAD_ENV[key]] === undefined) process.env[TF_THREAD_ENV[key]] = v.trim();
}

/** Threads of TensorFlow's per-process intra-op pool: TF_NUM_INTRAOP_THREADS, else one per schedulable core. */
export function processIntraOpThreads(): number {
  const v = Number(process.env[TF_THREAD_ENV.intraOp]);
  return Number.isInteger(v) && v > 0 ? v : os.availableParallelism();
}

/** Thread pool sizes of the compiled step: integers in [0, 256], 0 = TensorFlow's default (one per core). */
export interface ThreadOptions { intraOp?: number; interOp?: number }

/** The mode a trainer runs in and why. */
export interface ModeChoice { mode: 'graph' | 'eager'; reason: string }

/** The requested mode: GANKIT_TRAIN_MODE when set, else the option (default 'auto'); bad values throw naming the source. */
export function requestedMode(option: unknown): TrainMode {
  const env = process.env[TRAIN_MODE_ENV];
  if (env !== undefined && env !== '') {
    return v.oneOf(TRAIN_MODE_ENV, env, TRAIN_MODES);
  }
  return option === undefined ? 'auto' : v.oneOf('mode', option, TRAIN_MODES);
}

/** Thread settings from the option, each missing one from its environment variable, else 0. */
export function resolveThreads(option: unknown): ThreadSettings {
  const o = v.options('threads', option, ['intraOp', 'interOp']);
  const pick = (key: keyof typeof THREAD_ENV): number => {
    if (o[key] !== undefined) return v.intIn(`threads.${key}`, o[key], 0, MAX_THREADS);
    const env = process.env[THREAD_ENV[key]];
    if (env === undefined || env === '') return 0;
    const n = Number(env);
    if (!/^\d+$/.test(env.trim()) || n > MAX_THREADS) throw invalidParameterError(THREAD_ENV[key], `integer in [0, ${MAX_THREADS}] (0: TensorFlow's default)`, env);
    return n;
  };
  const threads = { intraOp: pick('intraOp'), interOp: pick('interOp') };
  const pool = processIntraOpThreads();
  if (threads.intraOp > 0 && threads.intraOp !== pool) {
    throw new GankitError(
      `threads.intraOp ${threads.intraOp} cannot take effect: TensorFlow makes its intra-op pool once per process and this one has ${pool} ` +
      `threads; start the process with ${THREAD_ENV.intraOp}=${threads.intraOp} (or ${TF_THREAD_ENV.intraOp}) instead`,
    );
  }
  return threads;
}

/** Why this GAN's step cannot be compiled here (the first thing that stops it), or undefined. */
export function whyNotCompiled(gan: Gan): string | undefined {
  if (tf.getBackend() !== 'tensorflow') return `the tfjs backend is '${tf.getBackend()}' (compiled steps run on tfjs-node's TensorFlow library)`;
  if (!tfgraphAddon()) return tfgraphStatus();
  return whyNotLowerable(gan.generator) ?? whyNotLowerable(gan.discriminator);
}

/** Choose the mode up front: 'graph' when compiled steps can run (or a GankitError when 'graph' was asked and cannot), else 'eager'. */
export function chooseMode(requested: TrainMode, gan: Gan): ModeChoice {
  if (requested === 'eager') return { mode: 'eager', reason: process.env[TRAIN_MODE_ENV] ? `${TRAIN_MODE_ENV}=eager` : "mode 'eager' was asked for" };
  const why = whyNotCompiled(gan);
  if (why === undefined) return { mode: 'graph', reason: `the whole step runs as one TensorFlow graph (${tfgraphStatus().split(' ').slice(-2).join(' ').replace(/[()]/g, '')})` };
  if (requested === 'graph') throw new GankitError(`Cannot train in mode 'graph': ${why}`);
  return { mode: 'eager', reason: why };
}
