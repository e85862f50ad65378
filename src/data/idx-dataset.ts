/**
 * Shared loader for MNIST-style IDX datasets (an image file and a label file per split), with a
 * per-process in-memory cache keyed by the files' absolute paths.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GankitError } from '../util/errors.js';
import * as v from '../util/validate.js';
import { readIdxImages, readIdxLabels } from './idx.js';
import { createDataset, takeDataset, type Dataset } from './dataset.js';

/** Which part of an IDX dataset: 'train' (train-*) or 'test' (t10k-*). */
export type Split = 'train' | 'test';
export const SPLITS: readonly Split[] = ['train', 'test'];

/** Base names of a split's files; '.gz' and dotted variants are tried too. */
function baseNames(split: Split): { images: string[]; labels: string[] } {
  const prefix = split === 'train' ? 'train' : 't10k';
  return {
    images: [`${prefix}-images-idx3-ubyte`, `${prefix}-images.idx3-ubyte`],
    labels: [`${prefix}-labels-idx1-ubyte`, `${prefix}-labels.idx1-ubyte`],
  };
}

/** Find the first existing file among names and names + '.gz' in dir; undefined when none. */
function findFile(dir: string, names: string[]): string | undefined {
  for (const n of names) {
    for (const candidate of [n, `${n}.gz`]) {
      const p = join(dir, candidate);
      if (existsSync(p) && statSync(p).isFile()) return p;
    }
  }
  return undefined;
}

export interface IdxFiles { images: string; labels: string }

/**
 * The image and label files of `split` in `dir`, or an error from `missing(what)` naming what is
 * absent (so each dataset can say how to install itself).
 */
export function locateSplit(dir: string, split: Split, missing: (what: string) => GankitError): IdxFiles {
  const abs = resolve(dir);
  if (!existsSync(abs)) throw missing(`directory ${JSON.stringify(abs)} does not exist`);
  if (!statSync(abs).isDirectory()) throw missing(`${JSON.stringify(abs)} is not a directory`);
  const names = baseNames(split);
  const images = findFile(abs, names.images);
  const labels = findFile(abs, names.labels);
  if (!images || !labels) {
    const absent = [!images ? names.images[0] : undefined, !labels ? names.labels[0] : undefined].filter(Boolean);
    throw missing(`${absent.map((n) => `${n}[.gz]`).join(' and ')} not found in ${JSON.stringify(abs)}`);
  }
  return { images, labels };
}

/** Options shared by loadMnist and loadFashionMnist. */
export interface IdxLoadOptions {
  /** 'train' (default; 60000 images) or 'test' (10000 images). */
  split?: Split;
  /** Keep only the first `limit` images (a positive integer; larger values keep all). */
  limit?: number;
  /** Directory holding the IDX files (gzipped or not); overrides the default location. */
  dir?: string;
}

export function parseIdxLoadOptions(opts: unknown, fn: string): { split: Split; limit?: number; dir?: string } {
  const { split = 'train', limit, dir } = v.options(`${fn} options`, opts, ['split', 'limit', 'dir']);
  const out: { split: Split; limit?: number; dir?: string } = { split: v.oneOf('split', split, SPLITS) };
  if (limit !== undefined) out.limit = v.positiveInt('limit', limit);
  if (dir !== undefined) out.dir = v.nonEmptyString('dir', dir);
  return out;
}

export interface IdxDatasetSpec {
  /** e.g. 'mnist-train'. */
  name: string;
  files: IdxFiles;
  /** Expected image size in pixels (28 for both MNIST variants). */
  rows: number;
  cols: number;
  numClasses: number;
  classNames?: readonly string[];
}

const cache = new Map<string, Promise<Dataset>>();

/** Load (or reuse from the per-process cache) a full IDX split, then apply `limit`. */
export async function loadIdxDataset(spec: IdxDatasetSpec, limit: number | undefined): Promise<Dataset> {
  const key = `${spec.files.images}\0${spec.files.labels}\0${spec.name}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = readIdxDataset(spec);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  const full = await pending;
  return limit === undefined ? full : takeDataset(full, limit);
}

async function readIdxDataset(spec: IdxDatasetSpec): Promise<Dataset> {
  const [images, labels] = await Promise.all([readIdxImages(spec.files.images), readIdxLabels(spec.files.labels)]);
  const img = JSON.stringify(spec.files.images);
  if (images.rows !== spec.rows || images.cols !== spec.cols) {
    throw new GankitError(
      `Invalid ${spec.name} image file ${img}: expected ${spec.rows}x${spec.cols} images but found ${images.rows}x${images.cols}`,
    );
  }
  if (labels.length !== images.count) {
    throw new GankitError(
      `Invalid ${spec.name} files: ${img} has ${images.count} images but ${JSON.stringify(spec.files.labels)} has ${labels.length} labels`,
    );
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i]! >= spec.numClasses) {
      throw new GankitError(
        `Invalid ${spec.name} label file ${JSON.stringify(spec.files.labels)}: label ${labels[i]} at index ${i} is outside [0, ${spec.numClasses - 1}]`,
      );
    }
  }
  return createDataset({
    name: spec.name,
    imageShape: [images.rows, images.cols, 1],
    images: images.data,
    labels,
    numClasses: spec.numClasses,
    ...(spec.classNames ? { classNames: spec.classNames } : {}),
  });
}

/** Forget every dataset cached by loadMnist / loadFashionMnist, so their memory can be freed. */
export function clearDatasetCache(): void {
  cache.clear();
}
