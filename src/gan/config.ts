/** Configuration of a GAN's architecture, validated once and stored in checkpoints. */
import { invalidParameterError } from '../util/errors.js';
import { isInteger, isOneOf } from '../util/is.js';

export const ARCHITECTURES = ['dcgan', 'mlp', 'conditional'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];
export const IMAGE_SIZES = [28, 32, 64] as const;

export interface GanConfig {
  /** 'dcgan' (conv), 'mlp' (dense baseline) or 'conditional' (DCGAN with class labels). */
  architecture: Architecture;
  /** Image side in pixels: 28, 32 or 64. */
  imageSize: 28 | 32 | 64;
  /** Image channels: 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
  /** Length of the noise vector z (nz), 1..1024. */
  latentDim: number;
  /** Generator width (ngf), 4..512. */
  ngf: number;
  /** Discriminator width (ndf), 4..512. */
  ndf: number;
  /** Number of classes for 'conditional' (2..1000); 0 otherwise. */
  numClasses: number;
  /** Seed of the weight initialisation. */
  seed: number;
}

export type GanConfigInput = Partial<GanConfig>;

/** Defaults: the 28x28 MNIST DCGAN (ngf = ndf = 64, nz = 100). */
export const DEFAULT_CONFIG: GanConfig = {
  architecture: 'dcgan', imageSize: 28, channels: 1, latentDim: 100, ngf: 64, ndf: 64, numClasses: 0, seed: 0,
};

const KEYS = Object.keys(DEFAULT_CONFIG);

/** Fill defaults and validate every field; errors name the field and its valid range. */
export function resolveConfig(input: GanConfigInput = {}): GanConfig {
  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) throw invalidParameterError('config key', `one of ${KEYS.join(', ')}`, key);
  }
  const c = { ...DEFAULT_CONFIG, ...input } as GanConfig;
  if (!isOneOf(c.architecture, ARCHITECTURES)) throw invalidParameterError('architecture', `one of ${ARCHITECTURES.join(', ')}`, c.architecture);
  if (!(IMAGE_SIZES as readonly number[]).includes(c.imageSize)) throw invalidParameterError('imageSize', 'one of 28, 32, 64', c.imageSize);
  if (c.channels !== 1 && c.channels !== 3) throw invalidParameterError('channels', '1 or 3', c.channels);
  if (!isInteger(c.latentDim) || c.latentDim < 1 || c.latentDim > 1024) throw invalidParameterError('latentDim', 'integer in [1, 1024]', c.latentDim);
  if (!isInteger(c.ngf) || c.ngf < 4 || c.ngf > 512) throw invalidParameterError('ngf', 'integer in [4, 512]', c.ngf);
  if (!isInteger(c.ndf) || c.ndf < 4 || c.ndf > 512) throw invalidParameterError('ndf', 'integer in [4, 512]', c.ndf);
  if (!isInteger(c.seed)) throw invalidParameterError('seed', 'integer', c.seed);
  if (c.architecture === 'conditional') {
    if (input.numClasses === undefined) c.numClasses = 10;
    if (!isInteger(c.numClasses) || c.numClasses < 2 || c.numClasses > 1000) throw invalidParameterError('numClasses', 'integer in [2, 1000] for a conditional GAN', c.numClasses);
  } else if (c.numClasses !== 0) {
    throw invalidParameterError('numClasses', `0 for architecture ${c.architecture} (use 'conditional' for class labels)`, c.numClasses);
  }
  return c;
}
