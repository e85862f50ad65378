/**
 * Frechet distance between two Gaussians N(mu1, S1) and N(mu2, S2) (the FID formula of Heusel et
 * al. 2017): |mu1 - mu2|^2 + tr S1 + tr S2 - 2 tr sqrt(S1^1/2 S2 S1^1/2), computed exactly in
 * float64 with symmetric eigen-decompositions (tr sqrt(S1 S2) = sum of sqrt(eig(S1^1/2 S2 S1^1/2))).
 */
import { GankitError, invalidParameterError } from '../../util/errors.js';
import { assertSymmetric, matMul, sqrtPsd, symmetricEigen, trace } from './linalg.js';

type Vector = Float64Array | Float32Array | readonly number[];

function toF64(x: Vector, name: string): Float64Array {
  if (!(x instanceof Float64Array || x instanceof Float32Array || Array.isArray(x))) {
    throw invalidParameterError(name, 'a Float64Array, Float32Array or number array', x);
  }
  return Float64Array.from(x as ArrayLike<number>);
}

/** Dimension d of a mean vector (d entries), checked against a d x d covariance. */
function dimOf(mu: Float64Array, sigma: Float64Array, muName: string, sigmaName: string): number {
  const d = mu.length;
  if (d === 0) throw new GankitError(`Expected at least one entry for ${muName} but received 0`);
  for (let i = 0; i < d; i++) {
    if (!Number.isFinite(mu[i]!)) throw new GankitError(`Expected finite entries for ${muName} but received ${mu[i]} at index ${i}`);
  }
  assertSymmetric(sigma, d, `${sigmaName} (${d} x ${d}, matching ${muName})`);
  return d;
}

/**
 * Frechet distance (>= 0, in squared feature units) between N(mu1, sigma1) and N(mu2, sigma2):
 * means of length d, covariances d x d row-major, symmetric positive semi-definite.
 */
export function frechetDistance(mu1: Vector, sigma1: Vector, mu2: Vector, sigma2: Vector): number {
  const m1 = toF64(mu1, 'mu1');
  const s1 = toF64(sigma1, 'sigma1');
  const m2 = toF64(mu2, 'mu2');
  const s2 = toF64(sigma2, 'sigma2');
  const d = dimOf(m1, s1, 'mu1', 'sigma1');
  if (m2.length !== d) throw new GankitError(`Expected ${d} entries (the length of mu1) for mu2 but received ${m2.length}`);
  dimOf(m2, s2, 'mu2', 'sigma2');
  let meanTerm = 0;
  for (let i = 0; i < d; i++) meanTerm += (m1[i]! - m2[i]!) ** 2;
  const root1 = sqrtPsd(s1, d);
  const middle = matMul(matMul(root1, s2, d), root1, d);
  const { values } = symmetricEigen(middle, d);
  let traceRoot = 0;
  for (const v of values) traceRoot += Math.sqrt(Math.max(v, 0));
  const fd = meanTerm + trace(s1, d) + trace(s2, d) - 2 * traceRoot;
  // Rounding can leave a tiny negative number for (near) identical Gaussians.
  return Math.max(fd, 0);
}
