// Per-execution context: each execute_request runs inside an AsyncLocalStorage context (its parent
// header, its abort signal, the output work it started), so output, displays and the interrupt signal
// of work a cell started stay attached to that cell even while other cells run.
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * @typedef {{ parent: object, count: number, silent: boolean, controller: AbortController,
 *   errors: unknown[], diagnostics: any[] | null, work: Promise<unknown>[], workErrors: unknown[],
 *   closed: boolean, src: string }} Ctx
 */

/** The kernel's execution state, shared by the message handlers, the execution and the library bridge. */
export function createExecutionState() {
  /** @type {AsyncLocalStorage<Ctx>} */
  const als = new AsyncLocalStorage();
  const state = {
    als,
    /** Shared by all executions since the last interrupt. */
    controller: new AbortController(),
    /** @type {Ctx | null} the execution that holds the kernel now */
    running: null,
    /** @type {object | null} parent header of the last execution */
    lastParent: null,
    /** Replaced by gankit's InterruptedError once the library is loaded. */
    InterruptedError: class InterruptedError extends Error { name = 'InterruptedError'; },
    /** @returns {Ctx | undefined} */
    current: () => als.getStore(),
    /** The parent header output should go to: its own cell while it runs, else the running cell, else its own. */
    route() {
      const ctx = als.getStore();
      if (ctx && !ctx.closed) return ctx.parent;
      return state.running?.parent ?? ctx?.parent ?? state.lastParent;
    },
  };
  return state;
}
