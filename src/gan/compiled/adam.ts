/**
 * Adam as the eager trainer runs it (tf.train.adam(lr, beta1, beta2, 1e-8), PyTorch's rule):
 *   m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g^2
 *   w <- w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * with beta^t kept as tfjs keeps it: accBeta starts at beta and is multiplied by beta after each
 * update. The moments and accBeta1/accBeta2 are graph variables; syncAdamToTfjs copies them into a
 * tfjs AdamOptimizer (for checkpoints) and adamStateOf reads one back.
 */
import * as tf from '@tensorflow/tfjs';
import { opOf, type GraphBuilder, type GraphVariable, type Out } from './graph.js';
import { DT } from './native.js';

/** One optimizer's state in the graph: a first and a second moment per weight, and the two accBetas. */
export interface GraphAdam {
  m: GraphVariable[];
  v: GraphVariable[];
  accBeta1: GraphVariable;
  accBeta2: GraphVariable;
}

export interface AdamHyper { lr: number; beta1: number; beta2: number; epsilon: number }

/** Create the state variables of an optimizer for weights of these shapes. */
export function graphAdam(g: GraphBuilder, name: string, shapes: number[][]): GraphAdam {
  return {
    m: shapes.map((s, i) => g.variable(`${name}/m${i}`, s)),
    v: shapes.map((s, i) => g.variable(`${name}/v${i}`, s)),
    accBeta1: g.variable(`${name}/accBeta1`, []),
    accBeta2: g.variable(`${name}/accBeta2`, []),
  };
}

/**
 * The update of `weights` by `grads`, one fused ResourceApplyAdam per weight; returns the operations.
 * TensorFlow's kernel computes w -= lr * sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + epsHat); with
 * epsHat = eps * sqrt(1 - b2^t) fed in, that is exactly w -= lr * mHat / (sqrt(vHat) + eps) above.
 * `after`: operations every update must wait for (all reads of the weights for the gradients).
 */
export function adamUpdate(g: GraphBuilder, adam: GraphAdam, h: AdamHyper, weights: GraphVariable[], grads: Out[], after: string[] = []): string[] {
  const accBeta1 = g.read(adam.accBeta1);
  const accBeta2 = g.read(adam.accBeta2);
  const epsHat = g.mul(g.scalar(h.epsilon), g.sqrt(g.sub(g.scalar(1), accBeta2)));
  const ops = weights.map((w, i) => g.op('ResourceApplyAdam', [
    w.handle, adam.m[i]!.handle, adam.v[i]!.handle, accBeta1, accBeta2, g.scalar(h.lr), g.scalar(h.beta1), g.scalar(h.beta2), epsHat, grads[i]!,
  ], [['T', 'type', DT.float32], ['use_locking', 'bool', false], ['use_nesterov', 'bool', false]], `${opOf(w.handle)}/adam`, after));
  // accBeta advances after every update has read it.
  ops.push(g.assign(adam.accBeta1, g.mul(accBeta1, g.scalar(h.beta1)), ops), g.assign(adam.accBeta2, g.mul(accBeta2, g.scalar(h.beta2)), ops));
  return ops;
}

/** The tfjs AdamOptimizer internals gankit reads and writes (tfjs-core 4.x). */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  iterations_: number;
}

/** An optimizer's state as plain arrays: moments per weight (zeros where tfjs has none yet), accBetas, iterations. */
export interface AdamState { m: Float32Array[]; v: Float32Array[]; accBeta1: number; accBeta2: number; iterations: number }

/** Read a tfjs AdamOptimizer's state for weights of these sizes. */
export function adamStateOf(opt: tf.AdamOptimizer, sizes: number[]): AdamState {
  const o = opt as unknown as AdamInternals;
  const fresh = o.accumulatedFirstMoment.length !== sizes.length;
  const read = (list: AdamInternals['accumulatedFirstMoment']) =>
    sizes.map((s, i) => (fresh ? new Float32Array(s) : (list[i]!.variable.dataSync() as Float32Array).slice()));
  return {
    m: read(o.accumulatedFirstMoment), v: read(o.accumulatedSecondMoment),
    accBeta1: o.accBeta1.dataSync()[0]!, accBeta2: o.accBeta2.dataSync()[0]!, iterations: opt.iterations,
  };
}

/** Write a state into a tfjs AdamOptimizer for the weights named `names` (the tf.Variable names), as if tfjs had run those steps. */
export function writeAdamState(opt: tf.AdamOptimizer, names: string[], shapes: number[][], s: AdamState): void {
  const o = opt as unknown as AdamInternals;
  const fill = (list: AdamInternals['accumulatedFirstMoment'], values: Float32Array[], suffix: string) => {
    if (list.length !== names.length) {
      for (const e of list) e?.variable.dispose();
      list.splice(0, list.length, ...names.map((name, i) => ({
        originalName: `${name}/${suffix}`, variable: tf.tidy(() => tf.zeros(shapes[i]!).variable(false)),
      })));
    }
    tf.tidy(() => list.forEach((e, i) => e.variable.assign(tf.tensor(values[i]!, shapes[i]!))));
  };
  fill(o.accumulatedFirstMoment, s.m, 'm');
  fill(o.accumulatedSecondMoment, s.v, 'v');
  tf.tidy(() => {
    o.accBeta1.assign(tf.scalar(s.accBeta1));
    o.accBeta2.assign(tf.scalar(s.accBeta2));
  });
  o.iterations_ = s.iterations;
}
