/**
 * Validation of the three gankit MIME payloads (see ./contract.ts). A renderer never trusts
 * what arrives from a kernel or a saved notebook: every field is checked for type, range and
 * size before anything is drawn, and the first problem is reported as a `PayloadError` whose
 * message has one shape everywhere, e.g.
 *   "Expected positive integer for preview.width but received -1 of type number".
 */
import type { ImagesPayload, PlotPayload, TensorPayload } from './contract';

/** Upper bounds that keep a (possibly hostile) payload from exhausting the page. */
export const LIMITS = {
  /** Longest side of a tensor preview (the contract promises <= 256; some slack). */
  previewSide: 1024,
  /** Tensor rank. */
  rank: 32,
  /** Alternative slices of one tensor. */
  slices: 64,
  /** Images in one grid. */
  images: 1024,
  /** Side of one grid image in pixels. */
  imageSide: 8192,
  /** Grid padding in pixels. */
  padding: 256,
  /** Characters of one base64 PNG. */
  pngChars: 16 * 1024 * 1024,
  /** Characters of all base64 PNGs in one payload. */
  totalPngChars: 64 * 1024 * 1024,
  /** Series in one plot. */
  series: 64,
  /** Points in one series. */
  points: 200_000,
  /** Characters of a caption, label, name or title. */
  text: 1000
} as const;

export class PayloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PayloadError';
  }
}

// ---- predicates -------------------------------------------------------------------------------

export const is = {
  object: (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v),
  number: (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v),
  integer: (v: unknown): v is number => Number.isInteger(v),
  string: (v: unknown): v is string => typeof v === 'string',
  boolean: (v: unknown): v is boolean => typeof v === 'boolean',
  array: (v: unknown): v is unknown[] => Array.isArray(v),
  inRange: (v: number, lo: number, hi: number): boolean => v >= lo && v <= hi,
  base64: (v: string): boolean => v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v)
};

function describe(value: unknown): string {
  let s: string;
  if (value === undefined) {
    return 'undefined';
  }
  if (typeof value === 'string') {
    s = JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  } else if (Array.isArray(value)) {
    s = `array of length ${value.length}`;
  } else if (typeof value === 'object' && value !== null) {
    s = 'object';
  } else {
    s = String(value);
  }
  return `${s} of type ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`;
}

/** The one error builder: "Expected <what> for <path> but received <value> of type <type>". */
export function invalid(path: string, expected: string, value: unknown): PayloadError {
  return new PayloadError(`Expected ${expected} for ${path} but received ${describe(value)}`);
}

// ---- field checkers (also used by explorer/validate.ts) ------------------------------------------

export function obj(v: unknown, path: string): Record<string, unknown> {
  if (!is.object(v)) {
    throw invalid(path, 'object', v);
  }
  return v;
}

export function int(v: unknown, path: string, min: number, max: number, what = 'integer'): number {
  if (!is.integer(v) || !is.inRange(v as number, min, max)) {
    throw invalid(path, `${what} in [${min}, ${max}]`, v);
  }
  return v as number;
}

export function num(v: unknown, path: string): number {
  if (!is.number(v)) {
    throw invalid(path, 'finite number', v);
  }
  return v;
}

function numOrNull(v: unknown, path: string): number | null {
  if (v === null) {
    return null;
  }
  if (!is.number(v)) {
    throw invalid(path, 'finite number or null', v);
  }
  return v;
}

export function str(v: unknown, path: string, max: number = LIMITS.text): string {
  if (!is.string(v)) {
    throw invalid(path, 'string', v);
  }
  if (v.length > max) {
    throw invalid(path, `string of at most ${max} characters`, v);
  }
  return v;
}

function optStr(v: unknown, path: string): string | undefined {
  return v === undefined ? undefined : str(v, path);
}

export function arr(v: unknown, path: string, max: number): unknown[] {
  if (!is.array(v)) {
    throw invalid(path, 'array', v);
  }
  if (v.length > max) {
    throw invalid(path, `array of at most ${max} items`, v);
  }
  return v;
}

export function version(v: unknown): 1 {
  if (v !== 1) {
    throw invalid('version', 'version 1 (this extension understands v1 payloads only)', v);
  }
  return 1;
}

class PngBudget {
  used = 0;
  take(v: unknown, path: string, allowEmpty = false): string {
    const s = str(v, path, LIMITS.pngChars);
    if ((!allowEmpty && s.length === 0) || !is.base64(s)) {
      throw invalid(path, 'base64-encoded PNG without data: prefix', v);
    }
    this.used += s.length;
    if (this.used > LIMITS.totalPngChars) {
      throw new PayloadError(`Payload too large: images exceed ${LIMITS.totalPngChars} base64 characters in total`);
    }
    return s;
  }
}

