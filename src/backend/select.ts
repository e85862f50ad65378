/**
 * Pick the fastest usable tfjs backend, in the order
 * tfjs-node-gpu (only with a usable CUDA) -> tfjs-node -> wasm -> cpu,
 * and report what was chosen and why each higher choice was skipped.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { registerWasmTrainingKernels } from './wasm/register.js';
import { startWasmBackend } from './wasm/threads.js';

const require = createRequire(import.meta.url);

/** Backend choices, fastest first. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Aliases accepted by GANKIT_BACKEND / `initBackend({ backend })`. */
const ALIASES: Record<string, BackendName> = {
  'tensorflow-gpu': 'tensorflow-gpu', 'tfjs-node-gpu': 'tensorflow-gpu', 'node-gpu': 'tensorflow-gpu', gpu: 'tensorflow-gpu',
  tensorflow: 'tensorflow', 'tfjs-node': 'tensorflow', node: 'tensorflow', native: 'tensorflow',
  wasm: 'wasm', cpu: 'cpu',
};

/** The environment variable that forces a backend choice. */
export const BACKEND_ENV = 'GANKIT_BACKEND';

export interface SkippedBackend { name: BackendName; reason: string }

export interface BackendReport {
  /** The tfjs backend now active: 'tensorflow', 'wasm' or 'cpu'. */
  backend: string;
  /** Which of gankit's choices it is (tensorflow-gpu and tensorflow both run as tfjs 'tensorflow'). */
  choice: BackendName;
  /** The npm package that provides it. */
  package: string;
  /** True when forced by GANKIT_BACKEND or an explicit option. */
  forced: boolean;
  /** Whether computations run on a GPU. */
  gpu: boolean;
  /** Versions of tfjs packages and, for native backends, of the TensorFlow C library. */
  versions: Record<string, string>;
  /** Each higher-priority choice that was not taken, with the reason. */
  skipped: SkippedBackend[];
  /** Known limits of the chosen backend that matter for gankit (empty when none). */
  notes: string[];
}

const PACKAGES: Record<BackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
};

/** Resolve a user-given backend name (case-insensitive, aliases allowed); throws listing the valid names. */
export function parseBackendName(name: unknown): BackendName {
  const key = typeof name === 'string' ? name.trim().toLowerCase() : '';
  const found = ALIASES[key];
  v.check('backend', name, found !== undefined, `one of ${v.list(BACKEND_NAMES)} (aliases: 'tfjs-node-gpu', 'tfjs-node', 'native', 'node')`);
  return found!;
}

