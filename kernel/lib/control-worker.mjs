// The control channel and heartbeat, on a worker thread: they keep answering while user code blocks
// the main thread. An interrupt is answered at once and forwarded to the main thread; if the main
// thread does not handle it and its event loop stops turning (watchdog.mjs's shared state), it escalates:
//  - while the main thread runs a cell's own code synchronously (vm with breakOnSigint) and has done so
//    for `sigintMs` without a heartbeat: SIGINT to this process, which breaks that code;
//  - while a cell runs but the main thread is outside that synchronous code (e.g. `while (true) {}`
//    after an `await`, where neither SIGINT nor the kernel's own timers can reach) and has been blocked
//    there for `restartMs`: it writes a restart notice (which cell, why) next to the connection file and
//    ends the process; Jupyter restarts the kernel (JupyterLab says "the kernel appears to have died. It
//    will restart automatically") and the new kernel shows the notice in the first cell it runs.
//    (V8 can terminate such code, but Node 20 then aborts on its async-hooks stack check: a restart is
//    the clean way out.)
// It never escalates while the main thread compiles a cell or does anything else.
// Messages: worker -> main { kind: 'ready' | 'message' | 'interrupt' | 'escalated' | 'log' | 'closed' },
// main -> worker { kind: 'send' | 'close' }.
import { parentPort, workerData } from 'node:worker_threads';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { Wire, sendQueue } from './wire.mjs';
import { socketAddress } from './server.mjs';
import { BEAT_MS, PHASE, SLOT, restartNotice } from './watchdog.mjs';

const { conn, shared, sigintMs, restartMs, root, noticeFile } = workerData;
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
let watch = null;
/** Leave a notice for the next kernel and end this process (the main thread cannot be reached). */
function restartProcess() {
  const cell = Atomics.load(shared, SLOT.CELL);
  try { fs.writeFileSync(noticeFile, JSON.stringify(restartNotice(cell))); } catch { /* the restart still happens */ }
  process.kill(process.pid, 'SIGKILL');
}
function stopWatch() {
  if (watch) clearInterval(watch.timer);
  watch = null;
}
/** Watch interrupt number `seq` until the main thread handles it, escalating while its loop is blocked. */
function watchInterrupt(seq) {
  stopWatch();
  const w = { seq, beat: Atomics.load(shared, SLOT.BEAT), phase: Atomics.load(shared, SLOT.PHASE), since: performance.now(), sigint: false, timer: null };
  w.timer = setInterval(() => {
    if (Atomics.load(shared, SLOT.ACKED) >= w.seq) return stopWatch();
    const beat = Atomics.load(shared, SLOT.BEAT);
    const phase = Atomics.load(shared, SLOT.PHASE);
    const now = performance.now();
    // Blocked: no heartbeat and no change of phase for `blocked` ms (compiling first does not count).
    if (beat !== w.beat || phase !== w.phase) { w.beat = beat; w.phase = phase; w.since = now; return; }
    const blocked = now - w.since;
    if (phase === PHASE.CELL_CODE && blocked >= sigintMs && !w.sigint) {
      w.sigint = true;
      Atomics.store(shared, SLOT.SELF_SIGINT, 1);
      parentPort.postMessage({ kind: 'escalated', how: 'sigint' });
      process.kill(process.pid, 'SIGINT');
    } else if (phase === PHASE.OTHER && Atomics.load(shared, SLOT.RUNNING) === 1 && blocked >= restartMs) {
      stopWatch();
      restartProcess();
    }
  }, BEAT_MS);
  watch = w;
}

parentPort.on('message', async (m) => {
  if (m.kind === 'send') void send(m.frames);
  else if (m.kind === 'close') {
    closing = true;
    stopWatch();
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
        const seq = Atomics.add(shared, SLOT.SEQ, 1) + 1;
        parentPort.postMessage({ kind: 'interrupt', frames: raw, seq });
        watchInterrupt(seq);
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