// ---- tensor ----------------------------------------------------------------------------------------

type SliceSpec = TensorPayload['slice'];
type Preview = TensorPayload['preview'];

function sliceSpec(v: unknown, path: string, rank: number): SliceSpec {
  const a = arr(v, path, LIMITS.rank);
  if (a.length !== rank) {
    throw invalid(path, `array with one entry per axis (${rank})`, v);
  }
  return a.map((e, i) => {
    const p = `${path}[${i}]`;
    if (is.array(e)) {
      if (e.length !== 3) {
        throw invalid(p, '[start, stop, step]', e);
      }
      const start = int(e[0], `${p}[0]`, 0, Number.MAX_SAFE_INTEGER, 'integer');
      const stop = int(e[1], `${p}[1]`, 0, Number.MAX_SAFE_INTEGER, 'integer');
      const step = int(e[2], `${p}[2]`, 1, Number.MAX_SAFE_INTEGER, 'positive integer');
      return [start, stop, step] as [number, number, number];
    }
    return int(e, p, 0, Number.MAX_SAFE_INTEGER, 'index or [start, stop, step]');
  });
}

function preview(v: unknown, path: string, budget: PngBudget): Preview {
  const o = obj(v, path);
  const kind = o.kind;
  if (kind !== 'heatmap' && kind !== 'image') {
    throw invalid(`${path}.kind`, '"heatmap" or "image"', kind);
  }
  const width = int(o.width, `${path}.width`, 1, LIMITS.previewSide, 'positive integer');
  const height = int(o.height, `${path}.height`, 1, LIMITS.previewSide, 'positive integer');
  let values: (number | null)[] | undefined;
  if (o.values !== undefined) {
    const a = arr(o.values, `${path}.values`, LIMITS.previewSide * LIMITS.previewSide);
    if (a.length !== width * height) {
      throw invalid(`${path}.values`, `array of width*height = ${width * height} values`, a);
    }
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (x !== null && !is.number(x)) {
        throw invalid(`${path}.values[${i}]`, 'finite number or null', x);
      }
    }
    values = a as (number | null)[];
  }
  const r = arr(o.range, `${path}.range`, 2);
  if (r.length !== 2) {
    throw invalid(`${path}.range`, '[low, high]', r);
  }
  const range: [number, number] = [num(r[0], `${path}.range[0]`), num(r[1], `${path}.range[1]`)];
  // A heatmap with values may leave its greyscale PNG empty; an image needs its pixels.
  const png = budget.take(o.png, `${path}.png`, kind === 'heatmap' && values !== undefined);
  if (kind === 'heatmap' && values === undefined && png.length === 0) {
    throw invalid(`${path}`, 'heatmap with values or png', o);
  }
  const s = arr(o.stride, `${path}.stride`, 2);
  if (s.length !== 2) {
    throw invalid(`${path}.stride`, '[rowStride, colStride]', s);
  }
  const stride: [number, number] = [
    int(s[0], `${path}.stride[0]`, 1, Number.MAX_SAFE_INTEGER, 'positive integer'),
    int(s[1], `${path}.stride[1]`, 1, Number.MAX_SAFE_INTEGER, 'positive integer')
  ];
  return { kind, width, height, values, range, png, stride };
}

export function validateTensor(data: unknown): TensorPayload {
  const o = obj(data, 'payload');
  version(o.version);
  const shape = arr(o.shape, 'shape', LIMITS.rank).map((d, i) =>
    int(d, `shape[${i}]`, 0, Number.MAX_SAFE_INTEGER, 'non-negative integer')
  );
  const dtype = str(o.dtype, 'dtype', 64);
  const name = optStr(o.name, 'name');
  const st = obj(o.stats, 'stats');
  const stats = {
    min: numOrNull(st.min, 'stats.min'),
    max: numOrNull(st.max, 'stats.max'),
    mean: numOrNull(st.mean, 'stats.mean'),
    std: numOrNull(st.std, 'stats.std'),
    nanCount: int(st.nanCount, 'stats.nanCount', 0, Number.MAX_SAFE_INTEGER, 'non-negative integer'),
    infCount: int(st.infCount, 'stats.infCount', 0, Number.MAX_SAFE_INTEGER, 'non-negative integer'),
    size: int(st.size, 'stats.size', 0, Number.MAX_SAFE_INTEGER, 'non-negative integer')
  };
  const budget = new PngBudget();
  const result: TensorPayload = {
    version: 1,
    shape,
    dtype,
    stats,
    preview: preview(o.preview, 'preview', budget),
    slice: sliceSpec(o.slice, 'slice', shape.length)
  };
  if (name !== undefined) {
    result.name = name;
  }
  if (o.slices !== undefined) {
    result.slices = arr(o.slices, 'slices', LIMITS.slices).map((e, i) => {
      const p = `slices[${i}]`;
      const so = obj(e, p);
      return {
        label: str(so.label, `${p}.label`, 200),
        slice: sliceSpec(so.slice, `${p}.slice`, shape.length),
        preview: preview(so.preview, `${p}.preview`, budget)
      };
    });
  }
  return result;
}

