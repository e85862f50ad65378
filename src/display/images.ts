/**
 * `application/vnd.gankit.images.v1+json` bundles: a grid of images (each PNG at native resolution up to
 * `maxImageSize`), with torchvision make_grid layout (`nrow`, `padding`, `padValue`) and optional captions.
 * The `image/png` fallback is the composed grid. Bounded: at most 256 images and `maxBytes` of PNG data.
 */
import * as tf from '@tensorflow/tfjs';
import { GankitError, invalidParameterError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { clipLabel, fmt, isTensor, JUPYTER_DISPLAY, type Prepared } from './common.js';
import { pngBase64, strideFor, upscale, upscaleFactors } from './raster.js';
import { decodeSource } from '../image/decode.js';
import type { RawImage } from '../image/raw.js';
import { IMAGES_MIME, type ImagesPayload, type MimeBundle } from './types.js';


/** One image: a tensor (HW, HWC, or a batch), encoded bytes (PNG/JPEG/WebP) or raw pixels. */
export type GridImage = tf.Tensor | Uint8Array | RawImage;

/** What imagesBundle accepts: an NHWC (or NCHW, HWC, HW, NHW) tensor, or an array of image sources. */
export type ImagesInput = tf.Tensor | readonly GridImage[];

/** Value range of tensor inputs: how values map to 0..255. */
export type DisplayRange = 'auto' | '0-1' | '-1-1' | 'uint8' | [number, number];

export interface ImagesBundleOptions {
  /** Images per row, integer >= 1 (default 8, as torchvision make_grid). */
  nrow?: number;
  /** Padding in pixels between images and around the border, integer 0..64 (default 2). */
  padding?: number;
  /** Value of the padding in [0, 1] (default 0, black). */
  padValue?: number;
  /** One caption per image (extra ones ignored, missing ones left out). */
  captions?: readonly string[];
  /** Title shown above the grid. */
  title?: string;
  /**
   * Range of tensor values: '0-1', '-1-1' (tanh outputs), 'uint8' (0..255), [min, max], or 'auto'
   * (default: int tensors 0..255; floats [0,1] or [-1,1] when they fit, else their min..max).
   */
  range?: DisplayRange;
  /** At most this many images are sent, 1..256 (default 256); `total` keeps the full count. */
  maxImages?: number;
  /** Cap on the images' base64 PNG data in bytes (default 4 MB); later images are dropped beyond it. */
  maxBytes?: number;
  /** Images larger than this (px, longest side, 8..2048, default 512) are downsampled by striding. */
  maxImageSize?: number;
}

const KEYS = ['nrow', 'padding', 'padValue', 'captions', 'title', 'range', 'maxImages', 'maxBytes', 'maxImageSize'] as const;
/** Longest side of the composed fallback grid PNG. */
const MAX_GRID_SIDE = 2048;

interface Settings {
  nrow: number; padding: number; padValue: number; captions: readonly string[]; title: string | undefined;
  range: DisplayRange; maxImages: number; maxBytes: number; maxImageSize: number;
}

function settings(o: ImagesBundleOptions): Settings {
  v.options('images options', o, KEYS);
  const { nrow = 8, padding = 2, padValue = 0, captions = [], title, range = 'auto', maxImages = 256, maxBytes = 4_000_000, maxImageSize = 512 } = o;
  v.positiveInt('nrow', nrow);
  v.intIn('padding', padding, 0, 64);
  v.numberIn('padValue', padValue, 0, 1);
  v.check('captions', captions, Array.isArray(captions) && captions.every((c) => typeof c === 'string'), 'array of strings');
  if (title !== undefined) v.string('title', title);
  const rangeOk = ['auto', '0-1', '-1-1', 'uint8'].includes(range as string) ||
    (Array.isArray(range) && range.length === 2 && range.every(Number.isFinite) && range[0]! < range[1]!);
  if (!rangeOk) throw invalidParameterError('range', "'auto', '0-1', '-1-1', 'uint8' or [min, max] with min < max", range);
  v.intIn('maxImages', maxImages, 1, 256);
  v.positiveInt('maxBytes', maxBytes);
  v.intIn('maxImageSize', maxImageSize, 8, 2048);
  return {
    nrow, padding, padValue, captions: captions.slice(0, maxImages).map(clipLabel), title: title === undefined ? undefined : clipLabel(title),
    range, maxImages, maxBytes, maxImageSize,
  };
}

/** One tensor as an NHWC batch view (may transpose NCHW, expand HW/HWC/NHW). Caller disposes via tidy. */
function asNHWC(t: tf.Tensor, what: string): tf.Tensor4D {
  const s = t.shape;
  const isC = (c: number | undefined): boolean => c !== undefined && c >= 1 && c <= 4;
  if (t.dtype === 'string' || t.dtype === 'complex64') throw new GankitError(`Expected a numeric image tensor for ${what} but received dtype ${t.dtype}`);
  if (t.rank === 2) return t.reshape([1, s[0]!, s[1]!, 1]);
  if (t.rank === 3) return isC(s[2]) ? t.reshape([1, s[0]!, s[1]!, s[2]!]) : t.reshape([s[0]!, s[1]!, s[2]!, 1]);
  if (t.rank === 4) {
    if (isC(s[3])) return t as tf.Tensor4D;
    if (isC(s[1])) return tf.transpose(t, [0, 2, 3, 1]) as tf.Tensor4D;
  }
  throw invalidParameterError(what, 'image tensor HW, HWC, NHW, NHWC or NCHW with 1 to 4 channels', `tensor of shape [${s.join(',')}]`);
}

function looksRaw(v: unknown): v is RawImage {
  if (typeof v !== 'object' || v === null || v instanceof Uint8Array) return false;
  const r = v as Partial<RawImage>;
  return r.data instanceof Uint8Array && Number.isInteger(r.width) && Number.isInteger(r.height) && Number.isInteger(r.channels);
}

/** Resolve 'auto' against the actual values of all tensor inputs. */
function resolveRange(range: DisplayRange, tensors: tf.Tensor[]): [number, number] {
  if (Array.isArray(range)) return [range[0], range[1]];
  if (range === '0-1') return [0, 1];
  if (range === '-1-1') return [-1, 1];
  if (range === 'uint8') return [0, 255];
  if (tensors.length === 0) return [0, 1];
  const [lo, hi] = tf.tidy(() => {
    const mins = tensors.map((t) => tf.min(tf.cast(t, 'float32')));
    const maxs = tensors.map((t) => tf.max(tf.cast(t, 'float32')));
    return [tf.min(tf.stack(mins)).dataSync()[0]!, tf.max(tf.stack(maxs)).dataSync()[0]!];
  });
  const isInt = tensors.every((t) => t.dtype !== 'float32');
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (isInt) return lo >= 0 && hi <= 1 ? [0, 1] : [0, 255];
  if (lo >= 0 && hi <= 1) return [0, 1];
  if (lo >= -1 && hi <= 1) return [-1, 1];
  if (lo >= 0 && hi <= 255) return [0, 255];
  return hi > lo ? [lo, hi] : [lo - 0.5, lo + 0.5];
}

/** An image before encoding: raw pixels now, or encoded bytes decoded in render(). */
type Pending = { raster: RawImage } | { encoded: Uint8Array };

/** Validate and read tensor pixels now (tensors may be disposed afterwards); PNG work happens in render(). */
export function prepareImages(input: ImagesInput, opts: ImagesBundleOptions = {}): Prepared {
  const s = settings(opts);
  const sources: readonly GridImage[] = isTensor(input) ? [input] : Array.isArray(input) ? input : [];
  if (!isTensor(input) && (!Array.isArray(input) || input.length === 0)) {
    throw invalidParameterError('images', 'a tensor or a non-empty array of tensors, encoded images or raw pixels', input);
  }
  const tensors = sources.filter(isTensor);
  tensors.forEach((t, i) => { if (t.isDisposed) throw new GankitError(`Expected a live tensor but images[${i}] is disposed`); });
  const [lo, hi] = resolveRange(s.range, tensors);
  let total = 0;
  const pending: Pending[] = [];
  let src = 0;
  for (const item of sources) {
    const what = isTensor(input) ? 'images' : `images[${src}]`;
    src++;
    if (isTensor(item)) {
      const n = asNHWCCount(item, what);
      const take = Math.max(0, Math.min(n, s.maxImages - pending.length));
      total += n;
      if (take === 0) continue;
      const { data, h, w, c } = tf.tidy(() => {
        const b = asNHWC(item, what);
        const [, H, W, C] = b.shape;
        const st = strideFor(Math.max(H, W), s.maxImageSize);
        let x = tf.stridedSlice(tf.cast(b, 'float32'), [0, 0, 0, 0], [take, H, W, C], [1, st, st, 1]) as tf.Tensor4D;
        x = tf.clipByValue(tf.add(tf.mul(tf.div(tf.sub(x, lo), hi - lo), 255), 0.5), 0, 255) as tf.Tensor4D;
        const bytes = Uint8Array.from(tf.floor(x).dataSync());
        return { data: bytes, h: x.shape[1], w: x.shape[2], c: x.shape[3] };
      });
      const per = h * w * c;
      for (let k = 0; k < take; k++) {
        pending.push({ raster: { data: data.subarray(k * per, (k + 1) * per), width: w, height: h, channels: c as RawImage['channels'] } });
      }
    } else if (item instanceof Uint8Array) {
      total += 1;
      if (pending.length < s.maxImages) pending.push({ encoded: Uint8Array.from(item) });
    } else if (looksRaw(item)) {
      total += 1;
      const { width, height, channels } = item;
      if (channels < 1 || channels > 4 || item.data.length < width * height * channels || width < 1 || height < 1) {
        throw invalidParameterError(what, 'raw pixels with width*height*channels bytes and 1 to 4 channels', `${width}x${height}x${channels} with ${item.data.length} bytes`);
      }
      if (pending.length < s.maxImages) {
        pending.push({ raster: strideRaster({ data: item.data.slice(0, width * height * channels), width, height, channels: channels as RawImage['channels'] }, s.maxImageSize) });
      }
    } else {
      throw invalidParameterError(what, 'a tensor, encoded image bytes (Uint8Array/Buffer) or raw pixels {data, width, height, channels}', item);
    }
  }
  return { render: () => renderImages(pending, total, s) };
}

function asNHWCCount(t: tf.Tensor, what: string): number {
  return tf.tidy(() => asNHWC(t, what).shape[0]);
}

/** Keep every k-th pixel so the longest side is at most `max`. */
function strideRaster(r: RawImage, max: number): RawImage {
  const st = strideFor(Math.max(r.width, r.height), max);
  if (st === 1) return r;
  const w = Math.ceil(r.width / st);
  const h = Math.ceil(r.height / st);
  const c = r.channels;
  const out = new Uint8Array(w * h * c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const from = ((y * st) * r.width + x * st) * c;
      out.set(r.data.subarray(from, from + c), (y * w + x) * c);
    }
  }
  return { data: out, width: w, height: h, channels: c };
}


