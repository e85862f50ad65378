/** Mean and covariance of feature vectors in float64, and their compact binary form. */
import { GankitError } from '../../util/errors.js';

/** Gaussian statistics of n feature vectors of length dim: mean [dim] and covariance [dim * dim] row-major. */
export interface FeatureStatistics {
  /** Number of vectors they were computed from. */
  n: number;
  dim: number;
  mu: Float64Array;
  /** Unbiased covariance (divided by n - 1), row-major dim x dim. */
  sigma: Float64Array;
}

/** Mean and unbiased covariance of `n` row vectors of length `dim` stored back to back (n >= 2). */
export function featureStatistics(features: Float32Array | Float64Array, n: number, dim: number): FeatureStatistics {
  if (n < 2) throw new GankitError(`Expected at least 2 feature vectors for a covariance but received ${n}`);
  if (features.length !== n * dim) throw new GankitError(`Expected ${n} x ${dim} = ${n * dim} feature values but received ${features.length}`);
  const mu = new Float64Array(dim);
  for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mu[j] += features[i * dim + j]!;
  for (let j = 0; j < dim; j++) mu[j] /= n;
  const sigma = new Float64Array(dim * dim);
  const row = new Float64Array(dim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < dim; j++) row[j] = features[i * dim + j]! - mu[j]!;
    for (let j = 0; j < dim; j++) {
      const rj = row[j]!;
      if (rj === 0) continue;
      for (let k = j; k < dim; k++) sigma[j * dim + k] += rj * row[k]!;
    }
  }
  for (let j = 0; j < dim; j++) {
    for (let k = j; k < dim; k++) {
      const c = sigma[j * dim + k]! / (n - 1);
      sigma[j * dim + k] = c;
      sigma[k * dim + j] = c;
    }
  }
  return { n, dim, mu, sigma };
}

/** Encode statistics as little-endian float64: mean (dim values) then covariance (dim * dim, row-major). */
export function encodeStatistics(stats: FeatureStatistics): Uint8Array {
  const bytes = new Uint8Array((stats.dim + stats.dim * stats.dim) * 8);
  const view = new DataView(bytes.buffer);
  stats.mu.forEach((v, i) => view.setFloat64(i * 8, v, true));
  stats.sigma.forEach((v, i) => view.setFloat64((stats.dim + i) * 8, v, true));
  return bytes;
}

/** Decode encodeStatistics' bytes for a known dim and count n; throws when the size does not match. */
export function decodeStatistics(bytes: Uint8Array, dim: number, n: number, source: string): FeatureStatistics {
  const expected = (dim + dim * dim) * 8;
  if (bytes.length !== expected) throw new GankitError(`Expected ${expected} bytes (float64 mean and ${dim} x ${dim} covariance) in ${source} but received ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Float64Array(dim + dim * dim);
  for (let i = 0; i < values.length; i++) values[i] = view.getFloat64(i * 8, true);
  return { n, dim, mu: values.slice(0, dim), sigma: values.slice(dim) };
}
