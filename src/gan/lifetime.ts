/**
 * Lifetimes of the GAN objects a notebook keeps in variables (GANs, models, trainers, optimizers): where
 * each was created and who disposed it, so using one after dispose() raises a DisposedError that names it
 * and says which cell to rerun, instead of tfjs's "LayersVariable d_down0/kernel is already disposed".
 */
import type * as tf from '@tensorflow/tfjs';
import { kernelBridge } from '../display/bridge.js';
import { GankitError } from '../util/errors.js';

/** Using an object after it was disposed. */
export class DisposedError extends GankitError {
  override name = 'DisposedError';
}

interface Life {
  /** What it is, for messages: 'GAN', 'model', 'GanTrainer', 'optimizer'. */
  kind: string;
  /** A fallback name when no notebook variable holds it, e.g. "generator 'dcgan_generator'". */
  label: string;
  /** Execution count of the cell that created it (null outside the kernel). */
  createdIn: number | null;
  /** How it was disposed, e.g. "disposeGan()"; undefined while alive. */
  disposedBy?: string;
  disposedIn?: number | null;
}

const lives = new WeakMap<object, Life>();
const cellNow = (): number | null => kernelBridge()?.cell?.() ?? null;

/** Remember where `obj` was created (the running cell), so a later DisposedError can point at it; returns obj. */
export function track<T extends object>(obj: T, kind: string, label: string): T {
  if (!lives.has(obj)) lives.set(obj, { kind, label, createdIn: cellNow() });
  return obj;
}

/** Record that `obj` was disposed by `by` (e.g. "disposeGan()") in the running cell. */
export function markDisposed(obj: object, by: string): void {
  const life = lives.get(obj) ?? { kind: 'object', label: '(untracked)', createdIn: null };
  if (life.disposedBy === undefined) {
    life.disposedBy = by;
    life.disposedIn = cellNow();
  }
  lives.set(obj, life);
}

/** True when `obj` was disposed through gankit (disposeGan, trainer.dispose, model.dispose of a gankit model). */
export function isDisposed(obj: object): boolean {
  return lives.get(obj)?.disposedBy !== undefined;
}

/** The error for using a disposed object: its name (the notebook variable holding it, when the kernel finds one), who disposed it, which cell to rerun. */
export function disposedError(obj: object): DisposedError {
  const life = lives.get(obj) ?? { kind: 'object', label: '(untracked)', createdIn: null, disposedBy: 'dispose()' };
  const variable = kernelBridge()?.nameOf?.(obj) ?? null;
  const name = variable ? `'${variable}'` : life.label;
  const where = life.disposedIn ? ` in cell [${life.disposedIn}]` : '';
  const rerun = life.createdIn ? `rerun the cell that creates it (cell [${life.createdIn}]) and the cells after it` : 'create it again';
  return new DisposedError(`The ${life.kind} ${name} was disposed (by ${life.disposedBy}${where}); ${rerun} to use it again`);
}

/** Throw a DisposedError when `obj` was disposed. */
export function assertAlive(obj: object): void {
  if (isDisposed(obj)) throw disposedError(obj);
}

/** LayersModel methods that read the weights: after dispose they throw the DisposedError. */
const MODEL_METHODS = ['predict', 'predictOnBatch', 'apply', 'call', 'execute', 'fit', 'fitDataset', 'trainOnBatch', 'evaluate', 'getWeights', 'setWeights', 'save'] as const;
/** Optimizer methods that use its state. */
const OPTIMIZER_METHODS = ['minimize', 'applyGradients', 'getWeights', 'setWeights'] as const;

/** Replace `methods` of one instance by throwers of its DisposedError (the prototype stays untouched). */
function trapMethods(obj: object, methods: readonly string[]): void {
  for (const m of methods) {
    if (typeof (obj as Record<string, unknown>)[m] !== 'function') continue;
    Object.defineProperty(obj, m, { configurable: true, writable: true, value: () => { throw disposedError(obj); } });
  }
}

const originalDispose = new WeakMap<object, () => ReturnType<tf.LayersModel["dispose"]>>();

/**
 * Track a model gankit hands out (createGan, loadGenerator, loadPretrained): its own `dispose()` (and
 * disposeGan) marks it, and afterwards its weight-reading methods throw a DisposedError; a second
 * dispose() does nothing (so a notebook's clean-up cell can be rerun). Returns the model.
 */
export function trackModel<M extends tf.LayersModel>(model: M, label: string): M {
  track(model, 'model', label);
  if (!originalDispose.has(model)) {
    originalDispose.set(model, model.dispose.bind(model));
    Object.defineProperty(model, 'dispose', { configurable: true, writable: true, value: () => disposeModel(model, 'its dispose()') });
  }
  return model;
}

/** Dispose a model once, recording `by` (e.g. "disposeGan()"); disposing it again does nothing. */
export function disposeModel(model: tf.LayersModel, by: string): ReturnType<tf.LayersModel["dispose"]> {
  if (isDisposed(model)) return { refCountAfterDispose: 0, numDisposedVariables: 0 };
  const result = (originalDispose.get(model) ?? model.dispose.bind(model))();
  if (result.refCountAfterDispose === 0) disposeTracked(model, by);
  return result;
}

/** Mark a model or optimizer disposed (after its own dispose ran) and trap its methods. */
export function disposeTracked(obj: tf.LayersModel | tf.Optimizer, by: string): void {
  markDisposed(obj, by);
  trapMethods(obj, 'layers' in obj ? MODEL_METHODS : OPTIMIZER_METHODS);
}
