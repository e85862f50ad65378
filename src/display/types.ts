/**
 * The display contract between the gankit kernel and the JupyterLab extension
 * (see docs/display.md, "The display contract"). Every rich value goes out as ONE display_data /
 * execute_result bundle holding the gankit JSON type below, an `image/png` fallback
 * (base64, no data: prefix) and `text/plain`. Payloads are self-contained and bounded.
 */

export const TENSOR_MIME = 'application/vnd.gankit.tensor.v1+json';
export const IMAGES_MIME = 'application/vnd.gankit.images.v1+json';
export const PLOT_MIME = 'application/vnd.gankit.plot.v1+json';
export const EXPLORER_MIME = 'application/vnd.gankit.explorer.v1+json';

/** Summary statistics over all finite values; counts over all values. */
export interface TensorStats {
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  nanCount: number;
  infCount: number;
  size: number;
}

/** `application/vnd.gankit.tensor.v1+json` */
export interface TensorPayload {
  version: 1;
  shape: number[];
  dtype: string;
  stats: TensorStats;
  /** Optional variable name or caption. */
  name?: string;
  preview: {
    /** 'heatmap': one channel of float values shown with a colormap; 'image': RGB(A) pixels. */
    kind: 'heatmap' | 'image';
    /** Preview size in pixels after downsampling (<= 256 on each side). */
    width: number;
    height: number;
    /** For 'heatmap': row-major float values (width*height), null for NaN/Inf. */
    values?: (number | null)[];
    /** Value range the colormap spans (heatmap) or the image was normalised from. */
    range: [number, number];
    /** PNG, base64 without data: prefix (for 'image'; for 'heatmap' a greyscale rendering). */
    png: string;
    /** Stride used on each previewed axis when downsampling (1 = none). */
    stride: [number, number];
  };
  /**
   * Which slice of the tensor the preview shows, one entry per axis: an index, or
   * [start, stop, step] for previewed axes. E.g. for NCHW-like [8,28,28,1]: [0,[0,28,1],[0,28,1],0].
   */
  slice: (number | [number, number, number])[];
  /** Up to 16 alternative slices for higher-rank tensors (e.g. each batch item / channel), same shape as `preview`. */
  slices?: { label: string; slice: (number | [number, number, number])[]; preview: TensorPayload['preview'] }[];
}

/** `application/vnd.gankit.images.v1+json` */
export interface ImagesPayload {
  version: 1;
  /** Each image PNG base64 (no prefix), at native resolution. */
  images: { png: string; width: number; height: number; caption?: string }[];
  /** Images per row (torchvision make_grid `nrow`). */
  nrow: number;
  /** Padding in pixels between images and around the border, and its value in [0,1]. */
  padding: number;
  padValue: number;
  /** Optional title above the grid. */
  title?: string;
  /** Total images before the bound was applied (images.length may be smaller). */
  total: number;
}

/** `application/vnd.gankit.plot.v1+json` */
export interface PlotPayload {
  version: 1;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /**
   * Named series of [step, value] pairs, already downsampled to at most `maxPoints` each. `axis`: the
   * left ('y', default) or right ('y2') axis of its panel; `panel`: index of the stacked panel, top
   * to bottom, 0..7 (default 0), for series on scales that must not share an axis.
   */
  series: { name: string; points: [number, number][]; axis?: 'y' | 'y2'; panel?: number }[];
  maxPoints: number;
  scale: 'linear' | 'log';
  /** True once the run finished (no more updates will come). */
  final: boolean;
  /** True when the run was stopped or interrupted before its planned end (then `final` is true too). */
  stopped?: boolean;
}

/**
 * Bounds of an explorer payload, checked by the kernel (exploreLatent) and again by the extension
 * before anything is deserialised. A generator beyond them cannot be explored in the browser.
 */
export const EXPLORER_LIMITS = {
  /** Layers in the generator's topology. */
  layers: 64,
  /** Bytes of all weights (float32), before base64. */
  weightBytes: 16 * 1024 * 1024,
  /** Elements of one weight tensor. */
  tensorElements: 4 * 1024 * 1024,
  /** Weight tensors. */
  weightTensors: 256,
  /** Characters of the topology as JSON. */
  topologyChars: 256 * 1024,
  /** Elements of one layer's output for one sample (bounds activation memory). */
  activationElements: 1024 * 1024,
  /** Latent length nz. */
  latentDim: 1024,
  /** Classes of a conditional generator. */
  classes: 1000,
  /** Slider directions. */
  directions: 8,
  /** Samples drawn around the current point. */
  samples: 64,
  /** Side of one generated image in pixels. */
  imageSide: 256
} as const;

/**
 * Layer classes an explorer payload may contain: tfjs built-in layers without code or custom
 * behaviour, enough for DCGAN, conditional and MLP generators. Anything else is refused.
 */
export const EXPLORER_LAYER_CLASSES = [
  'InputLayer', 'Dense', 'Conv2D', 'Conv2DTranspose', 'DepthwiseConv2D', 'BatchNormalization', 'LayerNormalization',
  'Embedding', 'Activation', 'ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'Softmax', 'Reshape', 'Flatten', 'Concatenate',
  'Add', 'Multiply', 'Average', 'Dropout', 'UpSampling2D', 'ZeroPadding2D', 'Cropping2D', 'Permute',
  'MaxPooling2D', 'AveragePooling2D'
] as const;

/** `application/vnd.gankit.explorer.v1+json`: a generator the extension runs in the browser. */
export interface ExplorerPayload {
  version: 1;
  /** Shown above the explorer. */
  title?: string;
  /** The generator in tfjs layers format: inputs [z [n, latentDim]] or [z, label [n, 1] int32], one NHWC output. */
  model: {
    /** `modelTopology` of model.json (class_name Model or Sequential; layers from EXPLORER_LAYER_CLASSES). */
    topology: Record<string, unknown>;
    /** `weightsManifest[].weights` of model.json: float32 weights in the order of `weights`. */
    weightSpecs: { name: string; shape: number[]; dtype: 'float32' }[];
    /** All weights, little-endian float32, concatenated, base64 without prefix. */
    weights: string;
  };
  /** Length nz of the latent vector z. */
  latentDim: number;
  /** Output images: size and the value range mapped to black..white. */
  image: { width: number; height: number; channels: 1 | 3 | 4; range: [number, number] };
  /** The four corners of the pad, [top-left, top-right, bottom-left, bottom-right], latentDim values each. */
  anchors: number[][];
  /** Seed of the anchors (tf.randomNormal([4, latentDim], 0, 1, 'float32', seed)); "new anchors" counts up from it. */
  seed: number;
  /** Unit slider directions, latentDim values each (0 to EXPLORER_LIMITS.directions). */
  directions: number[][];
  /** Class names of a conditional generator (index = label); absent for an unconditional one. */
  classes?: string[];
  /** Class shown first (conditional only). */
  label?: number;
  /** Samples in the live grid: the current point and samples - 1 neighbours. */
  samples: number;
  /** Standard deviation of the neighbours' offset from the current point. */
  spread: number;
  /** Initial truncation threshold: z entries beyond +/- it are clipped; null = off. */
  truncation: number | null;
  /** How the pad blends its corners (spherical: slerp along both axes). */
  interpolation: 'spherical' | 'linear';
  /** Name of the generator variable in the code "copy z" writes. */
  generatorName: string;
}

/** A MIME bundle ready for display_data / execute_result. */
export type MimeBundle = Record<string, unknown> & { 'text/plain': string };
