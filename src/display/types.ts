/**
 * The display contract between the gankit kernel and the JupyterLab extension
 * (see docs/display.md, "The display contract"). Every rich value goes out as ONE display_data /
 * execute_result bundle holding the gankit JSON type below, an `image/png` fallback
 * (base64, no data: prefix) and `text/plain`. Payloads are self-contained and bounded.
 */

export const TENSOR_MIME = 'application/vnd.gankit.tensor.v1+json';
export const IMAGES_MIME = 'application/vnd.gankit.images.v1+json';
export const PLOT_MIME = 'application/vnd.gankit.plot.v1+json';

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
  /** Named series of [step, value] pairs, already downsampled to at most `maxPoints` each. */
  series: { name: string; points: [number, number][]; axis?: 'y' | 'y2' }[];
  maxPoints: number;
  scale: 'linear' | 'log';
  /** True once the run finished (no more updates will come). */
  final: boolean;
}

/** A MIME bundle ready for display_data / execute_result. */
export type MimeBundle = Record<string, unknown> & { 'text/plain': string };