/** Convert a raster to `c` channels (1 grey, 2 grey+alpha, 3 RGB, 4 RGBA). */
function toChannels(r: RawImage, c: number): RawImage {
  if (r.channels === c) return r;
  const n = r.width * r.height;
  const out = new Uint8Array(n * c);
  for (let i = 0; i < n; i++) {
    const p = r.data.subarray(i * r.channels, (i + 1) * r.channels);
    const hasColor = r.channels >= 3;
    const grey = hasColor ? Math.round(0.299 * p[0]! + 0.587 * p[1]! + 0.114 * p[2]!) : p[0]!;
    const alpha = r.channels === 2 ? p[1]! : r.channels === 4 ? p[3]! : 255;
    const o = i * c;
    if (c === 1) out[o] = grey;
    else if (c === 2) { out[o] = grey; out[o + 1] = alpha; }
    else {
      out[o] = hasColor ? p[0]! : grey; out[o + 1] = hasColor ? p[1]! : grey; out[o + 2] = hasColor ? p[2]! : grey;
      if (c === 4) out[o + 3] = alpha;
    }
  }
  return { data: out, width: r.width, height: r.height, channels: c as RawImage['channels'] };
}

/** Compose the make_grid layout into one raster (top-left aligned cells of the largest image size). */
export function composeGrid(rasters: RawImage[], nrow: number, padding: number, padValue: number): RawImage {
  const anyAlpha = rasters.some((r) => r.channels === 2 || r.channels === 4);
  const anyColor = rasters.some((r) => r.channels >= 3);
  const c = anyColor ? (anyAlpha ? 4 : 3) : anyAlpha ? 2 : 1;
  const cw = Math.max(...rasters.map((r) => r.width));
  const ch = Math.max(...rasters.map((r) => r.height));
  const xmaps = Math.min(nrow, rasters.length);
  const ymaps = Math.ceil(rasters.length / xmaps);
  const W = xmaps * (cw + padding) + padding;
  const H = ymaps * (ch + padding) + padding;
  const pad = Math.round(padValue * 255);
  const out = new Uint8Array(W * H * c);
  for (let i = 0; i < W * H; i++) {
    for (let k = 0; k < c; k++) out[i * c + k] = (c === 2 && k === 1) || (c === 4 && k === 3) ? 255 : pad;
  }
  rasters.forEach((r0, i) => {
    const r = toChannels(r0, c);
    const x0 = (i % xmaps) * (cw + padding) + padding;
    const y0 = Math.floor(i / xmaps) * (ch + padding) + padding;
    for (let y = 0; y < r.height; y++) {
      out.set(r.data.subarray(y * r.width * c, (y + 1) * r.width * c), ((y0 + y) * W + x0) * c);
    }
  });
  return { data: out, width: W, height: H, channels: c as RawImage['channels'] };
}

