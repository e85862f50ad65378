// The gankit Jupyter kernel: tslab's TypeScript converter and executor behind our own ZeroMQ server.
// Laid out as tslab's kernel is: the wire protocol (wire.mjs), the server that owns the sockets
// (server.mjs, with control and heartbeat on a worker thread: control-worker.mjs), message handling
// (handlers.mjs, completion.mjs), one execution (execute.mjs, context.mjs) and the runtime that runs
// cells (runtime.mjs: tslab's converter and executor, the gankit library). This file connects them and
// installs what is process-wide: captured stdout/stderr, the bridge the library talks to, interrupts.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { createRequire } from 'node:module';
import { setImmediate as tick } from 'node:timers/promises';
import { openServer } from './server.mjs';
import { createExecutionState } from './context.mjs';
import { createHandlers } from './handlers.mjs';
import { createExecution } from './execute.mjs';
import { loadRuntime, nameOf } from './runtime.mjs';
import { CHECKPOINT_GLOBAL } from './await-checkpoints.mjs';
import { INTERRUPTED } from './errors.mjs';
import { createWatchdogState, noticePath, takeRestartNotice } from './watchdog.mjs';

/** After an unhandled interrupt: SIGINT for a cell's synchronous code once the event loop stood still this long (ms). */
const WATCHDOG_SIGINT_MS = Number(process.env.GANKIT_WATCHDOG_SIGINT_MS ?? 500);
/** After an unhandled interrupt: restart the kernel once the event loop stood still this long outside a cell's own code (ms). */
const WATCHDOG_RESTART_MS = Number(process.env.GANKIT_WATCHDOG_RESTART_MS ?? 5000);

/**
 * Start the kernel.
 * @param {{ connectionFile: string, root: string, cwd?: string }} opts
 *   root: the gankit package root (holds package.json, dist/, node_modules/)
 */
export async function startKernel({ connectionFile, root, cwd = process.cwd() }) {
  const t0 = performance.now();
  /** @type {Record<string, number | string>} */
  const timings = {};
  const conn = JSON.parse(fs.readFileSync(connectionFile, 'utf8'));
  const rootRequire = createRequire(path.join(root, 'package.json'));
  const tslabDir = path.dirname(rootRequire.resolve('tslab/package.json'));
  const tslabRequire = createRequire(path.join(tslabDir, 'package.json'));
  const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
  const info = {
    version: readJson(path.join(root, 'package.json')).version,
    tslabVersion: readJson(path.join(tslabDir, 'package.json')).version,
    tsVersion: readJson(tslabRequire.resolve('@tslab/typescript-for-tslab/package.json')).version,
  };

  // V8 keeps 10 frames by default: an error from deep inside tfjs would then have no frame of the user's
  // cell left after errors.mjs hides the library frames.
  Error.stackTraceLimit = Math.max(Error.stackTraceLimit, 64);
  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  const log = (...args) => origErr(`[gankit kernel] ${util.format(...args)}\n`);
  const state = createExecutionState();
  const watchdog = createWatchdogState();

  const server = await openServer({
    conn, root, zmq: rootRequire('zeromq'), log, route: state.route,
    fallbackWrite: (name, text) => (name === 'stdout' ? origOut : origErr)(text),
    watchdog: { shared: watchdog.shared, sigintMs: WATCHDOG_SIGINT_MS, restartMs: WATCHDOG_RESTART_MS, noticeFile: noticePath(connectionFile) },
  });
  timings.sockets = performance.now() - t0;
  const handlers = createHandlers({ server, state, log, info, watchdog });
  const execution = createExecution({ server, state, watchdog, interrupt: handlers.interrupt, abortQueued: handlers.abortQueued });
  handlers.setExecution(execution);
  server.serve(handlers.onMessage, handlers.onWatchdog);

  // ---- process-wide: output capture, the library bridge, interrupts ----------------------------------
  for (const [stream, name] of [[process.stdout, 'stdout'], [process.stderr, 'stderr']]) {
    stream.write = (chunk, encoding, cb) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
      server.writeStream(name, text);
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    };
  }
  process.on('uncaughtException', (e) => { log('uncaught exception:', e); process.stderr.write(`Uncaught exception: ${util.inspect(e)}\n`); });
  process.on('unhandledRejection', (r) => { log('unhandled rejection:', r); process.stderr.write(`Unhandled promise rejection: ${util.inspect(r)}\n`); });
  // The watchdog's own SIGINT (it broke a cell's synchronous code) is not a second interrupt.
  process.on('SIGINT', () => { if (!watchdog.takeSelfSigint()) handlers.interrupt('SIGINT'); });
  /** @type {Awaited<ReturnType<typeof loadRuntime>> | null} */
  let runtime = null;
  const publishDisplay = (content, update) => server.publish(update ? 'update_display_data' : 'display_data', content, state.route());

  // The bridge the gankit library talks to (src/display/bridge.ts).
  globalThis[Symbol.for('gankit.kernel.bridge')] = {
    version: 1,
    publish: publishDisplay,
    track(work) {
      const ctx = state.current();
      if (ctx && !ctx.closed) ctx.work.push(work);
      else work.catch((e) => process.stderr.write(`${util.inspect(e)}\n`));
    },
    signal() { return (state.current()?.controller ?? state.controller).signal; },
    /** Execution count of the cell running now (as `In [n]` shows it), or null outside a cell. */
    cell() { return state.current()?.count || state.running?.count || null; },
    /** The notebook variable holding `obj` (e.g. 'gan', 'trainer.gan'), or null. */
    nameOf(obj) { return runtime ? nameOf(runtime.executor.locals, obj) : null; },
  };
  globalThis[CHECKPOINT_GLOBAL] = {
    /** Pass `value` through, or throw InterruptedError once this cell's execution was interrupted. */
    checkpoint(value) {
      const ctx = state.current();
      if (ctx && ctx.controller.signal.aborted) throw new state.InterruptedError(INTERRUPTED);
      return value;
    },
    timings,
  };

  // ---- heavy initialisation, after the sockets answer ---------------------------------------------
  await tick();
  runtime = await loadRuntime({ root, cwd, tslabRequire, log, state, publishDisplay, lastValue: execution.lastValue, timings, watchdog });
  const notice = takeRestartNotice(connectionFile);
  if (notice) { log(notice.trim()); runtime.initWarning = notice + runtime.initWarning; }
  execution.setRuntime(runtime);
  timings.ready = performance.now() - t0;
  const ms = (k) => Number(timings[k] ?? 0).toFixed(0);
  log(`ready in ${ms('ready')} ms (sockets ${ms('sockets')}, converter ${ms('converter')}, gankit ${ms('gankit')}, ` +
    `backend ${ms('backend')}${timings.backendName ? ` ${timings.backendName}` : ''}, typings ${ms('warmup')} ms)`);
  handlers.markReady(runtime);
  return { timings };
}
