// Message handling (as tslab's JupyterHandlerImpl): what each request type does. Execute requests
// queue and run one at a time; interrupts abort the shared signal, abort queued cells and detach a cell
// that does not stop by itself; kernel_info, completion, inspection, history, comms and shutdown reply.
import { PROTOCOL_VERSION } from './wire.mjs';
import { INTERRUPTED, runtimeErrorContent } from './errors.mjs';
import { completeReply, inspectReply, isCompleteReply } from './completion.mjs';

/** How long an interrupted cell may take to stop by itself (finish its current step) before it is detached. */
const GRACE_MS = Number(process.env.GANKIT_INTERRUPT_GRACE_MS ?? 3000);

/**
 * @param {{ server: Awaited<ReturnType<import('./server.mjs').openServer>>,
 *   state: ReturnType<import('./context.mjs').createExecutionState>, log: (...a: unknown[]) => void,
 *   info: { version: string, tslabVersion: string, tsVersion: string },
 *   watchdog: ReturnType<import('./watchdog.mjs').createWatchdogState> }} deps
 */
export function createHandlers({ server, state, log, info, watchdog }) {
  const { publish, status, reply } = server;
  /** @type {{ sock: any, msg: any }[]} */
  const queue = [];
  let graceTimer = null;
  let shuttingDown = false;
  let ready;
  /** Resolves once the runtime (converter, executor, gankit) is loaded. */
  const readyPromise = new Promise((r) => { ready = r; });
  /** @type {Awaited<ReturnType<import('./runtime.mjs').loadRuntime>> | null} */
  let runtime = null;
  /** @type {ReturnType<import('./execute.mjs').createExecution> | null} */
  let execution = null;

  const abortQueued = () => {
    for (const job of queue.splice(0)) {
      status('busy', job.msg.header);
      reply(job.sock, job.msg, 'execute_reply', { status: 'aborted', execution_count: null });
      status('idle', job.msg.header);
    }
  };

  /** Detach the running cell now: tslab's executor stops waiting for it (its code may go on in the background). */
  const detach = () => {
    if (graceTimer) { clearTimeout(graceTimer); graceTimer = null; }
    if (state.running && runtime) runtime.executor.interrupt();
  };

  const interrupt = (why) => {
    log(`interrupt (${why})`);
    const prev = state.controller;
    state.controller = new AbortController();
    prev.abort(new state.InterruptedError(INTERRUPTED));
    abortQueued();
    if (state.running && !graceTimer) {
      const ctx = state.running;
      graceTimer = setTimeout(() => {
        graceTimer = null;
        if (state.running === ctx) detach(); // the cell did not stop by itself
      }, GRACE_MS);
    }
  };

  const pump = async () => {
    if (state.running || queue.length === 0) return;
    const job = queue.shift();
    try { await execution.execute(job.sock, job.msg, readyPromise); } catch (e) { log('execute failed:', e); }
    if (graceTimer) { clearTimeout(graceTimer); graceTimer = null; }
    void pump();
  };

  const kernelInfo = () => ({
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: 'gankit',
    implementation_version: info.version,
    language_info: {
      name: 'typescript', version: info.tsVersion, mimetype: 'text/typescript', file_extension: '.ts',
      pygments_lexer: 'typescript', nbconvert_exporter: 'script',
      codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
    },
    banner: `gankit ${info.version}: TypeScript ${info.tsVersion} on Node ${process.version} (tslab ${info.tslabVersion})`,
    help_links: [],
  });

  /** @type {Record<string, (content: any) => object>} */
  const editorRequests = {
    is_complete_request: (c) => isCompleteReply(runtime, c),
    complete_request: (c) => completeReply(runtime, c),
    inspect_request: (c) => inspectReply(runtime, c),
  };

  /** Handle one parsed request from shell or control. */
  const onMessage = async (sock, msg) => {
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
          let content;
          try { content = { status: 'ok', ...editorRequests[type](msg.content) }; }
          catch (e) { content = { status: 'error', ...runtimeErrorContent(e) }; }
          reply(sock, msg, type.replace(/_request$/, '_reply'), content);
          break;
        }
        default: log(`ignored ${type}`);
      }
    } finally {
      if (!shuttingDown) status('idle', msg.header);
    }
  };

  /** Interrupt events from the control worker (interrupt_request, already replied to; escalations). */
  const onWatchdog = (event) => {
    if (event.kind === 'escalated') log(`watchdog escalated: ${event.how}`);
    if (event.kind === 'interrupt') {
      if (event.msg) status('busy', event.msg.header);
      interrupt('interrupt_request');
      watchdog.ack(event.seq);
      if (event.msg) status('idle', event.msg.header);
    }
  };

  const shutdown = async () => {
    shuttingDown = true;
    log('shutting down');
    setTimeout(() => process.exit(0), 1000).unref();
    await server.close();
    try { runtime?.executor?.close?.(); } catch { /* ignore */ }
    process.exit(0);
  };

  return {
    onMessage, onWatchdog, interrupt, abortQueued,
    /** Connect the execution and the loaded runtime; queued cells start once `markReady` is called. */
    setExecution(e) { execution = e; },
    markReady(r) { runtime = r; ready(); },
  };
}
