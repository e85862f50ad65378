/**
 * The seam between the gankit library and the gankit kernel. The kernel launcher (kernel/launcher.mjs)
 * installs a `KernelBridge` on `globalThis[Symbol.for('gankit.kernel.bridge')]`; the library looks it up
 * at call time, so display and interrupt helpers work in the kernel and degrade gracefully elsewhere
 * (plain Node scripts, tests, the CLI). A global symbol rather than module state keeps one bridge even
 * when two copies of gankit are loaded.
 */
import type { MimeBundle } from './types.js';

/** The global key the kernel installs its bridge under. */
export const BRIDGE_KEY: unique symbol = Symbol.for('gankit.kernel.bridge') as never;

/** Content of a Jupyter display_data / update_display_data message. */
export interface DisplayContent {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient?: { display_id?: string };
}

/** What the kernel offers the library. */
export interface KernelBridge {
  /** Bridge protocol version (1). */
  readonly version: 1;
  /** Send display_data (update=false) or update_display_data (update=true) to the cell that started this work. */
  publish(content: DisplayContent, update: boolean): void;
  /** Hold the current cell's execute_reply until `work` settles, so its outputs land in the cell. */
  track(work: Promise<unknown>): void;
  /** The abort signal of the current execution; aborted when the user interrupts the kernel. */
  signal(): AbortSignal;
  /** Execution count of the running cell (as `In [n]` shows it), or null outside a cell. */
  cell?(): number | null;
  /** The notebook variable holding `obj` (e.g. 'gan', 'trainer.gan'), or null. */
  nameOf?(obj: object): string | null;
}

/** The installed bridge, or undefined outside the gankit kernel. */
export function kernelBridge(): KernelBridge | undefined {
  return (globalThis as Record<symbol, unknown>)[BRIDGE_KEY] as KernelBridge | undefined;
}

/** Install (or with undefined, remove) the bridge; returns the previous one. Used by the kernel and by tests. */
export function setKernelBridge(bridge: KernelBridge | undefined): KernelBridge | undefined {
  const g = globalThis as Record<symbol, unknown>;
  const prev = g[BRIDGE_KEY] as KernelBridge | undefined;
  if (bridge) g[BRIDGE_KEY] = bridge;
  else delete g[BRIDGE_KEY];
  return prev;
}

/** True when running inside the gankit kernel (a bridge is installed). */
export function inKernel(): boolean {
  return kernelBridge() !== undefined;
}