// ---- images ---------------------------------------------------------------------------------------

export function validateImages(data: unknown): ImagesPayload {
  const o = obj(data, 'payload');
  version(o.version);
  const budget = new PngBudget();
  const images = arr(o.images, 'images', LIMITS.images).map((e, i) => {
    const p = `images[${i}]`;
    const io = obj(e, p);
    const img: ImagesPayload['images'][number] = {
      png: budget.take(io.png, `${p}.png`),
      width: int(io.width, `${p}.width`, 1, LIMITS.imageSide, 'positive integer'),
      height: int(io.height, `${p}.height`, 1, LIMITS.imageSide, 'positive integer')
    };
    const caption = optStr(io.caption, `${p}.caption`);
    if (caption !== undefined) {
      img.caption = caption;
    }
    return img;
  });
  const result: ImagesPayload = {
    version: 1,
    images,
    nrow: int(o.nrow, 'nrow', 1, LIMITS.images, 'positive integer'),
    padding: int(o.padding, 'padding', 0, LIMITS.padding, 'non-negative integer'),
    padValue: num(o.padValue, 'padValue'),
    total: int(o.total, 'total', images.length, Number.MAX_SAFE_INTEGER, 'integer (>= images.length)')
  };
  if (!is.inRange(result.padValue, 0, 1)) {
    throw invalid('padValue', 'number in [0, 1]', result.padValue);
  }
  const title = optStr(o.title, 'title');
  if (title !== undefined) {
    result.title = title;
  }
  return result;
}

// ---- plot -----------------------------------------------------------------------------------------

/** Like PlotPayload, but a value may be null (a NaN or Inf loss serialised by JSON) and is drawn as a gap. */
export type PlotData = Omit<PlotPayload, 'series'> & {
  series: { name: string; points: [number, number | null][]; axis?: 'y' | 'y2'; panel?: number }[];
};

/** Most stacked panels in one plot (`series[].panel` is 0 .. MAX_PANELS - 1). */
export const MAX_PANELS = 8;

export function validatePlot(data: unknown): PlotData {
  const o = obj(data, 'payload');
  version(o.version);
  const series = arr(o.series, 'series', LIMITS.series).map((e, i) => {
    const p = `series[${i}]`;
    const so = obj(e, p);
    const name = str(so.name, `${p}.name`, 200);
    const raw = arr(so.points, `${p}.points`, LIMITS.points);
    const points = raw.map((pt, j) => {
      if (!is.array(pt) || pt.length !== 2) {
        throw invalid(`${p}.points[${j}]`, '[step, value]', pt);
      }
      return [num(pt[0], `${p}.points[${j}][0]`), numOrNull(pt[1], `${p}.points[${j}][1]`)] as [number, number | null];
    });
    const s: PlotData['series'][number] = { name, points };
    if (so.axis !== undefined) {
      if (so.axis !== 'y' && so.axis !== 'y2') {
        throw invalid(`${p}.axis`, '"y" or "y2"', so.axis);
      }
      s.axis = so.axis;
    }
    if (so.panel !== undefined) {
      s.panel = int(so.panel, `${p}.panel`, 0, MAX_PANELS - 1);
    }
    return s;
  });
  if (o.scale !== 'linear' && o.scale !== 'log') {
    throw invalid('scale', '"linear" or "log"', o.scale);
  }
  if (!is.boolean(o.final)) {
    throw invalid('final', 'boolean', o.final);
  }
  if (o.stopped !== undefined && !is.boolean(o.stopped)) {
    throw invalid('stopped', 'boolean', o.stopped);
  }
  const result: PlotData = {
    version: 1,
    series,
    maxPoints: int(o.maxPoints, 'maxPoints', 1, LIMITS.points, 'positive integer'),
    scale: o.scale,
    final: o.final
  };
  if (o.stopped === true) {
    result.stopped = true;
  }
  for (const k of ['title', 'xLabel', 'yLabel'] as const) {
    const v = optStr(o[k], k);
    if (v !== undefined) {
      result[k] = v;
    }
  }
  return result;
}