function packageVersion(pkg: string): string | undefined {
  try {
    return (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** Why CUDA is not usable here, or undefined when it looks usable. */
function cudaProblem(): string | undefined {
  if (process.platform !== 'linux') return `CUDA builds of tfjs-node-gpu exist only for linux, not ${process.platform}`;
  let libs = '';
  try {
    libs = execFileSync('ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    /* ldconfig missing: fall back to LD_LIBRARY_PATH probing below */
  }
  const dirs = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean);
  const has = (lib: string) => libs.includes(lib) || dirs.some((d) => existsSync(`${d}/${lib}`));
  if (!has('libcuda.so.1')) return 'no NVIDIA driver (libcuda.so.1 not found)';
  if (!has('libcudart.so')) return 'no CUDA runtime (libcudart.so not found)';
  if (!has('libcudnn.so')) return 'no cuDNN (libcudnn.so not found)';
  return undefined;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0]!.slice(0, 300);
}

/** Try to make one choice the active backend; returns a reason string on failure. */
async function tryBackend(name: BackendName): Promise<string | undefined> {
  const pkg = PACKAGES[name];
  if (name === 'tensorflow-gpu' || name === 'tensorflow') {
    if (!packageVersion(pkg)) return `${pkg} is not installed`;
    if (name === 'tensorflow-gpu') {
      const problem = cudaProblem();
      if (problem) return problem;
    }
    process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
    try {
      require(pkg);
    } catch (e) {
      return `${pkg} did not load: ${firstLine(e)}` +
        (name === 'tensorflow' ? ' (run scripts/build-native.sh to build it offline)' : '');
    }
    const ok = await tf.setBackend('tensorflow');
    return ok ? undefined : `${pkg} loaded but tfjs could not initialise the 'tensorflow' backend`;
  }
  if (name === 'wasm') {
    try {
      require(pkg);
    } catch (e) {
      return `${pkg} did not load: ${firstLine(e)}`;
    }
    const threads = wasmThreads();
    try {
      if (threads > 1) {
        await startWasmBackend(threads); // threaded build (falls back to one thread), kernels registered
        return undefined;
      }
      const ok = await tf.setBackend('wasm');
      if (ok) registerWasmTrainingKernels(); // after the backend set up its own kernels, which gankit keeps for fallbacks
      return ok ? undefined : 'the wasm backend failed to initialise';
    } catch (e) {
      return `the wasm backend failed to initialise: ${firstLine(e)}`;
    }
  }
  return (await tf.setBackend('cpu')) ? undefined : 'the cpu backend failed to initialise';
}

/** Environment variable: XNNPACK threads of the wasm backend, an integer in [1, 8] (default 1). */
export const WASM_THREADS_ENV = 'GANKIT_WASM_THREADS';

/** The wasm thread count asked for by GANKIT_WASM_THREADS (default 1); a bad value is an error naming the range. */
export function wasmThreads(): number {
  const raw = process.env[WASM_THREADS_ENV];
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 8) throw invalidParameterError(WASM_THREADS_ENV, 'integer in [1, 8]', raw);
  return n;
}

function notesFor(name: BackendName): string[] {
  if (name === 'wasm') {
    const threads = (require(PACKAGES.wasm) as { getThreadsCount(): number }).getThreadsCount();
    return [`wasm trains with gankit's kernels (src/backend/wasm) on ${threads} thread${threads === 1 ? '' : 's'} ` +
      `(${WASM_THREADS_ENV}); a DCGAN step (batch 64) takes several times as long as on tfjs-node (see BENCHMARKS.md)`];
  }
  if (name === 'cpu') return ['the pure-JS cpu backend is slow: a DCGAN training step takes over 10 s'];
  return [];
}

let current: Promise<BackendReport> | undefined;

export interface InitBackendOptions {
  /** Force a backend by name (overrides GANKIT_BACKEND); see BACKEND_NAMES. */
  backend?: string;
}

/**
 * Choose and activate the backend once; later calls return the same report.
 * A forced backend that cannot start is an error, not a silent fallback.
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  v.options('initBackend options', options, ['backend']);
  if (options.backend !== undefined) {
    return (current = select(parseBackendName(options.backend), true));
  }
  if (!current) {
    const env = process.env[BACKEND_ENV];
    current = select(env ? parseBackendName(env) : undefined, Boolean(env));
    current.catch(() => (current = undefined));
  }
  return current;
}

async function select(forcedName: BackendName | undefined, forced: boolean): Promise<BackendReport> {
  const skipped: SkippedBackend[] = [];
  const order = forcedName ? [forcedName] : BACKEND_NAMES;
  for (const name of order) {
    const reason = await tryBackend(name);
    if (reason === undefined) return report(name, forced, skipped);
    if (forcedName) {
      throw new GankitError(`Backend ${name} was requested (${forced ? BACKEND_ENV : 'option'}) but cannot start: ${reason}`);
    }
    skipped.push({ name, reason });
  }
  throw new GankitError(`No tfjs backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

function report(choice: BackendName, forced: boolean, skipped: SkippedBackend[]): BackendReport {
  const versions: Record<string, string> = { 'tfjs-core': tf.version_core };
  const pkgVersion = packageVersion(PACKAGES[choice]);
  if (pkgVersion) versions[PACKAGES[choice].replace('@tensorflow/', '')] = pkgVersion;
  if (choice === 'tensorflow' || choice === 'tensorflow-gpu') {
    const mod = require(PACKAGES[choice]) as { version: Record<string, string> };
    const tfVersion = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding?.TF_Version;
    if (tfVersion) versions.tensorflow = tfVersion;
    Object.assign(versions, mod.version);
  }
  return {
    backend: tf.getBackend(),
    choice,
    package: PACKAGES[choice],
    forced,
    gpu: choice === 'tensorflow-gpu',
    versions,
    skipped,
    notes: notesFor(choice),
  };
}
