/**
 * Small dense float64 linear algebra for the Frechet distance: symmetric eigen-decomposition
 * (cyclic Jacobi rotations, accurate to ~1e-12 relative for the 128x128 covariances used here),
 * square roots of symmetric positive semi-definite matrices, and products. Matrices are row-major
 * Float64Arrays of n * n entries.
 */
import { GankitError } from '../../util/errors.js';

/** Eigenvalues (unsorted) and eigenvectors (the columns of `vectors`, row-major n x n) of a symmetric matrix. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array;
}

/** Check that `a` holds n x n finite entries and is symmetric to a relative 1e-8; `name` appears in errors. */
export function assertSymmetric(a: Float64Array, n: number, name: string): void {
  if (a.length !== n * n) throw new GankitError(`Expected ${n} x ${n} = ${n * n} entries for ${name} but received ${a.length}`);
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!Number.isFinite(v)) throw new GankitError(`Expected finite entries for ${name} but received ${v} at index ${i}`);
    scale = Math.max(scale, Math.abs(v));
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(a[i * n + j]! - a[j * n + i]!) > 1e-8 * Math.max(scale, 1e-300)) {
        throw new GankitError(`Expected a symmetric matrix for ${name} but entries [${i}, ${j}] and [${j}, ${i}] differ: ${a[i * n + j]} vs ${a[j * n + i]}`);
      }
    }
  }
}

/** Eigen-decomposition of a symmetric n x n matrix (only its symmetric part is used) by cyclic Jacobi sweeps. */
export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (matrix[i * n + j]! + matrix[j * n + i]!);
  // w holds the eigenvectors as rows (V transposed), so each rotation updates two contiguous rows.
  const w = new Float64Array(n * n);
  for (let i = 0; i < n; i++) w[i * n + i] = 1;
  let total = 0;
  for (let i = 0; i < a.length; i++) total += a[i]! * a[i]!;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q]! * a[p * n + q]!;
    if (off <= 1e-30 * total || off === 0) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        // Rotation J (J_pp = J_qq = c, J_pq = s, J_qp = -s) with (J^T A J)_pq = 0 (Numerical Recipes' jacobi).
        const theta = (aqq - app) / (2 * apq);
        const t = Math.abs(theta) > 1e150 ? 1 / (2 * theta) : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        const rp = p * n;
        const rq = q * n;
        for (let k = 0; k < n; k++) {
          if (k === p || k === q) continue;
          const apk = a[rp + k]!;
          const aqk = a[rq + k]!;
          const np = c * apk - s * aqk;
          const nq = s * apk + c * aqk;
          a[rp + k] = np;
          a[k * n + p] = np;
          a[rq + k] = nq;
          a[k * n + q] = nq;
        }
        a[rp + p] = app - t * apq;
        a[rq + q] = aqq + t * apq;
        a[rp + q] = 0;
        a[rq + p] = 0;
        for (let k = 0; k < n; k++) {
          const wpk = w[rp + k]!;
          const wqk = w[rq + k]!;
          w[rp + k] = c * wpk - s * wqk;
          w[rq + k] = s * wpk + c * wqk;
        }
      }
    }
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = a[i * n + i]!;
  const vectors = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vectors[i * n + j] = w[j * n + i]!;
  return { values, vectors };
}

/** V diag(f(values)) V^T for an eigen-decomposition: a matrix function of a symmetric matrix. */
export function fromEigen(eig: SymmetricEigen, n: number, f: (value: number) => number): Float64Array {
  const fv = eig.values.map(f);
  const out = new Float64Array(n * n);
  const v = eig.vectors;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += v[i * n + k]! * fv[k]! * v[j * n + k]!;
      out[i * n + j] = sum;
      out[j * n + i] = sum;
    }
  }
  return out;
}

/** The symmetric PSD square root of a symmetric PSD matrix (eigenvalues below 0, from rounding, count as 0). */
export function sqrtPsd(matrix: Float64Array, n: number): Float64Array {
  return fromEigen(symmetricEigen(matrix, n), n, (x) => Math.sqrt(Math.max(x, 0)));
}

/** Product of two n x n row-major matrices. */
export function matMul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      const aik = a[i * n + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < n; j++) out[i * n + j] += aik * b[k * n + j]!;
    }
  }
  return out;
}

/** Trace of an n x n row-major matrix. */
export function trace(a: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i]!;
  return t;
}
