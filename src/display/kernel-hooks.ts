/**
 * What the kernel launcher (kernel/launcher.mjs) imports from the compiled library. Internal: not
 * re-exported from the package entry, and may change with the kernel.
 */
export { prepareRich, normalizeBundle, plainText } from './rich.js';
export { flushDisplays, publishInOrder, QUIET } from './display.js';
import { QUIET } from './display.js';

/** True for values the kernel should neither render nor print as a cell's last value (display handles). */
export function isQuiet(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[QUIET] === true;
}
export { BRIDGE_KEY, setKernelBridge, type KernelBridge } from './bridge.js';
export { InterruptedError } from './interrupt.js';
