/**
 * gankit's optional native kernels (addon/, built by scripts/build-addon.sh): the warp sampler, the
 * separable resize, tables, luma, saturation, histograms, sharpness and hflip in C++, bit-identical to the JavaScript versions they
 * replace (float32 step for step). Loaded when built; GANKIT_NO_ADDON=1 forces the JavaScript
 * fallback. `addonStatus()` says which one runs.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Environment variable that disables the addon when set to 1 (or true). */
export const NO_ADDON_ENV = 'GANKIT_NO_ADDON';

/** The addon's functions: synchronous, on an image (data, width, height, channels), writing `out` (which must not overlap data); rows split over up to 8 threads. */
export interface EditAddon {
  /** warpRaw's sampler into out (outWidth x outHeight); coef: 6 affine or 8 perspective float32 grid coefficients; fill: float32 per channel or undefined. */
  warp(data: Uint8Array, width: number, height: number, channels: number, out: Uint8Array, outWidth: number, outHeight: number,
    perspective: number, coef: Float32Array, bilinear: number, fill: Float32Array | undefined): void;
  /** applyLuts: one 256-entry table (all colour channels) or 256 per colour channel, packed; alpha copied. */
  applyLuts(data: Uint8Array, width: number, height: number, channels: number, out: Uint8Array, luts: Uint8Array): void;
  /** grayscalePixels: luma into out (pixels x (outChannels + alpha) bytes). */
  grayscale(data: Uint8Array, width: number, height: number, channels: number, out: Uint8Array, outChannels: number): void;
  /** saturationPixels (3 or 4 channels): out = mix[floor(luma) << 8 | x] per colour value, mix the 65536-entry blend table; alpha copied. */
  saturation(data: Uint8Array, width: number, height: number, channels: number, out: Uint8Array, mix: Uint8Array): void;
  /** sharpnessPixels (width, height >= 3): blend with the rounded 3x3 degenerate image by factor f (as a double: float32(f), float32(1 - f)); alpha copied. */
  sharpness(data: Uint8Array, width: number, height: number, channels: number, out: Uint8Array, factor: number): void;
  /** histograms: per colour channel 256 counts into out (colour channels x 256). */
  histograms(data: Uint8Array, width: number, height: number, channels: number, out: Float64Array): void;
  /** hflipPixels: each row's pixels in reverse order. */
  hflip(data: Uint8Array, width: number, height: number, channels: number, out: Uint8Array): void;
  /** resizeRaw's separable passes (width, then height; a null start skips a pass): per output position i its taps index[start[i]..start[i+1]) and weights; rounded half to even. */
  resize(data: Uint8Array, width: number, height: number, channels: number, out: Uint8Array, outWidth: number, outHeight: number,
    wStart: Int32Array | null, wIndex: Int32Array | null, wWeight: Float32Array | null,
    hStart: Int32Array | null, hIndex: Int32Array | null, hWeight: Float32Array | null): void;
}

/** Where the addon is looked for: addon/build/Release above this module (src/edit/ under tsx, dist/src/edit/ when built). */
export function addonCandidates(): string[] {
  return ['../../', '../../../'].map((up) => fileURLToPath(new URL(`${up}addon/build/Release/gankit_addon.node`, import.meta.url)));
}

/** Load the addon from the first candidate path that exists, unless GANKIT_NO_ADDON is set; status is 'native addon <path>' or 'JavaScript fallback (<why>)'. */
function loadAddon(): { module: EditAddon | undefined; status: string } {
  const flag = process.env[NO_ADDON_ENV];
  const off = (why: string) => ({ module: undefined, status: `JavaScript fallback (${why})` });
  if (flag === '1' || flag === 'true') return off(`${NO_ADDON_ENV}=${flag}`);
  const path = addonCandidates().find((p) => existsSync(p));
  if (!path) return off('addon not built: run bash scripts/build-addon.sh');
  try {
    return { module: createRequire(import.meta.url)(path) as EditAddon, status: `native addon ${path}` };
  } catch (e) {
    return off(`addon at ${path} failed to load: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
}

const loaded = loadAddon();
let enabled = true;

/** The native kernels, or undefined when the JavaScript fallback runs (not built, failed to load, GANKIT_NO_ADDON=1, or switched off). */
export function nativeKernels(): EditAddon | undefined {
  return enabled ? loaded.module : undefined;
}

/** Switch the loaded addon off (false) or back on (true) for this process, e.g. to compare both implementations; returns the previous setting. */
export function setAddonEnabled(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Which implementation the sharp path's warps and pixel loops use now: 'native addon <path>' or 'JavaScript fallback (<why>)'. */
export function addonStatus(): string {
  return loaded.module && !enabled ? 'JavaScript fallback (addon switched off by setAddonEnabled(false))' : loaded.status;
}
