// One execute_request: run the cell in its own context, render a rich last value, wait for the outputs
// the cell started, and reply (ok, or an `error` message with ename/evalue/traceback).
import util from 'node:util';
import { setImmediate as tick } from 'node:timers/promises';
import { compileErrorContent, interruptContent, isInterrupt, runtimeErrorContent } from './errors.mjs';
import { PHASE } from './watchdog.mjs';

/** Rounds of waiting for output work a cell started (work a background loop keeps adding after that no longer holds the reply). */
const WORK_ROUNDS = 8;

/**
 * @param {{ server: Awaited<ReturnType<import('./server.mjs').openServer>>,
 *   state: ReturnType<import('./context.mjs').createExecutionState>,
 *   watchdog: ReturnType<import('./watchdog.mjs').createWatchdogState>,
 *   interrupt: (why: string) => void, abortQueued: () => void }} deps
 */
export function createExecution({ server, state, watchdog, interrupt, abortQueued }) {
  const { publish, status, reply, flushStreams } = server;
  let count = 0;
  /** @type {Awaited<ReturnType<import('./runtime.mjs').loadRuntime>> | null} */
  let runtime = null;

  /** The executor prints a cell's last value with console.log(value): render rich values instead. */
  function lastValue(args) {
    const ctx = state.current();
    const hooks = runtime?.hooks;
    if (args.length === 1 && ctx && hooks) {
      if (hooks.isQuiet(args[0])) return; // e.g. the handle showTensor() returns: already displayed
      let rich = null;
      try { rich = hooks.prepareRich(args[0]); } catch (e) { process.stderr.write(`(rich display failed: ${e?.message ?? e})\n`); }
      if (rich) {
        if (!ctx.silent) {
          // After the displays the cell made before (outputs keep their call order).
          ctx.work.push(hooks.publishInOrder(rich.render(), (out) =>
            publish('execute_result', { execution_count: ctx.count, data: out.data, metadata: out.metadata }, ctx.parent)));
        }
        return;
      }
    }
    process.stdout.write(util.format(...args) + '\n');
  }

  /** Error content for a cell that did not succeed. */
  function failure(ctx, thrown) {
    if (ctx.diagnostics) return compileErrorContent(ctx.diagnostics, ctx.src);
    if (thrown.length > 0) return runtimeErrorContent(thrown[0]);
    if (ctx.controller.signal.aborted) return interruptContent();
    return { ename: 'Error', evalue: 'execution failed', traceback: ctx.errors.map((e) => String(e?.diagnosticText ?? e)) };
  }

  /** Run one execute_request to its reply. */
  async function execute(sock, msg, ready) {
    const { code = '', silent = false, stop_on_error = true } = msg.content;
    const ctx = /** @type {import('./context.mjs').Ctx} */ ({
      parent: msg.header, count: 0, silent: !!silent, controller: state.controller, errors: [], diagnostics: null,
      work: [], workErrors: [], closed: false, src: code,
    });
    state.running = ctx;
    state.lastParent = msg.header;
    status('busy', msg.header);
    if (!silent) {
      ctx.count = ++count;
      publish('execute_input', { code, execution_count: ctx.count }, msg.header);
    }
    await ready;
    ctx.controller = state.controller; // an interrupt while waiting for init replaced it
    const { executor, decls } = runtime;
    if (runtime.initWarning) { state.als.run(ctx, () => process.stderr.write(runtime.initWarning)); runtime.initWarning = ''; }
    let ok = false;
    decls.diagnostics = null;
    decls.pending = null;
    try {
      watchdog.setRunning(ctx.count);
      // The converter sets PHASE.COMPILING, then PHASE.CELL_CODE while vm runs the cell (runtime.mjs).
      ok = await state.als.run(ctx, () => {
        try { return executor.execute(code); } finally { watchdog.setPhase(PHASE.OTHER); }
      });
    } catch (e) {
      ctx.errors.push(e);
    }
    ctx.diagnostics = ok ? null : decls.diagnostics;
    if (decls.pending !== null) decls.current = decls.pending;
    for (let round = 0; round < WORK_ROUNDS && ctx.work.length > 0; round++) {
      const batch = ctx.work.splice(0);
      for (const r of await Promise.allSettled(batch)) if (r.status === 'rejected') ctx.workErrors.push(r.reason);
    }
    ctx.closed = true;
    state.running = null;
    watchdog.setRunning(null);

    let err = null;
    const thrown = ctx.errors.filter((e) => !(e && typeof e === 'object' && 'diagnosticText' in e));
    if (!ok) {
      err = failure(ctx, thrown);
      if (isInterrupt(thrown[0]) && !ctx.controller.signal.aborted) interrupt('SIGINT during synchronous code');
    } else {
      // Cells that succeed can still have printed diagnostics (//%module cells): show them as stderr.
      const texts = ctx.errors.map((e) => (e && typeof e === 'object' && 'diagnosticText' in e ? e.diagnosticText : util.inspect(e)));
      if (texts.length) state.als.run(ctx, () => process.stderr.write(texts.join('\n') + '\n'));
      if (ctx.workErrors.length) err = runtimeErrorContent(ctx.workErrors[0]);
    }
    flushStreams();
    if (err) {
      if (!silent) publish('error', err, msg.header);
      reply(sock, msg, 'execute_reply', { status: 'error', execution_count: ctx.count || null, ...err });
    } else {
      reply(sock, msg, 'execute_reply', { status: 'ok', execution_count: ctx.count || null, user_expressions: {}, payload: [] });
    }
    status('idle', msg.header);
    if (err && stop_on_error !== false) {
      await tick(); // let requests that already arrived (e.g. "Run All") reach the queue, then abort them
      abortQueued();
    }
  }

  return {
    execute,
    lastValue,
    /** Set once the runtime is loaded. */
    setRuntime(r) { runtime = r; },
  };
}
