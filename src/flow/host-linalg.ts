/**
 * Small float64 linear algebra on the host, for C×C matrices (C ≤ a few dozen): the random rotation
 * an invertible 1×1 conv starts from, and LU factors with partial pivoting. Setup work only.
 */
import type { Rng } from '../util/random.js';

/** Row-major C×C matrix. */
export type Matrix = Float64Array;

/** A Haar-random orthogonal matrix: Gram–Schmidt (twice, for accuracy) on a Gaussian matrix's columns. */
export function randomOrthogonal(rng: Rng, c: number): Matrix {
  const q = new Float64Array(c * c);
  for (let i = 0; i < c * c; i++) q[i] = rng.normal();
  for (let j = 0; j < c; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < c; i++) dot += q[i * c + j] * q[i * c + k];
        for (let i = 0; i < c; i++) q[i * c + j] -= dot * q[i * c + k];
      }
    }
    let norm = 0;
    for (let i = 0; i < c; i++) norm += q[i * c + j] ** 2;
    norm = Math.sqrt(norm);
    for (let i = 0; i < c; i++) q[i * c + j] /= norm;
  }
  return q;
}

/** P·A = L·U with partial pivoting: `perm[i]` is the row of A that became row i; L unit lower and U upper, packed in `lu`. */
export function luDecompose(a: Matrix, c: number): { lu: Matrix; perm: Int32Array; sign: number } {
  const lu = a.slice();
  const perm = Int32Array.from({ length: c }, (_, i) => i);
  let sign = 1;
  for (let k = 0; k < c; k++) {
    let p = k;
    for (let i = k + 1; i < c; i++) if (Math.abs(lu[i * c + k]) > Math.abs(lu[p * c + k])) p = i;
    if (p !== k) {
      for (let j = 0; j < c; j++) [lu[k * c + j], lu[p * c + j]] = [lu[p * c + j], lu[k * c + j]];
      [perm[k], perm[p]] = [perm[p], perm[k]];
      sign = -sign;
    }
    const pivot = lu[k * c + k];
    if (pivot === 0) continue;
    for (let i = k + 1; i < c; i++) {
      const f = lu[i * c + k] / pivot;
      lu[i * c + k] = f;
      for (let j = k + 1; j < c; j++) lu[i * c + j] -= f * lu[k * c + j];
    }
  }
  return { lu, perm, sign };
}

/** log |det A| (−∞ for a singular matrix). */
export function logAbsDet(a: Matrix, c: number): number {
  const { lu } = luDecompose(a, c);
  let s = 0;
  for (let i = 0; i < c; i++) s += Math.log(Math.abs(lu[i * c + i]));
  return s;
}

/**
 * The starting factors of an LU-parameterised 1×1 conv: W = L·U is a random rotation (rows permuted
 * and columns sign-flipped, which keeps it orthogonal) with L unit lower-triangular, |L| ≤ 1 from the
 * pivoting, and U upper with a positive diagonal exp(logS). So no permutation or sign buffers are needed.
 */
export function rotationLU(rng: Rng, c: number): { lower: Float64Array; logS: Float64Array; upper: Float64Array } {
  const { lu } = luDecompose(randomOrthogonal(rng, c), c);
  const lower = new Float64Array(c * c);
  const upper = new Float64Array(c * c);
  const logS = new Float64Array(c);
  for (let i = 0; i < c; i++) {
    logS[i] = Math.log(Math.abs(lu[i * c + i]));
    for (let j = 0; j < c; j++) {
      if (j < i) lower[i * c + j] = lu[i * c + j];
      // Column j of U is multiplied by the sign of its diagonal entry.
      if (j > i) upper[i * c + j] = lu[i * c + j] * (Math.sign(lu[j * c + j]) || 1);
    }
  }
  return { lower, logS, upper };
}
