// The kernel's ZeroMQ side (as tslab's ZmqServer): binds shell, iopub and stdin on the main thread,
// starts the control/heartbeat worker (control-worker.mjs), queues sends, coalesces stream output and
// hands every parsed request to one message handler. Nothing here knows what a message means.
import { Worker } from 'node:worker_threads';
import { Wire, sendQueue } from './wire.mjs';

/** Stream output is coalesced for at most this long (ms). */
const STREAM_FLUSH_MS = 20;
/** A stream buffer larger than this (characters) is flushed at once. */
const STREAM_FLUSH_CHARS = 65536;

/** ZeroMQ address of one port of the connection file. */
export const socketAddress = (conn, port) => (conn.transport === 'ipc' ? `ipc://${conn.ip}-${port}` : `${conn.transport}://${conn.ip}:${port}`);

/**
 * Bind the sockets of a connection file and start the control worker.
 * @param {{ conn: any, root: string, zmq: any, log: (...a: unknown[]) => void, route: () => object | null,
 *   fallbackWrite: (name: 'stdout' | 'stderr', text: string) => void, watchdog: { shared: Int32Array, sigintMs: number, restartMs: number, noticeFile: string } }} opts
 *   route: the parent header stream output belongs to now (null: write to the real stdout/stderr)
 */
export async function openServer({ conn, root, zmq, log, route, fallbackWrite, watchdog }) {
  const wire = new Wire(conn.key ?? '', conn.signature_scheme ?? 'hmac-sha256');
  const iopub = new zmq.Publisher();
  const shell = new zmq.Router();
  const stdin = new zmq.Router();
  await Promise.all([
    iopub.bind(socketAddress(conn, conn.iopub_port)), shell.bind(socketAddress(conn, conn.shell_port)),
    stdin.bind(socketAddress(conn, conn.stdin_port)),
  ]);
  const onSendError = (e) => log('send failed:', e);
  const pubSend = sendQueue(iopub, onSendError);
  const shellSend = sendQueue(shell, onSendError);

  // Control and heartbeat live on a worker thread, so an interrupt is answered (and escalated) even
  // while user code blocks the main thread.
  const worker = new Worker(new URL('./control-worker.mjs', import.meta.url), {
    workerData: { conn, root, ...watchdog },
    stdout: false, stderr: false,
  });
  worker.unref();
  let workerReady;
  const workerUp = new Promise((resolve, reject) => { workerReady = resolve; worker.once('error', reject); });
  let closedWorker = null;
  /** Worker messages that arrive before serve() is called wait here. */
  let onWorkerMessage = null;
  const early = [];
  worker.on('message', (m) => {
    if (m.kind === 'ready') workerReady();
    else if (m.kind === 'closed') closedWorker?.();
    else if (m.kind === 'log') log(m.text);
    else if (onWorkerMessage) onWorkerMessage(m);
    else early.push(m);
  });
  worker.on('error', (e) => { if (!closing) log('control worker failed:', e); });
  let closing = false;
  /** The control socket as the handler sees it: replies go to the worker, which sends them. */
  const control = { name: 'control', send: (frames) => worker.postMessage({ kind: 'send', frames }) };

  // ---- stream output and publishing ----------------------------------------------------------------
  /** @type {Map<string, { parent: object, name: string, text: string }>} */
  const streamBuf = new Map();
  let streamTimer = null;
  const rawPublish = (type, content, parent) => {
    void pubSend(wire.frames(type, content, { parent: parent ?? {}, ids: [Buffer.from(`kernel.${wire.session}.${type}`)] }));
  };
  const flushStreams = () => {
    if (streamTimer) { clearTimeout(streamTimer); streamTimer = null; }
    const items = [...streamBuf.values()];
    streamBuf.clear();
    for (const s of items) rawPublish('stream', { name: s.name, text: s.text }, s.parent);
  };
  /** Publish on iopub, after any stream output buffered so far. */
  const publish = (type, content, parent) => { flushStreams(); rawPublish(type, content, parent); };
  const status = (state, parent) => publish('status', { execution_state: state }, parent);
  /** Reply to a request on the socket it came from. */
  const reply = (sock, req, type, content) => {
    flushStreams();
    const frames = wire.frames(type, content, { parent: req.header, ids: req.ids });
    if (sock === control) control.send(frames); else void shellSend(frames);
  };
  /** Buffer stdout/stderr text for the cell it belongs to. */
  const writeStream = (name, text) => {
    const parent = route();
    if (!parent) { fallbackWrite(name, text); return; }
    const key = `${name}:${parent.msg_id}`;
    const buf = streamBuf.get(key);
    if (buf) buf.text += text; else streamBuf.set(key, { parent, name, text });
    if ((buf?.text.length ?? text.length) > STREAM_FLUSH_CHARS) flushStreams();
    else if (!streamTimer) streamTimer = setTimeout(flushStreams, STREAM_FLUSH_MS);
  };

    /**
   * Serve requests: `onMessage(sock, msg)` for every valid message on shell and control;
   * `onWatchdog(event)` for the control worker's interrupt events.
   * @param {(sock: object, msg: any) => void} onMessage
   * @param {(event: { kind: string, msg?: any, seq?: number, how?: string }) => void} onWatchdog
   */
  const serve = (onMessage, onWatchdog) => {
    const handle = (sock, frames) => {
      let msg;
      try { msg = wire.parse(frames); } catch (e) { log('dropped message:', e.message); return; }
      onMessage(sock, msg);
    };
    const buffers = (frames) => frames.map((f) => Buffer.from(f.buffer, f.byteOffset, f.byteLength));
    onWorkerMessage = (m) => {
      if (m.kind === 'message') handle(control, buffers(m.frames));
      else if (m.kind === 'interrupt') {
        let msg = null;
        try { msg = wire.parse(buffers(m.frames)); } catch { /* the worker replied already */ }
        onWatchdog({ kind: 'interrupt', msg, seq: m.seq });
      } else if (m.kind === 'escalated') onWatchdog({ kind: 'escalated', how: m.how });
    };
    for (const m of early.splice(0)) onWorkerMessage(m);
    void (async () => {
      try { for await (const frames of shell) handle(shell, frames); }
      catch (e) { if (!closing) log('socket loop ended:', e); }
    })();
  };

  /** Flush, send everything queued, close all sockets (the worker's too). */
  const close = async () => {
    closing = true;
    flushStreams();
    await Promise.all([pubSend.drained(), shellSend.drained()]);
    await new Promise((resolve) => {
      closedWorker = resolve;
      worker.postMessage({ kind: 'close' });
      setTimeout(resolve, 500).unref();
    });
    for (const s of [iopub, shell, stdin]) { try { s.close(); } catch { /* ignore */ } }
  };

  await workerUp;
  return { wire, control, shell, publish, status, reply, writeStream, flushStreams, serve, close };
}
