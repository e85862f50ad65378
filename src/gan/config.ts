/** Configuration of a GAN's architecture, validated once and stored in checkpoints. */
import * as v from '../util/validate.js';

export const ARCHITECTURES = ['dcgan', 'mlp', 'conditional'] as const;
/** 'dcgan' (conv), 'mlp' (dense baseline) or 'conditional' (DCGAN with class labels in G and D). */
export type Architecture = (typeof ARCHITECTURES)[number];

export const IMAGE_SIZES = [28, 32, 64] as const;
export type ImageSize = (typeof IMAGE_SIZES)[number];

export const NORMS = ['batch', 'layer', 'none'] as const;
/** Normalisation in the discriminator's hidden layers: BatchNorm, LayerNorm (per sample) or none. */
export type Norm = (typeof NORMS)[number];

export interface GanConfig {
  /** 'dcgan' (conv), 'mlp' (dense baseline) or 'conditional' (DCGAN with class labels). */
  architecture: Architecture;
  /** Image side in pixels: 28, 32 or 64. */
  imageSize: ImageSize;
  /** Image channels: 1 (grey) or 3 (RGB). */
  channels: 1 | 3;
  /** Length of the noise vector z (nz), integer in [1, 1024]. */
  latentDim: number;
  /** Generator width (ngf), integer in [4, 512]. */
  ngf: number;
  /** Discriminator width (ndf), integer in [4, 512]. */
  ndf: number;
  /** Number of classes for 'conditional' (integer in [2, 1000], default 10); 0 otherwise. */
  numClasses: number;
  /**
   * The discriminator's normalisation: 'batch' (DCGAN's default), 'layer' or 'none' ('mlp' defaults
   * to 'none'). WGAN-GP needs a per-sample critic, so 'layer' or 'none'.
   */
  discriminatorNorm: Norm;
  /** Seed of the weight initialisation, an integer. */
  seed: number;
}

export type GanConfigInput = Partial<GanConfig>;

/**
 * Defaults: the 28x28 grey DCGAN of the PyTorch example's recipe (nz 100, ngf = ndf = 64). One
 * training step at batch 64 takes about 150 ms on the native backend with 2 cores when run eagerly
 * (an MNIST epoch of 937 steps: about 2.5 minutes; ngf = ndf = 32: about 85 ms a step); the compiled
 * graph step, the default on tfjs-node, takes about a third of that (BENCHMARKS.md, docs/compiled-step.md).
 */
export const DEFAULT_CONFIG: Readonly<GanConfig> = Object.freeze({
  architecture: 'dcgan', imageSize: 28, channels: 1, latentDim: 100, ngf: 64, ndf: 64, numClasses: 0,
  discriminatorNorm: 'batch', seed: 0,
});

const KEYS = Object.keys(DEFAULT_CONFIG);

/** Fill defaults and validate every field; errors name the field and its valid range. */
export function resolveConfig(input: GanConfigInput = {}): GanConfig {
  v.options('config', input, KEYS);
  const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as GanConfigInput;
  const c = { ...DEFAULT_CONFIG, ...defined } as GanConfig;
  v.oneOf('architecture', c.architecture, ARCHITECTURES);
  v.oneOf('imageSize', c.imageSize, IMAGE_SIZES);
  v.oneOf('channels', c.channels, [1, 3] as const);
  v.intIn('latentDim', c.latentDim, 1, 1024);
  v.intIn('ngf', c.ngf, 4, 512);
  v.intIn('ndf', c.ndf, 4, 512);
  v.integer('seed', c.seed);
  if (c.architecture === 'conditional') {
    if (defined.numClasses === undefined) c.numClasses = 10;
    v.intIn('numClasses', c.numClasses, 2, 1000);
  } else {
    v.check('numClasses', c.numClasses, c.numClasses === 0, `0 for architecture ${c.architecture} (use 'conditional' for class labels)`);
  }
  if (defined.discriminatorNorm === undefined && c.architecture === 'mlp') c.discriminatorNorm = 'none';
  v.oneOf('discriminatorNorm', c.discriminatorNorm, NORMS);
  return c;
}
