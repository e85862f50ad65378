/**
 * A folder of image files as a Dataset, after torchvision's ImageFolder: sub-folders are classes
 * (sorted by name, label = position), images are resized like Resize + CenterCrop by default.
 */
import { readdir, stat, realpath } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import sharp from 'sharp';
import type { OutputInfo } from 'sharp';
import { GankitError, invalidParameterError } from '../util/errors.js';
import { inRange, isInteger } from '../util/is.js';
import * as v from '../util/validate.js';
import type { RawImage } from '../image/raw.js';
import { createDataset, type Dataset, type DatasetInit } from './dataset.js';

/**
 * How images are fitted to `size`: 'cover' scales so the image covers the target and crops the
 * centre (torchvision Resize + CenterCrop); 'contain' scales to fit inside and pads with
 * `background`; 'fill' stretches, ignoring the aspect ratio.
 */
export type FolderFit = 'cover' | 'contain' | 'fill';
const FOLDER_FITS: readonly FolderFit[] = ['cover', 'contain', 'fill'];

/**
 * Where labels come from: 'folders' (each sub-folder of `dir` is a class; images directly in
 * `dir` are ignored, as in torchvision), 'none' (no labels), or 'auto' (the default: 'folders'
 * when `dir` has sub-folders and no images of its own, else 'none').
 */
export type FolderClasses = 'auto' | 'folders' | 'none';
const FOLDER_CLASSES: readonly FolderClasses[] = ['auto', 'folders', 'none'];

/** File extensions read by default (case-insensitive): the formats sharp decodes. */
export const DEFAULT_IMAGE_EXTENSIONS: readonly string[] = Object.freeze(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);

export interface ImageFolderOptions {
  /**
   * Output size in pixels: a number for square images or [height, width]. Default: keep each
   * file's size, which must then be the same for all files.
   */
  size?: number | readonly [number, number];
  /** 3 (RGB, default) or 1 (grey = round(0.2989 R + 0.587 G + 0.114 B), as torchvision). */
  channels?: 1 | 3;
  /** How to fit images to `size`: 'cover' (default, centre crop), 'contain' (pad) or 'fill' (stretch). */
  fit?: FolderFit;
  /**
   * Colour 0..255 (a grey level or [r, g, b]) used to pad with fit 'contain' (default black) and,
   * when given, to flatten transparent images onto. Without it alpha is dropped, as PIL's convert('RGB').
   */
  background?: number | readonly [number, number, number];
  /** Where labels come from: 'auto' (default), 'folders' or 'none'. */
  classes?: FolderClasses;
  /**
   * Also read images in nested folders (default false). Class folders are always searched
   * recursively, as in torchvision; this option matters for unlabelled folders.
   */
  recursive?: boolean;
  /** File extensions to read, case-insensitive, with or without the dot (default DEFAULT_IMAGE_EXTENSIONS). */
  extensions?: readonly string[];
  /** Read only the first `limit` files in sorted order (a positive integer). */
  limit?: number;
  /** Dataset name (default: the folder's base name). */
  name?: string;
}

const OPTION_KEYS = ['size', 'channels', 'fit', 'background', 'classes', 'recursive', 'extensions', 'limit', 'name'];
const MAX_SIZE = 16384;
/** Files decoded at the same time (sharp runs each decode on its own libuv thread). */
const CONCURRENCY = 4;

interface FolderOpts {
  size?: [number, number];
  channels: 1 | 3;
  fit: FolderFit;
  background?: [number, number, number];
  classes: FolderClasses;
  recursive: boolean;
  extensions: Set<string>;
  limit?: number;
  name?: string;
}

