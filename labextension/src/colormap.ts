/**
 * Colormaps for tensor heatmaps, as 256-entry RGB lookup tables interpolated from a few
 * stops. viridis, magma, inferno and plasma follow matplotlib's perceptually uniform maps
 * (9 evenly spaced stops each, so within a few levels of the originals); greys runs from black
 * to white, like matplotlib's "gray"; coolwarm is Moreland's diverging map.
 */

export const COLORMAPS = ['viridis', 'magma', 'inferno', 'plasma', 'greys', 'coolwarm'] as const;
export type ColormapName = (typeof COLORMAPS)[number];
export const DEFAULT_COLORMAP: ColormapName = 'viridis';

const STOPS: Record<ColormapName, string[]> = {
  viridis: ['440154', '472d7b', '3b528b', '2c728e', '21908c', '27ad81', '5dc863', 'aadc32', 'fde725'],
  magma: ['000004', '1d1147', '51127c', '822681', 'b63679', 'e65164', 'fb8861', 'fec287', 'fcfdbf'],
  inferno: ['000004', '1f0c48', '550f6d', '88226a', 'ba3655', 'e35932', 'f98c0a', 'f9c932', 'fcffa4'],
  plasma: ['0d0887', '4c02a1', '7e03a8', 'a92395', 'cc4778', 'e56b5d', 'f89441', 'fdc328', 'f0f921'],
  greys: ['000000', 'ffffff'],
  coolwarm: ['3b4cc0', '7b9ff9', 'c0d4f5', 'dddddd', 'f2cbb7', 'ee8468', 'b40426']
};

export function isColormap(name: unknown): name is ColormapName {
  return typeof name === 'string' && (COLORMAPS as readonly string[]).includes(name);
}

const cache = new Map<ColormapName, Uint8Array>();

/** 256 RGB triples (length 768) for `name`. */
export function colormapLut(name: ColormapName): Uint8Array {
  let lut = cache.get(name);
  if (!lut) {
    const stops = STOPS[name].map(h => [0, 2, 4].map(i => parseInt(h.slice(i, i + 2), 16)));
    lut = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) {
      const t = (i / 255) * (stops.length - 1);
      const k = Math.min(Math.floor(t), stops.length - 2);
      const f = t - k;
      for (let c = 0; c < 3; c++) {
        lut[i * 3 + c] = Math.round(stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f);
      }
    }
    cache.set(name, lut);
  }
  return lut;
}

/** Index 0..255 of `v` in [lo, hi] (clamped; a degenerate range maps to the middle). */
export function lutIndex(v: number, lo: number, hi: number): number {
  if (!(hi > lo)) {
    return 128;
  }
  const t = (v - lo) / (hi - lo);
  return t <= 0 ? 0 : t >= 1 ? 255 : Math.round(t * 255);
}

/**
 * RGBA pixels (row-major, width*height*4) for heatmap `values` over `range`. Null (NaN/Inf in
 * the tensor) becomes fully transparent, so the checkerboard behind the canvas shows through.
 */
export function heatmapRgba(values: ArrayLike<number | null>, range: [number, number], lut: Uint8Array): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  const [lo, hi] = range;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || !Number.isFinite(v)) {
      continue; // alpha stays 0
    }
    const j = lutIndex(v, lo, hi) * 3;
    out[i * 4] = lut[j];
    out[i * 4 + 1] = lut[j + 1];
    out[i * 4 + 2] = lut[j + 2];
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** A horizontal colour bar, `width` x 1 RGBA. */
export function colorbarRgba(lut: Uint8Array, width = 256): Uint8ClampedArray {
  const out = new Uint8ClampedArray(width * 4);
  for (let x = 0; x < width; x++) {
    const j = Math.round((x / Math.max(1, width - 1)) * 255) * 3;
    out.set([lut[j], lut[j + 1], lut[j + 2], 255], x * 4);
  }
  return out;
}
