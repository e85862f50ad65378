/**
 * Where the compiled training step's time goes, per TensorFlow kernel (docs/compiled-step.md).
 * Builds the default DCGAN's step (or the PyTorch tutorial's 64x64x3 one with --tutorial), writes its
 * GraphDef and feed names to .cache/bench/, and runs bench/graph_profile.py, which replays the same
 * graph in TensorFlow's Python runtime (the same C++ kernels) with full tracing.
 * Needs TensorFlow in the bench venv: .venv-bench/bin/pip install --retries 0 tensorflow-cpu==2.21.0
 *   node --import tsx bench/graph-profile.ts [--tutorial] [--threads N]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../src/backend/select.js';
import { createGan, GanTrainer } from '../src/gan/index.js';
import { tfgraphAddon, type GraphHandle } from '../src/gan/compiled/native.js';

const { values: args } = parseArgs({ options: { tutorial: { type: 'boolean' }, threads: { type: 'string', default: '1' } } });
await initBackend({ backend: 'tensorflow' });
const gan = createGan(args.tutorial ? { imageSize: 64, channels: 3, seed: 1 } : { seed: 1 });
const trainer = new GanTrainer(gan, { mode: 'graph', seed: 1 });
const c = gan.config;
const n = args.tutorial ? 128 : 64;
const real = tf.randomUniform([n, c.imageSize, c.imageSize, c.channels], -1, 1) as tf.Tensor4D;
trainer.trainStep(real);
// The step's internals: its graph, feeds, fetch, target and every variable's init feed (bench only).
type Var = { initFeed: string; initOp: string; shape: number[] };
type Adam = { m: Var[]; v: Var[]; accBeta1: Var; accBeta2: Var };
const step = (trainer as unknown as { compiled: { g: { handle: GraphHandle }; vars: Map<unknown, Var>; adamG: Adam; adamD: Adam; feeds: Record<string, string>; record: string; target: string } }).compiled;
const vars = [...step.vars.values(), ...[step.adamG, step.adamD].flatMap((a) => [...a.m, ...a.v, a.accBeta1, a.accBeta2])];
const dir = fileURLToPath(new URL('../.cache/bench/', import.meta.url));
mkdirSync(dir, { recursive: true });
const base = `${dir}graph-${args.tutorial ? 'tutorial' : 'dcgan'}`;
writeFileSync(`${base}.pb`, tfgraphAddon()!.graphDef(step.g.handle));
writeFileSync(`${base}.json`, JSON.stringify({ feeds: step.feeds, record: step.record, target: step.target, init: vars.map((v) => [v.initFeed, v.initOp, v.shape]) }));
real.dispose();
trainer.dispose();
const python = fileURLToPath(new URL('../.venv-bench/bin/python', import.meta.url));
const run = spawnSync(python, [fileURLToPath(new URL('graph_profile.py', import.meta.url)), base, args.threads!], { stdio: 'inherit', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' } });
if (run.status !== 0) throw new Error(`bench/graph_profile.py failed (exit ${run.status}); is TensorFlow installed in .venv-bench? (see the header of this file)`);
