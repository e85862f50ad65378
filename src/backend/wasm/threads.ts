/**
 * Start tfjs' wasm backend with its multithreaded build (XNNPACK on a pthread pool) under Node.
 *
 * tfjs-backend-wasm 4.22 never picks that build under Node (WASM_HAS_MULTITHREAD_SUPPORT is false
 * there, tfjs#3830), and forcing it fails: Emscripten starts its pthread workers from blob: URLs,
 * which worker_threads refuses. Here the worker script and the module factory are taken from the
 * package's own wasm-out/ files instead: a Worker given a blob: URL gets the worker source as code
 * (eval), and its 'load' message names the factory file. Emscripten also caps the pool at half the
 * logical cores (1 on a 2-core machine), so the core count it reads is raised while it starts.
 * Results are the same as single-threaded: XNNPACK splits outputs between threads, not sums.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { GankitError } from '../../util/errors.js';
import * as v from '../../util/validate.js';
import { registerWasmTrainingKernels } from './register.js';

const require = createRequire(import.meta.url);
const PKG = '@tensorflow/tfjs-backend-wasm';

interface WasmPackage { setThreadsCount(n: number): void; getThreadsCount(): number }
interface PThreadWorker { unref(): void }
interface WasmModuleLike { PThread?: { runningWorkers: PThreadWorker[] } }

let workersPatched = false;

/** Make worker_threads.Worker accept Emscripten's blob: pthread script (Node itself refuses blob: URLs). */
function patchWorkers(): void {
  if (workersPatched) return;
  const dir = path.join(path.dirname(require.resolve(`${PKG}/package.json`)), 'wasm-out');
  // the worker source is exported as a template string; its "\n" escapes must stay escapes in code
  const source = (require(path.join(dir, 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string })
    .wasmWorkerContents.replace(/\n/g, '\\n');
  const factoryFile = path.join(dir, 'tfjs-backend-wasm-threaded-simd.js');
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  const Base = threads.Worker;
  class PthreadWorker extends Base {
    constructor(url: string | URL, options?: import('node:worker_threads').WorkerOptions) {
      if (typeof url === 'string' && url.startsWith('blob:')) super(source, { ...options, eval: true });
      else super(url, options);
    }
    override postMessage(message: unknown, transfer?: readonly import('node:worker_threads').TransferListItem[]): void {
      const m = message as { cmd?: string; urlOrBlob?: unknown } | null;
      // the worker loads the module factory with importScripts(urlOrBlob): give it the file, not a Blob
      if (m?.cmd === 'load' && typeof m.urlOrBlob !== 'string') message = { ...m, urlOrBlob: factoryFile };
      super.postMessage(message, transfer);
    }
  }
  threads.Worker = PthreadWorker;
  workersPatched = true;
}

/**
 * Make 'wasm' the active tfjs backend with `threads` XNNPACK threads (integer in [1, 8]; 1 = the
 * single-threaded SIMD build) and register gankit's training kernels. Call it before anything else
 * starts the wasm backend (initBackend({ backend: 'wasm' }) afterwards keeps it). Resolves to the
 * number of threads in use: 1 when the threaded build could not start and the plain one did instead.
 */
export async function startWasmBackend(threads: number): Promise<number> {
  v.intIn('threads', threads, 1, 8);
  const wasm = require(PKG) as WasmPackage;
  const started = (tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm !== undefined;
  if (started) {
    if (!(await tf.setBackend('wasm'))) throw new GankitError('the wasm backend failed to initialise');
    registerWasmTrainingKernels();
    return wasm.getThreadsCount();
  }
  let ok = false;
  if (threads > 1) {
    patchWorkers();
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
    wasm.setThreadsCount(threads);
    const os = require('node:os') as typeof import('node:os');
    const cpus = os.cpus; // (Emscripten reads the core count once, while the module starts)
    os.cpus = () => { const list = cpus(); while (list.length > 0 && list.length < 2 * threads) list.push(list[0]!); return list; };
    try {
      ok = await tf.setBackend('wasm');
    } catch {
      ok = false;
    } finally {
      os.cpus = cpus;
    }
    if (ok) {
      // parked pool threads must not keep the process alive
      for (const w of (tf.backend() as unknown as { wasm: WasmModuleLike }).wasm.PThread?.runningWorkers ?? []) w.unref();
    } else {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      wasm.setThreadsCount(-1);
    }
  }
  if (!ok && !(await tf.setBackend('wasm'))) throw new GankitError('the wasm backend failed to initialise');
  registerWasmTrainingKernels();
  return wasm.getThreadsCount();
}
