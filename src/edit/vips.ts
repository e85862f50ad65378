/**
 * gankit's libvips pipelines (addon/vips, built by scripts/build-addon.sh as gankit_vips.node, apart
 * from the pixel kernels of src/edit/addon.ts): decode -> per-pixel op -> encode of an encoded source
 * in one libvips pipeline, on sharp's own libvips (the addon links the same shared library, so one
 * libvips instance serves both). Bytes identical to decodeSource -> the op's 8-bit kernel ->
 * encodeRaw. Off with GANKIT_NO_ADDON=1 or setAddonEnabled(false), or when not built.
 */
import sharp from 'sharp'; // imported first: sharp starts libvips before the addon links to it
import { GankitError } from '../util/errors.js';
import { addonEnabled, builtModuleCandidates, loadBuiltModule, type LoadedModule } from './addon.js';
import { outputBuffer, type PointSpec, type RawImage, type SharpInput, type WholeEdit } from './core.js';
import type { EditImageFormat } from './raw.js';

/** The op argument of the addon's pointPipeline. */
type NativePointOp =
  | { kind: 'lut'; luts: Uint8Array }
  | { kind: 'grayscale'; outChannels: 1 | 3 }
  | { kind: 'saturation'; fa: number; fb: number }
  | { kind: 'hflip' }
  | { kind: WholeEdit };

/** The functions of gankit_vips.node. */
interface VipsAddon {
  /** The libvips version the addon runs on ('8.18.7'). */
  libvipsVersion(): string;
  /**
   * Decode source (a path or encoded bytes; 8-bit, 1 or 3 bands) -> op -> encode, on the libuv pool; rejects with an
   * Error naming the libvips failure. autocontrast / equalize decode into memory first (counting histograms), then table + encode.
   */
  pointPipeline(source: string | Uint8Array, op: NativePointOp, format: EditImageFormat, quality: number): Promise<Buffer>;
  /**
   * Decode source (opened as pointPipeline does) into out (width x height x channels bytes), on the libuv pool; rejects when it
   * decodes to another size, channel count or depth. onRows(rowsDone) reports the rows written so far, in order.
   */
  decodeInto(source: string | Uint8Array, out: Uint8Array, width: number, height: number, channels: 1 | 3, onRows?: (rows: number) => void): Promise<true>;
}

/** Where gankit_vips.node is looked for: addon/vips/build/Release above this module. */
export function vipsAddonCandidates(): string[] {
  return builtModuleCandidates('addon/vips/build/Release/gankit_vips.node');
}

/** Load gankit_vips, refusing it when it was built against another libvips than the one sharp loaded. */
function load(): LoadedModule<VipsAddon> {
  return loadBuiltModule<VipsAddon>(vipsAddonCandidates(), { name: 'gankit_vips', loaded: 'libvips pipelines', fallback: 'sharp steps only' }, (addon) => {
    const version = addon.libvipsVersion();
    return version === sharp.versions.vips ? undefined : `gankit_vips runs libvips ${version}, sharp ${sharp.versions.vips}: rebuild it`;
  });
}

let loaded: LoadedModule<VipsAddon> | undefined;

/** The addon when it can run (built, loaded, same libvips as sharp, not switched off), else undefined. */
function activeAddon(): VipsAddon | undefined {
  loaded ??= load();
  return addonEnabled() ? loaded.module : undefined;
}

/** True when the fused libvips point pipelines can run (built, loaded, same libvips as sharp, not switched off). */
export function hasPointPipeline(): boolean {
  return activeAddon() !== undefined;
}

/** Which implementation encoded-source point edits use: 'libvips pipelines <path>' or 'sharp steps only (<why>)'. */
export function vipsStatus(): string {
  loaded ??= load();
  return loaded.module && !addonEnabled() ? 'sharp steps only (switched off by setAddonEnabled(false))' : loaded.status;
}

/** The addon's form of a PointSpec: tables packed, saturation factors as float32 f and 1 - f. */
function nativeOp(spec: PointSpec): NativePointOp {
  if (spec.kind === 'grayscale' || spec.kind === 'hflip') return spec;
  if (spec.kind === 'saturation') return { kind: 'saturation', fa: Math.fround(spec.factor), fb: Math.fround(1 - spec.factor) };
  if (spec.luts.length !== 1 && spec.luts.length !== 3) throw new GankitError(`Expected 1 or 3 tables for a point op but received ${spec.luts.length}`);
  const luts = new Uint8Array(256 * spec.luts.length);
  spec.luts.forEach((t, k) => {
    if (t.length !== 256) throw new GankitError(`Expected 256-entry tables for a point op but table ${k} has ${t.length}`);
    luts.set(t, 256 * k);
  });
  return { kind: 'lut', luts };
}