function parseOptions(options: unknown): FolderOpts {
  const o = v.options('loadImageFolder options', options, OPTION_KEYS);
  const out: FolderOpts = {
    channels: 3,
    fit: 'cover',
    classes: 'auto',
    recursive: false,
    extensions: new Set(DEFAULT_IMAGE_EXTENSIONS),
  };
  if (o.size !== undefined) {
    const okDim = (d: unknown) => isInteger(d) && d >= 1 && d <= MAX_SIZE;
    if (okDim(o.size)) out.size = [o.size as number, o.size as number];
    else if (Array.isArray(o.size) && o.size.length === 2 && o.size.every(okDim)) out.size = [o.size[0], o.size[1]];
    else throw invalidParameterError('size', `integer in [1, ${MAX_SIZE}] or [height, width] of such integers`, o.size);
  }
  if (o.channels !== undefined) out.channels = v.oneOf('channels', o.channels, [1, 3] as const);
  if (o.fit !== undefined) out.fit = v.oneOf('fit', o.fit, FOLDER_FITS);
  if (o.background !== undefined) {
    const b = o.background;
    if (inRange(b, 0, 255)) out.background = [b, b, b];
    else if (Array.isArray(b) && b.length === 3 && b.every((x) => inRange(x, 0, 255))) out.background = [b[0], b[1], b[2]];
    else throw invalidParameterError('background', 'number in [0, 255] or [r, g, b] of such numbers', b);
  }
  if (o.classes !== undefined) out.classes = v.oneOf('classes', o.classes, FOLDER_CLASSES);
  if (o.recursive !== undefined) out.recursive = v.bool('recursive', o.recursive);
  if (o.extensions !== undefined) {
    const e = o.extensions;
    if (!Array.isArray(e) || e.length === 0 || !e.every((x) => typeof x === 'string' && /^\.?[A-Za-z0-9]+$/.test(x))) {
      throw invalidParameterError('extensions', "a non-empty array of file extensions such as ['.png', '.jpg']", e);
    }
    out.extensions = new Set(e.map((x: string) => (x.startsWith('.') ? x : `.${x}`).toLowerCase()));
  }
  if (o.limit !== undefined) out.limit = v.positiveInt('limit', o.limit);
  if (o.name !== undefined) out.name = v.nonEmptyString('name', o.name);
  return out;
}

interface Listing { files: string[]; dirs: string[] }

/** Sorted image files and sub-folders of one directory, skipping hidden entries; follows symlinks. */
async function listDir(dir: string, extensions: Set<string>): Promise<Listing> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (e) {
    throw new GankitError(`Cannot read image folder ${JSON.stringify(dir)}: ${(e as Error).message.split('\n')[0]}`);
  }
  const files: string[] = [];
  const dirs: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const s = await stat(path).catch(() => undefined);
      isDir = Boolean(s?.isDirectory());
      isFile = Boolean(s?.isFile());
    }
    if (isDir) dirs.push(entry.name);
    else if (isFile && extensions.has(extname(entry.name).toLowerCase())) files.push(entry.name);
  }
  // Code-unit order, like Python's sorted() (not locale order), so labels match torchvision.
  files.sort();
  dirs.sort();
  return { files, dirs };
}

/** All image files under dir (sorted, depth first), guarding against symlink loops. */
async function walk(dir: string, extensions: Set<string>, recursive: boolean, seen = new Set<string>()): Promise<string[]> {
  const real = await realpath(dir);
  if (seen.has(real)) return [];
  seen.add(real);
  const { files, dirs } = await listDir(dir, extensions);
  const out = files.map((f) => join(dir, f));
  if (recursive) for (const d of dirs) out.push(...(await walk(join(dir, d), extensions, true, seen)));
  return out;
}


function reason(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
}

/** Decode one file to 8-bit RGB (alpha dropped or flattened), then fit it to `size` when given. */
async function decodeFile(file: string, opts: FolderOpts): Promise<RawImage> {
  let rgb: { data: Buffer; info: OutputInfo };
  try {
    let img = sharp(file);
    img = opts.background
      ? img.flatten({ background: { r: opts.background[0], g: opts.background[1], b: opts.background[2] } })
      : img.removeAlpha();
    rgb = await img.toColourspace('srgb').raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new GankitError(`Cannot read image ${JSON.stringify(file)}: ${reason(e)} (expected a PNG, JPEG, WebP, GIF, TIFF or AVIF file)`);
  }
  let { data, info } = rgb;
  if (info.channels !== 3) throw new GankitError(`Cannot read image ${JSON.stringify(file)}: decoded to ${info.channels} channels, expected 3`);
  if (opts.size && (info.height !== opts.size[0] || info.width !== opts.size[1])) {
    // A second pass on opaque 8-bit RGB, so resizing never sees alpha (no premultiplication rounding).
    const bg = opts.background ?? [0, 0, 0];
    try {
      const out = await sharp(data, { raw: { width: info.width, height: info.height, channels: 3 } })
        .resize({ width: opts.size[1], height: opts.size[0], fit: opts.fit, position: 'centre', background: { r: bg[0], g: bg[1], b: bg[2], alpha: 1 } })
        .raw()
        .toBuffer({ resolveWithObject: true });
      data = out.data;
      info = out.info;
    } catch (e) {
      throw new GankitError(`Cannot resize image ${JSON.stringify(file)} to ${opts.size[0]}x${opts.size[1]}: ${reason(e)}`);
    }
  }
  return { data, width: info.width, height: info.height, channels: 3 };
}

