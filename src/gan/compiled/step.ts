/**
 * One whole GAN training step as one TensorFlow graph, run with one TF_SessionRun:
 *
 *   fake = G(z)                                    G forward once (its BatchNorm statistics move once)
 *   (1) Update D: lossD on D(x) and D(fake), its gradients, Adam on D's weights
 *   (2) Update G: lossG on D(fake) through the *updated* D (read after D's assigns), Adam on G's weights
 *
 * exactly the eager trainer's step (../trainer.ts), with its noise, penalty mixing and real batch fed
 * from JavaScript. The weights, BatchNorm running statistics and both optimizers' moments live in
 * graph variables while training; `upload()` copies them in from the tfjs models and optimizers,
 * `downloadWeights()` / `downloadOptimizers()` copy them back. Built for one batch size.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError } from '../../util/errors.js';
import type { LossName } from '../losses.js';
import type { Gan } from '../models/index.js';
import { DT, type SessionHandle, type TfGraphAddon } from './native.js';
import { GraphBuilder, opOf, type GraphVariable, type Out } from './graph.js';
import { lowerModel, type LowerContext, type MovingUpdate } from './layers.js';
import { discriminatorLossGraph, generatorLossGraph, gradientPenaltyGraph, meanScoreGraph } from './losses.js';
import { adamStateOf, adamUpdate, graphAdam, writeAdamState, type AdamHyper, type GraphAdam } from './adam.js';

export interface StepSettings extends AdamHyper { loss: LossName; gpWeight: number }

/** TensorFlow's thread pools for the session: 0 = TensorFlow's default. */
export interface ThreadSettings { intraOp: number; interOp: number }

/** The feeds of one step. */
export interface StepInputs { real: Float32Array; z: Float32Array; labels?: Int32Array; eps?: Float32Array }

export class CompiledStep {
  private readonly g: GraphBuilder;
  private readonly session: SessionHandle;
  private readonly vars = new Map<tf.LayerVariable, GraphVariable>();
  private readonly adamG: GraphAdam;
  private readonly adamD: GraphAdam;
  private readonly feeds: { real: Out; z: Out; labels?: Out; eps?: Out };
  private readonly record: Out;
  private readonly target: string;
  /** Optimizer iterations (tfjs counts them; the graph does not need them). */
  private iterations = { g: 0, d: 0 };
  private disposed = false;

  /** Build the graph and its session; throws a GankitError when TensorFlow cannot build it (e.g. a missing gradient). */
  constructor(private readonly addon: TfGraphAddon, private readonly gan: Gan, readonly batchSize: number, s: StepSettings, threads: ThreadSettings) {
    const g = new GraphBuilder(addon);
    this.g = g;
    try {
      const { generator: G, discriminator: D, config: c } = gan;
      const n = batchSize;
      for (const lv of [...G.weights, ...D.weights]) this.vars.set(lv, g.variable(lv.name, lv.shape as number[]));
      this.feeds = {
        real: g.placeholder('real', [n, c.imageSize, c.imageSize, c.channels]),
        z: g.placeholder('z', [n, c.latentDim]),
        ...(c.architecture === 'conditional' ? { labels: g.placeholder('labels', [n, 1], 'int32') } : {}),
        ...(s.loss === 'wgan-gp' ? { eps: g.placeholder('eps', [n, 1, 1, 1]) } : {}),
      };
      const withLabel = (x: Out) => (this.feeds.labels ? [x, this.feeds.labels] : [x]);
      const moving: MovingUpdate[] = [];
      // The weights' values in one phase of the step: one read per weight, after `after`;
      // reads() names the read operations (the in-place Adam updates run after them).
      const phase = (after: string[]): LowerContext & { reads(): string[] } => {
        const reads = new Map<tf.LayerVariable, Out>();
        return {
          g, n, moving,
          weight: (lv) => {
            let r = reads.get(lv);
            if (!r) { r = g.read(this.vars.get(lv)!, after); reads.set(lv, r); }
            return r;
          },
          reads: () => [...reads.values()].map(opOf),
        };
      };
      const gPhase = phase([]);
      const d1 = phase([]);
      const fake = lowerModel(gPhase, G, withLabel(this.feeds.z));

      // (1) Update D: maximize log(D(x)) + log(1 - D(G(z))); for D the fake is a constant.
      const outReal = lowerModel(d1, D, withLabel(this.feeds.real));
      const outFake1 = lowerModel(d1, D, withLabel(fake));
      let lossD = discriminatorLossGraph(g, s.loss, outReal, outFake1);
      if (s.loss === 'wgan-gp') {
        lossD = g.add(lossD, gradientPenaltyGraph(g, (x) => lowerModel(d1, D, withLabel(x)), this.feeds.real, fake, this.feeds.eps!, s.gpWeight));
      }
      const dVars = D.trainableWeights.map((lv) => this.vars.get(lv)!);
      const dValues = D.trainableWeights.map((lv) => d1.weight(lv));
      this.adamD = graphAdam(g, 'adamD', dVars.map((v) => v.shape));
      const dAssigns = adamUpdate(g, this.adamD, s, dVars, g.gradients([lossD], dValues, 'gradD'), d1.reads());

      // (2) Update G: maximize log(D(G(z))) on the same fake, through the updated D.
      const d2 = phase(dAssigns);
      const outFake2 = lowerModel(d2, D, withLabel(fake));
      const lossG = generatorLossGraph(g, s.loss, outFake2);
      const gVars = G.trainableWeights.map((lv) => this.vars.get(lv)!);
      const gValues = G.trainableWeights.map((lv) => gPhase.weight(lv));
      this.adamG = graphAdam(g, 'adamG', gVars.map((v) => v.shape));
      const gAssigns = adamUpdate(g, this.adamG, s, gVars, g.gradients([lossG], gValues, 'gradG'), gPhase.reads());

      // BatchNorm running statistics, in the order tfjs updates them (G, D(x), D(fake), D(fake) again).
      const last = new Map<tf.LayerVariable, string>();
      const movingAssigns = moving.map(({ variable, value, momentum }) => {
        const v = this.vars.get(variable)!;
        const prev = last.get(variable);
        const orig = g.read(v, prev ? [prev] : []);
        const op = g.assign(v, g.sub(orig, g.mul(g.sub(orig, value), g.scalar(1 - momentum))));
        last.set(variable, op);
        return op;
      });

      this.record = g.pack([lossD, lossG, meanScoreGraph(g, s.loss, outReal), meanScoreGraph(g, s.loss, outFake1), meanScoreGraph(g, s.loss, outFake2)]);
      this.target = g.group('step', [...dAssigns, ...gAssigns, ...movingAssigns]);
      this.session = addon.sessionNew(g.handle, threads.intraOp, threads.interOp);
    } catch (e) {
      g.dispose();
      throw e instanceof GankitError ? e : new GankitError(`Cannot compile the training step: ${(e as Error).message}`);
    }
  }

