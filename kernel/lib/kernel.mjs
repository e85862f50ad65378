// The gankit Jupyter kernel: tslab's TypeScript converter and executor behind our own ZeroMQ server.
//
// What we take from tslab (unchanged, via its dist/ modules): the converter (TypeScript -> JS per cell,
// declarations carried between cells, completion, inspection) and the executor (runs converted cells,
// keeps cell variables, top-level await). What we add around it:
//  - the Jupyter server (wire protocol, shell/control/iopub/stdin/heartbeat) with: execute_input,
//    execute_result for rich last values, `error` messages with ename/evalue/traceback and
//    status 'error' replies, interrupt_request on the control channel as well as SIGINT, abort of
//    queued cells after an error or interrupt, shutdown/restart, comm_info and history replies;
//  - the gankit library preloaded and importable (with types) from notebooks in any directory;
//  - an AsyncLocalStorage context per execution, so output, displays and the interrupt signal of work
//    started by a cell stay attached to that cell even while other cells run.
import fs from 'node:fs';
import path from 'node:path';
import util from 'node:util';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { setImmediate as tick } from 'node:timers/promises';
import { Wire, sendQueue, PROTOCOL_VERSION } from './wire.mjs';
import { patchRuntimeResolution, patchTypeScriptSys } from './resolve.mjs';
import { addAwaitCheckpoints, CHECKPOINT_GLOBAL } from './await-checkpoints.mjs';
import { compileErrorContent, interruptContent, isInterrupt, runtimeErrorContent, INTERRUPTED } from './errors.mjs';

/** How long an interrupted cell may take to stop by itself (finish its current step) before it is detached. */
const GRACE_MS = Number(process.env.GANKIT_INTERRUPT_GRACE_MS ?? 3000);
/** Stream output is coalesced for at most this long. */
const STREAM_FLUSH_MS = 20;

/**
 * Start the kernel.
 * @param {{ connectionFile: string, root: string, cwd?: string }} opts
 *   root: the gankit package root (holds package.json, dist/, node_modules/)
 */