/** Copy one decoded RGB image into `out` at `offset`, converting to grey when channels is 1. */
function writePixels(src: Uint8Array, out: Uint8Array, offset: number, channels: 1 | 3): void {
  if (channels === 3) {
    out.set(src, offset);
    return;
  }
  for (let p = 0, q = offset; p < src.length; p += 3, q++) {
    const r = src[p]!;
    const g = src[p + 1]!;
    const b = src[p + 2]!;
    out[q] = r === g && g === b ? r : Math.min(255, Math.round(0.2989 * r + 0.587 * g + 0.114 * b));
  }
}

/** Run `fn` over items with at most `limit` in flight, keeping results in order; the first error wins. */
async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i]!, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * Load every image under `dir` into memory as uint8 HWC (0..255) of one `size` (pixels), RGB or
 * grey; sub-folders become sorted class labels (torchvision ImageFolder). Errors name the bad file.
 */
export async function loadImageFolder(dir: string, options?: ImageFolderOptions): Promise<Dataset> {
  if (typeof dir !== 'string' || dir.length === 0) throw invalidParameterError('dir', 'a non-empty directory path', dir);
  const opts = parseOptions(options);
  const root = resolve(dir);
  const s = await stat(root).catch(() => undefined);
  if (!s) throw new GankitError(`Image folder ${JSON.stringify(root)} does not exist`);
  if (!s.isDirectory()) throw new GankitError(`Image folder ${JSON.stringify(root)} is not a directory`);

  const top = await listDir(root, opts.extensions);
  const byFolders = opts.classes === 'folders' || (opts.classes === 'auto' && top.files.length === 0 && top.dirs.length > 0);
  const exts = [...opts.extensions].join(', ');
  let files: string[];
  let labels: number[] | undefined;
  let classNames: string[] | undefined;
  if (byFolders) {
    if (top.dirs.length === 0) {
      throw new GankitError(`Image folder ${JSON.stringify(root)} has no class sub-folders (classes: 'folders' needs one sub-folder per class)`);
    }
    files = [];
    labels = [];
    classNames = top.dirs;
    for (let c = 0; c < top.dirs.length; c++) {
      const found = await walk(join(root, top.dirs[c]!), opts.extensions, true);
      if (found.length === 0) {
        throw new GankitError(
          `Class folder ${JSON.stringify(join(root, top.dirs[c]!))} has no images (looked for ${exts}); ` +
            "remove it, or pass classes: 'none' to load without labels",
        );
      }
      files.push(...found);
      for (let i = 0; i < found.length; i++) labels.push(c);
    }
  } else {
    files = await walk(root, opts.extensions, opts.recursive);
  }
  if (files.length === 0) {
    const hint = !opts.recursive && top.dirs.length > 0 ? '; it has sub-folders: pass recursive: true to read them' : '';
    throw new GankitError(`Image folder ${JSON.stringify(root)} has no images (looked for ${exts})${hint}`);
  }
  if (opts.limit !== undefined && files.length > opts.limit) {
    files = files.slice(0, opts.limit);
    labels = labels?.slice(0, opts.limit);
  }

  const decoded = await mapPool(files, CONCURRENCY, (f) => decodeFile(f, opts));
  const [height, width] = opts.size ?? [decoded[0]!.height, decoded[0]!.width];
  decoded.forEach((d, i) => {
    if (d.height !== height || d.width !== width) {
      throw new GankitError(
        `Image ${JSON.stringify(files[i])} is ${d.width}x${d.height} pixels but ${JSON.stringify(files[0])} is ` +
          `${width}x${height}; pass the size option (e.g. { size: 64 }) to resize all images to one size`,
      );
    }
  });
  const per = height * width * opts.channels;
  const images = new Uint8Array(per * files.length);
  decoded.forEach((d, i) => writePixels(d.data, images, i * per, opts.channels));

  const init: DatasetInit = {
    name: opts.name ?? (basename(root) || 'images'),
    imageShape: [height, width, opts.channels],
    images,
    files,
  };
  if (labels && classNames) {
    init.labels = Int32Array.from(labels);
    init.numClasses = classNames.length;
    init.classNames = classNames;
  }
  return createDataset(init);
}