/** Run op in the addon; GankitError when it is unavailable or libvips fails. */
async function run(source: string | Uint8Array, op: () => NativePointOp, format: EditImageFormat, quality: number): Promise<Buffer> {
  const addon = activeAddon();
  if (!addon) throw new GankitError(`No libvips point pipeline: ${vipsStatus()}`);
  const native = op();
  try {
    return await addon.pointPipeline(source, native, format, quality);
  } catch (e) {
    throw new GankitError(`Cannot run the fused ${format} pipeline on ${typeof source === 'string' ? `file ${JSON.stringify(source)}` : `${source.byteLength}-byte buffer`}: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}`);
  }
}

/**
 * Decode an encoded source (file path or bytes: 8-bit sRGB or grey, no alpha), run a per-pixel op and
 * encode as sharp's .png() / .jpeg({ quality, optimiseCoding: false }) / .webp({ quality }) would
 * (quality 1..100, default 80), in one libvips pipeline off the JavaScript thread. Rejects with a
 * GankitError when the addon is unavailable or libvips fails (unreadable, truncated, too large).
 */
export function pointPipeline(source: string | Uint8Array, spec: PointSpec, format: EditImageFormat, quality = 80): Promise<Buffer> {
  return run(source, () => nativeOp(spec), format, quality);
}

/**
 * As pointPipeline for autocontrast / equalize, whose tables need the whole image: decode into memory
 * (the per-channel histograms counted on another thread while decoding), then the tables inside the
 * encoder's pipeline. Bytes identical to decodeSource -> the op's kernel -> encodeRaw.
 */
export function wholePipeline(source: string | Uint8Array, edit: WholeEdit, format: EditImageFormat, quality = 80): Promise<Buffer> {
  return run(source, () => ({ kind: edit }), format, quality);
}

/** A decode under way into a buffer of gankit's (startDecode). */
export interface Decoding {
  /** The image being written: read a row only after rowsReady covers it, or all of it after `done`. */
  image: RawImage;
  /** Resolves once the first `rows` rows are decoded (0..height); rejects if decoding fails. */
  rowsReady(rows: number): Promise<void>;
  /** Resolves true when every row is decoded, false when decoding failed (the image is then unusable). */
  done: Promise<boolean>;
}

/**
 * Start decoding an encoded source whose metadata fusableMetadata accepted (8-bit sRGB or grey, no alpha,
 * no profile) straight into a fresh output buffer (outputBuffer: a recycled block for a large image, so no
 * page of it faults in fresh), giving decodeSource's pixels; rows can be used as they arrive. Undefined
 * when gankit_vips is unavailable.
 */
export function startDecode(source: string | Uint8Array, size: SharpInput): Decoding | undefined {
  const addon = activeAddon();
  if (!addon) return undefined;
  const { width, height, channels } = size;
  const image: RawImage = { data: outputBuffer(width * height * channels), width, height, channels };
  let rows = 0;
  let failed = false;
  const waiting: { rows: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  const settle = () => {
    for (let i = waiting.length - 1; i >= 0; i--) {
      const w = waiting[i]!;
      if (failed) w.reject(new GankitError('Decoding failed before the rows were ready'));
      else if (rows >= w.rows) w.resolve();
      else continue;
      waiting.splice(i, 1);
    }
  };
  const done = addon.decodeInto(source, image.data, width, height, channels, (n) => {
    rows = Math.max(rows, n);
    settle();
  }).then(() => true, () => false).then((ok) => {
    if (ok) rows = height;
    else failed = true;
    settle();
    return ok;
  });
  const rowsReady = (n: number): Promise<void> => {
    if (failed) return Promise.reject(new GankitError('Decoding failed before the rows were ready'));
    if (rows >= n) return Promise.resolve();
    return new Promise((resolve, reject) => waiting.push({ rows: n, resolve, reject }));
  };
  return { image, rowsReady, done };
}

/** startDecode, awaited: the pixels, or undefined when gankit_vips is unavailable or the decode fails or differs (the caller then decodes with sharp and reports any error). */
export async function decodeIntoOutput(source: string | Uint8Array, size: SharpInput): Promise<RawImage | undefined> {
  const decoding = startDecode(source, size);
  return decoding && (await decoding.done) ? decoding.image : undefined;
}
