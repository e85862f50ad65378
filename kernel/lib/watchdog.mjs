import fs from 'node:fs';

// The main thread's side of the interrupt watchdog (control-worker.mjs runs the other side). Both share
// one Int32Array, so the worker can tell, without waiting for the main thread, whether an interrupt was
// handled, whether the main thread's event loop still turns, and what the main thread is doing.

/** Slots of the shared Int32Array. */
export const SLOT = Object.freeze({
  /** What the main thread does: PHASE.* */
  PHASE: 0,
  /** Incremented by a main-thread timer every BEAT_MS while its event loop turns. */
  BEAT: 1,
  /** Sequence number of the last interrupt the main thread handled. */
  ACKED: 2,
  /** Sequence number of the last interrupt the worker forwarded. */
  SEQ: 3,
  /** 1 while a cell executes (from execute_request to its reply). */
  RUNNING: 4,
  /** 1 after the worker sent SIGINT itself (the main thread's SIGINT listener then ignores it). */
  SELF_SIGINT: 5,
  /** Execution count of the running cell. */
  CELL: 6,
});
/** Values of SLOT.PHASE. */
export const PHASE = Object.freeze({ OTHER: 0, CELL_CODE: 1, COMPILING: 2 });
/** Heartbeat period of the main thread (ms). */
export const BEAT_MS = 100;

/** Create the shared state and start the heartbeat (an unref'd timer: it keeps nothing alive). */
export function createWatchdogState() {
  const shared = new Int32Array(new SharedArrayBuffer(4 * 7));
  if (!process.env.NOBEAT) setInterval(() => Atomics.add(shared, SLOT.BEAT, 1), BEAT_MS).unref();
  return {
    shared,
    /** @param {number} phase one of PHASE */
    setPhase: (phase) => Atomics.store(shared, SLOT.PHASE, phase),
    /** A cell (execution count `count`) starts or (null) ends. */
    setRunning: (count) => { Atomics.store(shared, SLOT.RUNNING, count === null ? 0 : 1); Atomics.store(shared, SLOT.CELL, count ?? 0); },
    /** The main thread handled interrupt number `seq`. */
    ack: (seq) => { Atomics.store(shared, SLOT.ACKED, seq); Atomics.store(shared, SLOT.SELF_SIGINT, 0); },
    /** True (once) when the SIGINT just received was the watchdog's own. */
    takeSelfSigint: () => Atomics.exchange(shared, SLOT.SELF_SIGINT, 0) === 1,
  };
}

/** What the watchdog leaves for the next kernel when it ends a blocked one. */
export function restartNotice(cell) {
  return { cell, at: new Date().toISOString() };
}

/** Where the notice for `connectionFile` is kept. */
export const noticePath = (connectionFile) => `${connectionFile}.gankit-restart.json`;

/**
 * Read and remove the notice a previous kernel's watchdog left: the message for the user, or ''.
 * @param {string} connectionFile
 */
export function takeRestartNotice(connectionFile) {
  let notice;
  try { notice = JSON.parse(fs.readFileSync(noticePath(connectionFile), 'utf8')); } catch { return ''; }
  try { fs.unlinkSync(noticePath(connectionFile)); } catch { /* read once is enough */ }
  const cell = notice.cell ? `cell [${notice.cell}]` : 'a cell';
  return `The kernel was restarted: after an interrupt, ${cell} kept the event loop blocked (e.g. a loop ` +
    'without await after an await), which only a restart can stop. Variables are gone: rerun the cells you need.\n';
}
