/**
 * The latent arithmetic of the explorer, pure and without tfjs: blending the pad's four anchors
 * (spherical or linear), moving along slider directions, truncation, the fixed neighbourhood of
 * samples around the point, and the TypeScript that "copy z" writes.
 */
import type { ExplorerPayload } from '../contract';

export type Vec = Float64Array;
export type Interpolation = ExplorerPayload['interpolation'];

/** Everything the user controls; the latent point follows from it and the payload. */
export interface ExplorerState {
  /** Pad position, each in [0, 1]: u left to right, v top to bottom. */
  u: number;
  v: number;
  /** One value per slider direction, in [-SLIDER_RANGE, SLIDER_RANGE]. */
  sliders: number[];
  /** Truncation threshold, or null for none. */
  truncation: number | null;
  /** Standard deviation of the neighbours' offsets, in [0, 2]. */
  spread: number;
  interpolation: Interpolation;
  /** Class index (conditional generators), else null. */
  label: number | null;
  /** Seed of the current anchors. */
  seed: number;
}

/** Sliders move z by up to this many units along their unit direction. */
export const SLIDER_RANGE = 4;

/** t in [0, 1] from a to b: along the great circle (slerp) or the straight line (lerp). */
export function interpolate(a: Vec, b: Vec, t: number, mode: Interpolation): Vec {
  const out = new Float64Array(a.length);
  let wa = 1 - t;
  let wb = t;
  if (mode === 'spherical') {
    let dot = 0;
    let na = 0;
    let nb = 0;
    for (let i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    const omega = na > 0 && nb > 0 ? Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb)))) : 0;
    // (Anti)parallel within rounding: slerp is lerp (as gankit's interpolate()).
    if (omega >= 1e-6) {
      const so = Math.sin(omega);
      wa = Math.sin((1 - t) * omega) / so;
      wb = Math.sin(t * omega) / so;
    }
  }
  for (let i = 0; i < a.length; i++) {
    out[i] = wa * a[i] + wb * b[i];
  }
  return out;
}

/** The pad's point: top edge blends anchors 0 -> 1, bottom edge 2 -> 3, then top -> bottom by v. */
export function blendAnchors(anchors: readonly Vec[], u: number, v: number, mode: Interpolation): Vec {
  const top = interpolate(anchors[0], anchors[1], u, mode);
  const bottom = interpolate(anchors[2], anchors[3], u, mode);
  return interpolate(top, bottom, v, mode);
}

/** Clip every entry to [-t, t] (t null: unchanged), in place. */
export function truncate(z: Vec, t: number | null): Vec {
  if (t !== null) {
    for (let i = 0; i < z.length; i++) {
      z[i] = Math.max(-t, Math.min(t, z[i]));
    }
  }
  return z;
}

/** The current latent point: the pad's blend, moved along the sliders' directions, truncated. */
export function currentPoint(anchors: readonly Vec[], directions: readonly Vec[], s: ExplorerState): Vec {
  const z = blendAnchors(anchors, s.u, s.v, s.interpolation);
  directions.forEach((d, k) => {
    const w = s.sliders[k] ?? 0;
    for (let i = 0; i < z.length; i++) {
      z[i] += w * d[i];
    }
  });
  return truncate(z, s.truncation);
}

/** A seeded uniform generator in [0, 1) (mulberry32). */
export function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` fixed N(0, I) offsets of length `dim` (Box-Muller over mulberry32(seed)); offset 0 is zero (the point itself). */
export function neighbourOffsets(n: number, dim: number, seed: number): Vec[] {
  const rand = uniform(seed ^ 0x5eed);
  return Array.from({ length: n }, (_, k) => {
    const o = new Float64Array(dim);
    if (k > 0) {
      for (let i = 0; i < dim; i++) {
        const r = Math.sqrt(-2 * Math.log(1 - rand()));
        o[i] = r * Math.cos(2 * Math.PI * rand());
      }
    }
    return o;
  });
}

/** The batch [samples, dim] the generator gets: the point plus `spread` times each offset, truncated. */
export function sampleBatch(z: Vec, offsets: readonly Vec[], spread: number, t: number | null): Float32Array {
  const dim = z.length;
  const out = new Float32Array(offsets.length * dim);
  offsets.forEach((o, k) => {
    for (let i = 0; i < dim; i++) {
      const x = z[i] + spread * o[i];
      out[k * dim + i] = t === null ? x : Math.max(-t, Math.min(t, x));
    }
  });
  return out;
}

const num = (x: number, digits: number): string => {
  const s = x.toFixed(digits);
  return s === `-${(0).toFixed(digits)}` ? s.slice(1) : s;
};

/** TypeScript for the next cell that recreates the current point and shows its image. */
export function copyZCode(z: Vec, s: ExplorerState, p: Pick<ExplorerPayload, 'generatorName' | 'classes' | 'image'>): string {
  const values: string[] = Array.from(z, x => num(x, 4));
  const rows: string[] = [];
  for (let i = 0; i < values.length; i += 10) {
    rows.push('  ' + values.slice(i, i + 10).join(', ') + ',');
  }
  const where = [
    `anchors seed ${s.seed}`,
    `pad (${num(s.u, 2)}, ${num(s.v, 2)}) ${s.interpolation}`,
    ...(s.sliders.length ? [`directions [${s.sliders.map(w => num(w, 2)).join(', ')}]`] : []),
    `truncation ${s.truncation === null ? 'off' : num(s.truncation, 2)}`
  ];
  const label = s.label !== null && p.classes ? s.label : null;
  if (label !== null) {
    where.push(`class ${label} (${JSON.stringify(p.classes![label])})`);
  }
  const [lo, hi] = p.image.range;
  const range = lo === -1 && hi === 1 ? "'-1-1'" : lo === 0 && hi === 1 ? "'0-1'" : `[${lo}, ${hi}]`;
  const g = p.generatorName;
  return [
    `// gankit latent explorer: ${where.join(', ')}`,
    `const z = tf.tensor2d([[`,
    ...rows,
    `]]); // [1, ${z.length}]`,
    `showImages(generate(${g}, z${label !== null ? `, ${label}` : ''}), { range: ${range} });`
  ].join('\n');
}
