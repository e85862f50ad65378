/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, Zalando Research; MIT licence): 60000 train and 10000
 * test images of clothing, 28x28 grey, 10 classes. Read offline from the gzipped IDX files of
 * Debian's `dataset-fashion-mnist` package (/usr/share/datasets/fashion-mnist).
 */
import { GankitError } from '../util/errors.js';
import { loadIdxDataset, locateSplit, parseIdxLoadOptions, type IdxLoadOptions } from './idx-dataset.js';
import type { Dataset } from './dataset.js';

/** Environment variable naming the Fashion-MNIST directory (overrides the Debian location). */
export const FASHION_MNIST_DIR_ENV = 'GANKIT_FASHION_MNIST_DIR';

/** Where Debian's dataset-fashion-mnist package installs the files. */
export const FASHION_MNIST_DEFAULT_DIR = '/usr/share/datasets/fashion-mnist';

/** The 10 Fashion-MNIST class names, indexed by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
]);

/** The directory loadFashionMnist reads when no `dir` is given: $GANKIT_FASHION_MNIST_DIR or the Debian one. */
export function fashionMnistDir(): string {
  return process.env[FASHION_MNIST_DIR_ENV] || FASHION_MNIST_DEFAULT_DIR;
}

export type FashionMnistOptions = IdxLoadOptions;

/**
 * Load Fashion-MNIST: `split` 'train' (60000) or 'test' (10000), 28x28x1 uint8 images (0..255),
 * labels 0..9 named by FASHION_MNIST_CLASSES; `limit` keeps the first N. Cached per process.
 */
export async function loadFashionMnist(options?: FashionMnistOptions): Promise<Dataset> {
  const opts = parseIdxLoadOptions(options, 'loadFashionMnist');
  const dir = opts.dir ?? fashionMnistDir();
  const files = locateSplit(dir, opts.split, (what) =>
    new GankitError(
      `Fashion-MNIST is not available: ${what}. Install Debian's package with ` +
        '`sudo apt-get install dataset-fashion-mnist` (or run the project setup: `bash scripts/setup.sh`), ' +
        `or point ${FASHION_MNIST_DIR_ENV} or the { dir } option at a folder holding the Fashion-MNIST IDX files ` +
        '(train-images-idx3-ubyte.gz etc., gzipped or not).',
    ),
  );
  return loadIdxDataset(
    { name: `fashion-mnist-${opts.split}`, files, rows: 28, cols: 28, numClasses: 10, classNames: FASHION_MNIST_CLASSES },
    opts.limit,
  );
}
