/**
 * Adam as the eager trainer runs it (tf.train.adam(lr, beta1, beta2, 1e-8), PyTorch's rule):
 *   m <- beta1 m + (1 - beta1) g          v <- beta2 v + (1 - beta2) g^2
 *   w <- w - lr * (m / (1 - beta1^t)) / (sqrt(v / (1 - beta2^t)) + eps)
 * with beta^t kept as tfjs keeps it: accBeta starts at beta and is multiplied by beta after each
 * update. The moments and accBeta1/accBeta2 are graph variables; syncAdamToTfjs copies them into a
 * tfjs AdamOptimizer (for checkpoints) and adamStateOf reads one back.
 */
import * as tf from '@tensorflow/tfjs';
import type { GraphBuilder, GraphVariable, Out } from './graph.js';

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
 * The update of `weights` (variables, their values `values` as read for the gradients) by `grads`;
 * returns the assign operations.
 */
export function adamUpdate(g: GraphBuilder, adam: GraphAdam, h: AdamHyper, weights: GraphVariable[], values: Out[], grads: Out[]): string[] {
  const accBeta1 = g.read(adam.accBeta1);
  const accBeta2 = g.read(adam.accBeta2);
  const oneMinusAccBeta1 = g.sub(g.scalar(1), accBeta1);
  const oneMinusAccBeta2 = g.sub(g.scalar(1), accBeta2);
  const ops: string[] = [];
  weights.forEach((w, i) => {
    const grad = grads[i]!;
    const m = g.add(g.mul(g.read(adam.m[i]!), g.scalar(h.beta1)), g.mul(grad, g.scalar(1 - h.beta1)));
    const v = g.add(g.mul(g.read(adam.v[i]!), g.scalar(h.beta2)), g.mul(g.square(grad), g.scalar(1 - h.beta2)));
    const mHat = g.div(m, oneMinusAccBeta1);
    const vHat = g.div(v, oneMinusAccBeta2);
    const step = g.mul(g.div(mHat, g.add(g.sqrt(vHat), g.scalar(h.epsilon))), g.scalar(-h.lr));
    ops.push(g.assign(adam.m[i]!, m), g.assign(adam.v[i]!, v), g.assign(w, g.add(step, values[i]!)));
  });
  ops.push(g.assign(adam.accBeta1, g.mul(accBeta1, g.scalar(h.beta1))), g.assign(adam.accBeta2, g.mul(accBeta2, g.scalar(h.beta2))));
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
