// The control channel and heartbeat, on a worker thread: they keep answering while user code blocks
// the main thread, and an interrupt that the main thread does not acknowledge is escalated:
//  1. after `sigintMs`, when the main thread is inside a cell's synchronous code (vm, breakOnSigint):
//     SIGINT to this process, which breaks that code;
//  2. after `terminateMs`: the inspector's Runtime.terminateExecution on the main thread, which ends
//     whatever JavaScript runs there (e.g. `while (true) {}` after an `await`, where neither SIGINT nor
//     the kernel's own timers can reach). The event loop then goes on; the main thread detaches the cell.
// Messages: worker -> main { kind: 'ready' | 'message' | 'interrupt' | 'escalated' | 'log' | 'closed' },
// main -> worker { kind: 'send' | 'ack' | 'close' }.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import inspector from 'node:inspector';
import path from 'node:path';
import { Wire, sendQueue } from './wire.mjs';
import { IN_SYNC_CODE, socketAddress } from './server.mjs';

const { conn, shared, sigintMs, terminateMs, root } = workerData;
const zmq = createRequire(path.join(root, 'package.json'))('zeromq');
const addr = (port) => socketAddress(conn, port);
const log = (text) => parentPort.postMessage({ kind: 'log', text });
const wire = new Wire(conn.key ?? '', conn.signature_scheme ?? 'hmac-sha256');
const control = new zmq.Router();
const hb = new zmq.Reply();
await Promise.all([control.bind(addr(conn.control_port)), hb.bind(addr(conn.hb_port))]);
const send = sendQueue(control, (e) => log(`control send failed: ${e}`));
let closing = false;

// ---- interrupt escalation ------------------------------------------------------------------------
let pending = null;
function terminateMain() {
  const session = new inspector.Session();
  session.connectToMainThread();
  session.post('Runtime.terminateExecution', (err) => {
    session.disconnect();
    if (err) log(`watchdog: terminateExecution failed: ${err.message}`);
    else parentPort.postMessage({ kind: 'escalated', how: 'terminate' });
  });
}
function startEscalation() {
  if (pending) return;
  pending = {
    sigint: setTimeout(() => {
      if (Atomics.load(shared, IN_SYNC_CODE) === 1) {
        parentPort.postMessage({ kind: 'escalated', how: 'sigint' });
        process.kill(process.pid, 'SIGINT');
      }
    }, sigintMs),
    terminate: setTimeout(() => { pending = null; terminateMain(); }, terminateMs),
  };
}
function stopEscalation() {
  if (!pending) return;
  clearTimeout(pending.sigint);
  clearTimeout(pending.terminate);
  pending = null;
}

parentPort.on('message', async (m) => {
  if (m.kind === 'send') void send(m.frames);
  else if (m.kind === 'ack') stopEscalation();
  else if (m.kind === 'close') {
    closing = true;
    stopEscalation();
    await send.drained();
    for (const s of [control, hb]) { try { s.close(); } catch { /* ignore */ } }
    parentPort.postMessage({ kind: 'closed' });
  }
});

void (async () => {
  try {
    for await (const frames of control) {
      let msg;
      try { msg = wire.parse(frames); } catch (e) { log(`dropped control message: ${e.message}`); continue; }
      const raw = frames.map((f) => new Uint8Array(f));
      if (msg.header.msg_type === 'interrupt_request') {
        // Answer at once (the main thread may be blocked), then let the main thread interrupt.
        void send(wire.frames('interrupt_reply', { status: 'ok' }, { parent: msg.header, ids: msg.ids }));
        parentPort.postMessage({ kind: 'interrupt', frames: raw });
        startEscalation();
      } else {
        parentPort.postMessage({ kind: 'message', frames: raw });
      }
    }
  } catch (e) { if (!closing) log(`control loop ended: ${e}`); }
})();
void (async () => {
  try { for await (const frames of hb) await hb.send(frames); } catch { /* closed */ }
})();
parentPort.postMessage({ kind: 'ready' });