  /** Run one step; returns [lossD, lossG, D(x), D(G(z)) before, D(G(z)) after]. */
  run(inputs: StepInputs): number[] {
    this.check();
    const c = this.gan.config;
    const n = this.batchSize;
    const feeds: [string, number, number[], Float32Array | Int32Array][] = [
      [this.feeds.real, DT.float32, [n, c.imageSize, c.imageSize, c.channels], inputs.real],
      [this.feeds.z, DT.float32, [n, c.latentDim], inputs.z],
    ];
    if (this.feeds.labels) feeds.push([this.feeds.labels, DT.int32, [n, 1], inputs.labels!]);
    if (this.feeds.eps) feeds.push([this.feeds.eps, DT.float32, [n, 1, 1, 1], inputs.eps!]);
    const [record] = this.addon.sessionRun(this.session, feeds, [this.record], [this.target]);
    this.iterations.g += 1;
    this.iterations.d += 1;
    return Array.from(record![2]);
  }

  /** Copy the tfjs models' weights and both optimizers' state into the graph's variables. */
  upload(optG: tf.AdamOptimizer, optD: tf.AdamOptimizer): void {
    this.check();
    const feeds: [string, number, number[], Float32Array][] = [];
    const targets: string[] = [];
    const put = (v: GraphVariable, data: Float32Array) => { feeds.push([v.initFeed, DT.float32, v.shape, data]); targets.push(v.initOp); };
    for (const [lv, v] of this.vars) put(v, lv.read().dataSync() as Float32Array);
    for (const [opt, adam, model, key] of [[optG, this.adamG, this.gan.generator, 'g'], [optD, this.adamD, this.gan.discriminator, 'd']] as const) {
      const state = adamStateOf(opt, model.trainableWeights.map((w) => w.read().size));
      adam.m.forEach((v, i) => put(v, state.m[i]!));
      adam.v.forEach((v, i) => put(v, state.v[i]!));
      put(adam.accBeta1, Float32Array.of(state.accBeta1));
      put(adam.accBeta2, Float32Array.of(state.accBeta2));
      this.iterations[key] = state.iterations;
    }
    this.addon.sessionRun(this.session, feeds, [], targets);
  }

  /** Copy the graph's weights and BatchNorm statistics into the tfjs models. */
  downloadWeights(): void {
    this.check();
    const entries = [...this.vars];
    const values = this.addon.sessionRun(this.session, [], entries.map(([, v]) => v.peek), []);
    tf.tidy(() => entries.forEach(([lv], i) => lv.write(tf.tensor(values[i]![2] as Float32Array, lv.shape as number[]))));
  }

  /** Copy both optimizers' moments, accBetas and iteration counts into the tfjs optimizers. */
  downloadOptimizers(optG: tf.AdamOptimizer, optD: tf.AdamOptimizer): void {
    this.check();
    for (const [opt, adam, model, key] of [[optG, this.adamG, this.gan.generator, 'g'], [optD, this.adamD, this.gan.discriminator, 'd']] as const) {
      const k = adam.m.length;
      const values = this.addon.sessionRun(this.session, [],
        [...adam.m.map((v) => v.peek), ...adam.v.map((v) => v.peek), adam.accBeta1.peek, adam.accBeta2.peek], []);
      const data = values.map((t) => t[2] as Float32Array);
      const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
      writeAdamState(opt, weights.map((w) => w.name), weights.map((w) => w.shape), {
        m: data.slice(0, k), v: data.slice(k, 2 * k), accBeta1: data[2 * k]![0]!, accBeta2: data[2 * k + 1]![0]!, iterations: this.iterations[key],
      });
    }
  }

  private check(): void {
    if (this.disposed) throw new GankitError('This compiled step was disposed');
  }

  /** Free the session and the graph (idempotent). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.addon.sessionDispose(this.session);
    this.g.dispose();
  }
}