export async function startKernel({ connectionFile, root, cwd = process.cwd() }) {
  const t0 = performance.now();
  const timings = {};
  const conn = JSON.parse(fs.readFileSync(connectionFile, 'utf8'));
  const rootRequire = createRequire(path.join(root, 'package.json'));
  const tslabDir = path.dirname(rootRequire.resolve('tslab/package.json'));
  const tslabRequire = createRequire(path.join(tslabDir, 'package.json'));
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const tslabVersion = JSON.parse(fs.readFileSync(path.join(tslabDir, 'package.json'), 'utf8')).version;
  const tsVersion = JSON.parse(fs.readFileSync(tslabRequire.resolve('@tslab/typescript-for-tslab/package.json'), 'utf8')).version;

  const origOut = process.stdout.write.bind(process.stdout);
  const origErr = process.stderr.write.bind(process.stderr);
  const klog = (...args) => origErr(`[gankit kernel] ${util.format(...args)}\n`);

  // ---- sockets ---------------------------------------------------------------------------------
  const zmq = rootRequire('zeromq');
  const wire = new Wire(conn.key ?? '', conn.signature_scheme ?? 'hmac-sha256');
  const iopub = new zmq.Publisher();
  const shell = new zmq.Router();
  const control = new zmq.Router();
  const stdin = new zmq.Router();
  const hb = new zmq.Reply();
  const addr = (port) => (conn.transport === 'ipc' ? `ipc://${conn.ip}-${port}` : `${conn.transport}://${conn.ip}:${port}`);
  await Promise.all([
    iopub.bind(addr(conn.iopub_port)), shell.bind(addr(conn.shell_port)), control.bind(addr(conn.control_port)),
    stdin.bind(addr(conn.stdin_port)), hb.bind(addr(conn.hb_port)),
  ]);
  timings.sockets = performance.now() - t0;
  const onSendError = (e) => klog('send failed:', e);
  const senders = new Map([[iopub, sendQueue(iopub, onSendError)], [shell, sendQueue(shell, onSendError)], [control, sendQueue(control, onSendError)]]);

  // ---- per-execution context ---------------------------------------------------------------------
  /**
   * @typedef {{ parent: object, count: number, silent: boolean, controller: AbortController,
   *   errors: unknown[], diagnostics: any[] | null, work: Promise<unknown>[], workErrors: unknown[],
   *   closed: boolean, src: string }} Ctx
   */
  /** @type {AsyncLocalStorage<Ctx>} */
  const als = new AsyncLocalStorage();
  let controller = new AbortController(); // shared by all executions since the last interrupt
  /** @type {Ctx | null} */
  let running = null;
  let lastParent = null;
  let InterruptedErrorClass = class InterruptedError extends Error { name = 'InterruptedError'; };

  /** The parent header output should go to: its own cell while it runs, else the running cell, else its own. */
  const route = () => {
    const ctx = als.getStore();
    if (ctx && !ctx.closed) return ctx.parent;
    return running?.parent ?? ctx?.parent ?? lastParent;
  };

  // ---- iopub -------------------------------------------------------------------------------------
  /** @type {Map<string, { parent: object, name: string, text: string }>} */
  const streamBuf = new Map();
  let streamTimer = null;
  const flushStreams = () => {
    if (streamTimer) { clearTimeout(streamTimer); streamTimer = null; }
    const items = [...streamBuf.values()];
    streamBuf.clear();
    for (const s of items) rawPublish('stream', { name: s.name, text: s.text }, s.parent);
  };
  const rawPublish = (type, content, parent) => {
    void senders.get(iopub)(wire.frames(type, content, { parent: parent ?? {}, ids: [Buffer.from(`kernel.${wire.session}.${type}`)] }));
  };
  const publish = (type, content, parent) => { flushStreams(); rawPublish(type, content, parent); };
  const status = (state, parent) => publish('status', { execution_state: state }, parent);
  const reply = (sock, req, type, content) => {
    flushStreams();
    void senders.get(sock)(wire.frames(type, content, { parent: req.header, ids: req.ids }));
  };

  const writeStream = (name, chunk, encoding) => {
    const parent = route();
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString(typeof encoding === 'string' ? encoding : 'utf8');
    if (!parent) { (name === 'stdout' ? origOut : origErr)(text); return; }
    const key = `${name}:${parent.msg_id}`;
    const buf = streamBuf.get(key);
    if (buf) buf.text += text; else streamBuf.set(key, { parent, name, text });
    if ((buf?.text.length ?? text.length) > 65536) flushStreams();
    else if (!streamTimer) streamTimer = setTimeout(flushStreams, STREAM_FLUSH_MS);
  };
  const patchStream = (stream, name) => {
    stream.write = (chunk, encoding, cb) => {
      writeStream(name, chunk, encoding);
      const done = typeof encoding === 'function' ? encoding : cb;
      if (typeof done === 'function') process.nextTick(done);
      return true;
    };
  };
  patchStream(process.stdout, 'stdout');
  patchStream(process.stderr, 'stderr');
  process.on('uncaughtException', (e) => { klog('uncaught exception:', e); process.stderr.write(`Uncaught exception: ${util.inspect(e)}\n`); });
  process.on('unhandledRejection', (r) => { klog('unhandled rejection:', r); process.stderr.write(`Unhandled promise rejection: ${util.inspect(r)}\n`); });

  // ---- the bridge the gankit library talks to (src/display/bridge.ts) ----------------------------
  const bridge = {
    version: 1,
    publish(content, update) { publish(update ? 'update_display_data' : 'display_data', content, route()); },
    track(work) {
      const ctx = als.getStore();
      if (ctx && !ctx.closed) ctx.work.push(work);
      else work.catch((e) => process.stderr.write(`${util.inspect(e)}\n`));
    },
    signal() { return (als.getStore()?.controller ?? controller).signal; },
  };
  globalThis[Symbol.for('gankit.kernel.bridge')] = bridge;
  globalThis[CHECKPOINT_GLOBAL] = {
    /** Pass `value` through, or throw InterruptedError once this cell's execution was interrupted. */
    checkpoint(value) {
      const ctx = als.getStore();
      if (ctx && ctx.controller.signal.aborted) throw new InterruptedErrorClass(INTERRUPTED);
      return value;
    },
    timings,
  };

  // ---- interrupts --------------------------------------------------------------------------------
  let graceTimer = null;
  /** @type {{ interrupt(): void } | null} */
  let executor = null;
  /** @type {{ sock: any, msg: any }[]} */
  const queue = [];
  const abortQueued = () => {
    for (const job of queue.splice(0)) {
      status('busy', job.msg.header);
      reply(job.sock, job.msg, 'execute_reply', { status: 'aborted', execution_count: null });
      status('idle', job.msg.header);
    }
  };
  const interrupt = (why) => {
    klog(`interrupt (${why})`);
    const prev = controller;
    controller = new AbortController();
    prev.abort(new InterruptedErrorClass(INTERRUPTED));
    abortQueued();
    if (running && !graceTimer) {
      const ctx = running;
      graceTimer = setTimeout(() => {
        graceTimer = null;
        if (running === ctx && executor) executor.interrupt(); // detach: the cell did not stop by itself
      }, GRACE_MS);
    }
  };
  process.on('SIGINT', () => interrupt('SIGINT'));

  // ---- message loops -----------------------------------------------------------------------------
  let ready; // resolves once the converter and gankit are loaded
  const readyPromise = new Promise((r) => { ready = r; });
  let count = 0;
  let shuttingDown = false;
  let handler = null; // tslab's JupyterHandlerImpl: complete / inspect / is_complete

  const kernelInfo = () => ({
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'gankit',
    implementation_version: pkg.version,
    language_info: {
      name: 'typescript', version: tsVersion, mimetype: 'text/typescript', file_extension: '.ts',
      pygments_lexer: 'typescript', nbconvert_exporter: 'script',
      codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
    },
    banner: `gankit ${pkg.version}: TypeScript ${tsVersion} on Node ${process.version} (tslab ${tslabVersion})`,
    help_links: [],
  });

  const pump = async () => {
    if (running || queue.length === 0) return;
    const job = queue.shift();
    try { await execute(job.sock, job.msg); } catch (e) { klog('execute failed:', e); }
    void pump();
  };

  const onMessage = async (sock, frames) => {
    let msg;
    try { msg = wire.parse(frames); } catch (e) { klog('dropped message:', e.message); return; }
    const type = msg.header.msg_type;
    if (type === 'execute_request') { queue.push({ sock, msg }); void pump(); return; }
    if (type === 'input_reply' || type === 'comm_msg' || type === 'comm_close') return;
    status('busy', msg.header);
    try {
      switch (type) {
        case 'kernel_info_request': reply(sock, msg, 'kernel_info_reply', kernelInfo()); break;
        case 'interrupt_request': interrupt('interrupt_request'); reply(sock, msg, 'interrupt_reply', { status: 'ok' }); break;
        case 'shutdown_request': {
          reply(sock, msg, 'shutdown_reply', { status: 'ok', restart: !!msg.content.restart });
          status('idle', msg.header);
          await shutdown();
          return;
        }
        case 'comm_info_request': reply(sock, msg, 'comm_info_reply', { status: 'ok', comms: {} }); break;
        case 'comm_open': publish('comm_close', { comm_id: msg.content.comm_id, data: {} }, msg.header); break;
        case 'history_request': reply(sock, msg, 'history_reply', { status: 'ok', history: [] }); break;
        case 'is_complete_request':
        case 'complete_request':
        case 'inspect_request': {
          await readyPromise;
          const fn = { is_complete_request: 'handleIsComplete', complete_request: 'handleComplete', inspect_request: 'handleInspect' }[type];
          let content;
          try { content = { status: 'ok', ...handler[fn](msg.content) }; }
          catch (e) { content = { status: 'error', ...runtimeErrorContent(e) }; }
          reply(sock, msg, type.replace(/_request$/, '_reply'), content);
          break;
        }
        default: klog(`ignored ${type}`);
      }
    } finally {
      if (!shuttingDown) status('idle', msg.header);
    }
  };

  const serve = async (sock) => {
    try { for await (const frames of sock) void onMessage(sock, frames); }
    catch (e) { if (!shuttingDown) klog('socket loop ended:', e); }
  };
  void serve(shell);
  void serve(control);
  void (async () => {
    try { for await (const frames of hb) await hb.send(frames); } catch { /* closed */ }
  })();

  const shutdown = async () => {
    shuttingDown = true;
    klog('shutting down');
    flushStreams();
    await Promise.all([...senders.values()].map((send) => send.drained()));
    setTimeout(() => process.exit(0), 100).unref();
    try { executor?.close?.(); } catch { /* ignore */ }
    for (const s of [iopub, shell, control, stdin, hb]) { try { s.close(); } catch { /* ignore */ } }
  };

  // ---- heavy initialisation, after the sockets answer ---------------------------------------------
  let hooks = null;
  let initWarning = '';
  const convState = { diagnostics: null };
  const decls = { current: '', pending: /** @type {string | null} */ (null) };
  await tick();
  {
    const t = performance.now();
    const ts = tslabRequire('@tslab/typescript-for-tslab');
    patchTypeScriptSys(ts, { cwd, root });
    let gankitNs;
    patchRuntimeResolution(root, () => gankitNs);
    const { createConverter } = tslabRequire('./dist/converter.js');
    const { createExecutor } = tslabRequire('./dist/executor.js');
    const { JupyterHandlerImpl } = tslabRequire('./dist/jupyter.js');
    const jupyterModule = tslabRequire('./dist/jupyter.js');
    // tslab's own display API (`import { display } from "tslab"`) writes through this hook.
    jupyterModule.lastWriteDisplayData = (data, update) => publish(update ? 'update_display_data' : 'display_data', data, route());
    // Declarations carried from cell to cell. tslab keeps them only after a cell succeeds; we also keep
    // them after a runtime error or an interrupt (the variables exist at runtime then, e.g. the history
    // of an interrupted training loop), and drop them only after a compile error.
    const wrapConverter = (conv) => ({
      ...conv,
      convert(_prevDecl, src) {
        const r = conv.convert(decls.current, src);
        convState.diagnostics = r.diagnostics?.length ? r.diagnostics : null;
        decls.pending = convState.diagnostics ? null : (r.declOutput ?? '');
        if (r.output && r.hasToplevelAwait) {
          try { r.output = addAwaitCheckpoints(ts, r.output); } catch (e) { klog('await checkpoints skipped:', e); }
        }
        return r;
      },
      inspect: (_prevDecl, src, pos) => conv.inspect(decls.current, src, pos),
      complete: (_prevDecl, src, pos) => conv.complete(decls.current, src, pos),
    });
    let nodeConv = null;
    let browserConv = null;
    const convs = {
      get node() { return (nodeConv ??= wrapConverter(createConverter({ isJS: false, isBrowser: false }))); },
      get browser() { return (browserConv ??= wrapConverter(createConverter({ isJS: false, isBrowser: true }))); },
      close() { nodeConv?.close(); browserConv?.close(); },
    };
    void convs.node; // warm up: builds the TypeScript program with lib and @types (about a second)
    timings.converter = performance.now() - t;
    executor = createExecutor(cwd, convs, {
      log: (...args) => lastValue(args),
      error: (...args) => {
        const ctx = als.getStore();
        if (args[0] === '%s%d:%d - %s') { ctx?.errors.push({ diagnosticText: util.format(...args) }); return; }
        if (ctx) ctx.errors.push(args.length === 1 ? args[0] : util.format(...args));
        else process.stderr.write(util.format(...args) + '\n');
      },
    });
    handler = new JupyterHandlerImpl(executor, false);
    await tick();
    const t2 = performance.now();
    const dist = path.join(root, 'dist', 'src');
    try {
      hooks = await import(pathToFileURL(path.join(dist, 'display', 'kernel-hooks.js')).href);
      InterruptedErrorClass = hooks.InterruptedError;
      gankitNs = await import(pathToFileURL(path.join(dist, 'index.js')).href);
      timings.gankit = performance.now() - t2;
      if (typeof gankitNs.initBackend === 'function') {
        const t3 = performance.now();
        try {
          const report = await gankitNs.initBackend();
          timings.backend = performance.now() - t3;
          timings.backendName = report?.backend;
        } catch (e) {
          initWarning += `gankit: no tfjs backend could be started: ${e?.message ?? e}\n`;
        }
      }
    } catch (e) {
      initWarning += `gankit could not be loaded from ${dist} (run \`npm run build\`): ${e?.message ?? e}\n`;
      klog(initWarning.trim());
    }
    // Pre-warm: load gankit's and tfjs's typings into the compiler now, so the first cell that imports
    // gankit does not pay for it.
    if (gankitNs) {
      const t4 = performance.now();
      try { convs.node.convert('', "import * as __gankit_warmup__ from 'gankit';\n"); } catch { /* only a warm-up */ }
      timings.warmup = performance.now() - t4;
    }
    timings.ready = performance.now() - t0;
    klog(`ready in ${timings.ready.toFixed(0)} ms (sockets ${timings.sockets.toFixed(0)}, converter ${timings.converter.toFixed(0)}, ` +
      `gankit ${(timings.gankit ?? 0).toFixed(0)}, backend ${(timings.backend ?? 0).toFixed(0)}${timings.backendName ? ` ${timings.backendName}` : ''}, ` +
      `typings ${(timings.warmup ?? 0).toFixed(0)} ms)`);
    ready();
  }

  // ---- execution -------------------------------------------------------------------------------------
  /** The executor prints a cell's last value with console.log(value): render rich values instead. */
  function lastValue(args) {
    const ctx = als.getStore();
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

  async function execute(sock, msg) {
    const { code = '', silent = false, stop_on_error = true } = msg.content;
    const ctx = /** @type {Ctx} */ ({
      parent: msg.header, count: 0, silent: !!silent, controller, errors: [], diagnostics: null,
      work: [], workErrors: [], closed: false, src: code,
    });
    running = ctx;
    lastParent = msg.header;
    status('busy', msg.header);
    if (!silent) {
      ctx.count = ++count;
      publish('execute_input', { code, execution_count: ctx.count }, msg.header);
    }
    await readyPromise;
    ctx.controller = controller; // an interrupt while waiting for init replaced it
    if (initWarning) { als.run(ctx, () => process.stderr.write(initWarning)); initWarning = ''; }
    let ok = false;
    convState.diagnostics = null;
    decls.pending = null;
    try {
      ok = await als.run(ctx, () => executor.execute(code));
    } catch (e) {
      ctx.errors.push(e);
    }
    ctx.diagnostics = ok ? null : convState.diagnostics;
    if (decls.pending !== null) decls.current = decls.pending;
    // Wait for outputs the cell started (rich results, displays, throttled updates), a few rounds at most:
    // work a background loop keeps adding after that no longer holds the reply.
    for (let round = 0; round < 8 && ctx.work.length > 0; round++) {
      const batch = ctx.work.splice(0);
      for (const r of await Promise.allSettled(batch)) if (r.status === 'rejected') ctx.workErrors.push(r.reason);
    }
    ctx.closed = true;
    if (graceTimer) { clearTimeout(graceTimer); graceTimer = null; }
    running = null;

    let err = null;
    const thrown = ctx.errors.filter((e) => !(e && typeof e === 'object' && 'diagnosticText' in e));
    if (!ok) {
      if (ctx.diagnostics) err = compileErrorContent(ctx.diagnostics, code);
      else if (thrown.length > 0) err = runtimeErrorContent(thrown[0]);
      else if (ctx.controller.signal.aborted) err = interruptContent();
      else err = { ename: 'Error', evalue: 'execution failed', traceback: ctx.errors.map((e) => String(e?.diagnosticText ?? e)) };
      if (isInterrupt(thrown[0]) && !ctx.controller.signal.aborted) interrupt('SIGINT during synchronous code');
    } else {
      // Cells that succeed can still have printed diagnostics (//%module cells): show them as stderr.
      const texts = ctx.errors.map((e) => (e && typeof e === 'object' && 'diagnosticText' in e ? e.diagnosticText : util.inspect(e)));
      if (texts.length) als.run(ctx, () => process.stderr.write(texts.join('\n') + '\n'));
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

  return { timings };
}
