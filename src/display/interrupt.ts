/**
 * Cooperative interruption for long-running loops (training, sampling). In the gankit kernel, an
 * interrupt (JupyterLab's stop button: SIGINT or an interrupt_request) aborts the signal of every
 * execution started before it; code started later gets a fresh signal. Loops check it between steps:
 *
 *   for (let step = 0; step < steps; step++) { checkInterrupt(); await trainStep(); }
 *
 * Outside the kernel the signal is never aborted unless `interruptAll()` is called (tests, CLIs).
 */
import { kernelBridge } from './bridge.js';

/** Thrown by `checkInterrupt()` once the kernel was interrupted; the kernel reports it as the cell's error. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  constructor(message = 'Interrupted by the user (kernel interrupt)') {
    super(message);
  }
}

let local = new AbortController();

/** The abort signal of the current kernel execution (outside the kernel: a process-wide signal). */
export function kernelSignal(): AbortSignal {
  return kernelBridge()?.signal() ?? local.signal;
}

/** True once the current execution was interrupted: stop after the current step. */
export function shouldStop(): boolean {
  return kernelSignal().aborted;
}

/** Throw an `InterruptedError` if the current execution was interrupted; otherwise do nothing (cheap). */
export function checkInterrupt(): void {
  const s = kernelSignal();
  if (s.aborted) throw s.reason instanceof InterruptedError ? s.reason : new InterruptedError();
}

/** Run `callback` once when the current execution is interrupted; returns a function that unregisters it. */
export function onInterrupt(callback: () => void): () => void {
  const s = kernelSignal();
  if (s.aborted) {
    queueMicrotask(callback);
    return () => {};
  }
  const listener = (): void => callback();
  s.addEventListener('abort', listener, { once: true });
  return () => s.removeEventListener('abort', listener);
}

/**
 * Abort the process-wide signal used outside the kernel (e.g. from a CLI's SIGINT handler or a test),
 * then start a fresh one for work started afterwards. Inside the kernel, interrupt the kernel instead.
 */
export function interruptAll(): void {
  const prev = local;
  local = new AbortController();
  prev.abort(new InterruptedError());
}
