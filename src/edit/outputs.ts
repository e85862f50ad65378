/**
 * Where the sharp path's large output buffers come from: gankit_alloc (addon/alloc, optional, built by
 * scripts/build-addon.sh) recycles a dead output's memory as soon as V8 sweeps it, so back-to-back
 * edits of a photo write into pages that are already mapped (no page faults, no zeroing) instead of a
 * fresh 36 MB mapping each; without it outputs are Buffer.allocUnsafeSlow memory. `outputsStatus()`
 * says which one runs.
 */
import { invalidParameterError } from '../util/errors.js';
import { isPlainObject } from '../util/is.js';
import { addonEnabled, builtModuleCandidates, loadBuiltModule } from './addon.js';
import type { RawImage } from './core.js';

/** Counters of gankit_alloc's block pool (bytes are whole 2 MiB blocks). */
export interface OutputPoolStats {
  /** Outputs served from an idle block / from a fresh mapping, since the process started. */
  reused: number;
  mapped: number;
  /** Blocks whose buffers V8 has collected, kept for reuse (at most limitBytes; oldest unmapped first). */
  idleBlocks: number;
  idleBytes: number;
  /** Blocks behind buffers that are still alive (or not yet swept). */
  liveBlocks: number;
  liveBytes: number;
  limitBytes: number;
}

interface AllocAddon {
  output(bytes: number): Uint8Array;
  stats(): OutputPoolStats;
  setIdleLimit(bytes: number): number;
  trim(ms: number): number;
  release(view: unknown): boolean;
}

/** Outputs of at least this many bytes (8 MiB) come from the pool; smaller ones from malloc, which reuses freed heap blocks itself. */
export const POOLED_OUTPUT_BYTES = 8 << 20;

const loaded = loadBuiltModule<AllocAddon>(builtModuleCandidates('addon/alloc/build/Release/gankit_alloc.node'), {
  name: 'gankit_alloc', loaded: 'recycled output blocks', fallback: 'Buffer.allocUnsafeSlow',
});

/** Idle blocks are unmapped after this long (ms) without reuse, by a timer that does not keep the process alive. */
export const OUTPUT_IDLE_MS = 20_000;
let trimTimer: NodeJS.Timeout | undefined;

/** Arm the trim timer while the pool holds blocks (idle, or live and idle later). */
function scheduleTrim(p: AllocAddon): void {
  if (trimTimer) return;
  trimTimer = setTimeout(() => {
    trimTimer = undefined;
    p.trim(OUTPUT_IDLE_MS);
    const s = p.stats();
    if (s.idleBlocks > 0 || s.liveBlocks > 0) scheduleTrim(p);
  }, OUTPUT_IDLE_MS);
  trimTimer.unref();
}

/** The pool, or undefined when gankit_alloc is not built or not loaded, or the addons are switched off. */
function pool(): AllocAddon | undefined {
  return addonEnabled() ? loaded.module : undefined;
}

/** `bytes` (an integer >= 1) uninitialised bytes for a kernel that writes every one: a pooled block from 8 MiB up when gankit_alloc is loaded, else Buffer.allocUnsafeSlow memory. */
export function uninitialisedBytes(bytes: number): Uint8Array {
  const p = pool();
  if (p && bytes >= POOLED_OUTPUT_BYTES) {
    const out = p.output(bytes);
    scheduleTrim(p);
    return out;
  }
  const b = Buffer.allocUnsafeSlow(bytes);
  return new Uint8Array(b.buffer, b.byteOffset, bytes);
}

/** A copy of `data` in uninitialised bytes (uninitialisedBytes), for the copies of whole images that opening raw pixels and toRaw make. */
export function copyBytes(data: Uint8Array): Uint8Array {
  const out = uninitialisedBytes(data.length);
  out.set(data);
  return out;
}

/**
 * Hand a large output (a toRaw() result or its data) back to gankit's pool now instead of when V8
 * collects it, so the next edit reuses its pages: its buffer is detached (every view of it becomes empty).
 * Only for pixels nothing is still reading (an unfinished sharp job, a worker). Returns false and changes
 * nothing for any other array (small outputs, your own buffers) or without gankit_alloc.
 */
export function releasePixels(pixels: RawImage | Uint8Array): boolean {
  const data = pixels instanceof Uint8Array ? pixels : isPlainObject(pixels) ? (pixels as { data?: unknown }).data : undefined;
  if (!(data instanceof Uint8Array)) throw invalidParameterError('pixels', 'a RawImage { data, width, height, channels } or its Uint8Array data', pixels);
  return loaded.module?.release(data) ?? false;
}

/** The pool's counters, or undefined without gankit_alloc. */
export function outputPoolStats(): OutputPoolStats | undefined {
  return pool()?.stats();
}

/** Keep at most `bytes` (integer >= 0; default 256 MiB) of collected output blocks for reuse (each is unmapped after OUTPUT_IDLE_MS unused anyway); 0 unmaps every idle block now. Returns the previous limit (undefined without gankit_alloc). */
export function setOutputPoolLimit(bytes: number): number | undefined {
  if (!Number.isInteger(bytes) || bytes < 0 || bytes > 2 ** 40) {
    throw new RangeError(`setOutputPoolLimit: bytes must be an integer in [0, 2^40], got ${String(bytes)}`);
  }
  return loaded.module?.setIdleLimit(bytes);
}

/** Where large outputs come from now: 'recycled output blocks <path>' or 'Buffer.allocUnsafeSlow (<why>)'. */
export function outputsStatus(): string {
  return loaded.module && !addonEnabled() ? 'Buffer.allocUnsafeSlow (addons switched off by setAddonEnabled(false))' : loaded.status;
}