async function renderImages(pending: Pending[], total: number, s: Settings): Promise<MimeBundle> {
  const rasters = await Promise.all(pending.map((p) => ('raster' in p ? p.raster : decodeSource(p.encoded, s.maxImageSize))));
  const pngs = await Promise.all(rasters.map((r) => pngBase64(r)));
  const images: ImagesPayload['images'] = [];
  let bytes = 0;
  for (let i = 0; i < rasters.length; i++) {
    const png = pngs[i]!;
    if (images.length > 0 && bytes + png.length > s.maxBytes) break;
    bytes += png.length;
    const caption = s.captions[i];
    images.push({ png, width: rasters[i]!.width, height: rasters[i]!.height, ...(caption !== undefined ? { caption } : {}) });
  }
  const payload: ImagesPayload = {
    version: 1, images, nrow: s.nrow, padding: s.padding, padValue: s.padValue,
    ...(s.title !== undefined ? { title: s.title } : {}), total,
  };
  let grid = composeGrid(rasters.slice(0, images.length), s.nrow, s.padding, s.padValue);
  grid = strideRaster(grid, MAX_GRID_SIDE);
  // Small grids (MNIST digits) are enlarged (nearest neighbour) for the static PNG, up to 512 px.
  if (Math.max(grid.width, grid.height) < 256) {
    const [fx, fy] = upscaleFactors(grid.width, grid.height, 512, 1);
    const f = Math.min(fx, fy);
    grid = upscale(grid, f, f);
  }
  const sizes = new Set(images.map((im) => `${im.width}x${im.height}`));
  const lines = [
    `Images: ${total} image${total === 1 ? '' : 's'} (${[...sizes].join(', ')})` +
      (images.length < total ? `, showing ${images.length}` : '') + `, nrow ${s.nrow}`,
  ];
  if (s.title) lines.unshift(s.title);
  const caps = images.map((im, i) => (im.caption !== undefined ? `  [${i}] ${im.caption}` : null)).filter((l): l is string => l !== null);
  lines.push(...caps.slice(0, 20));
  if (caps.length > 20) lines.push(`  ... ${fmt(caps.length - 20)} more captions`);
  return { [IMAGES_MIME]: payload, 'image/png': await pngBase64(grid), 'text/plain': lines.join('\n') };
}

/**
 * MIME bundle for a grid of images (NHWC tensor, tensor array, encoded bytes or raw pixels), as
 * torchvision make_grid lays them out. Reads tensors synchronously; keeps tf.memory().numTensors flat.
 */
export function imagesBundle(input: ImagesInput, opts: ImagesBundleOptions = {}): Promise<MimeBundle> {
  return prepareImages(input, opts).render();
}

/** A displayable image grid: as a cell's last expression (or passed to display()) it renders as images. */
export class ImageGrid {
  constructor(readonly images: ImagesInput, readonly options: ImagesBundleOptions = {}) {
    settings(options);
  }
  /** The MIME bundle (tensors are read when this is called). */
  [JUPYTER_DISPLAY](): Promise<MimeBundle> {
    return imagesBundle(this.images, this.options);
  }
}

/** Wrap images as a displayable grid object (validated now, rendered when displayed). */
export function imageGrid(images: ImagesInput, opts: ImagesBundleOptions = {}): ImageGrid {
  return new ImageGrid(images, opts);
}
