/** Host linear algebra of the flows: LU with pivoting reconstructs its matrix, the 1×1 conv's start is a rotation. */
import { describe, expect, it } from 'vitest';
import { logAbsDet, luDecompose, randomOrthogonal, rotationLU } from '../src/flow/host-linalg.js';
import { Rng } from '../src/util/random.js';

function product(a: Float64Array, b: Float64Array, c: number): Float64Array {
  const out = new Float64Array(c * c);
  for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) for (let k = 0; k < c; k++) out[i * c + j] += a[i * c + k] * b[k * c + j];
  return out;
}

describe('host linear algebra', () => {
  it('P·A = L·U, and log|det| of a known matrix', () => {
    const c = 6;
    const rng = new Rng(2);
    const a = Float64Array.from({ length: c * c }, () => rng.normal());
    const { lu, perm } = luDecompose(a, c);
    const l = new Float64Array(c * c);
    const u = new Float64Array(c * c);
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) (j < i ? l : u)[i * c + j] = lu[i * c + j];
    for (let i = 0; i < c; i++) l[i * c + i] = 1;
    const lu2 = product(l, u, c);
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) expect(lu2[i * c + j]).toBeCloseTo(a[perm[i] * c + j], 12);
    // diag(2, 3, 0.5) with its rows swapped: |det| = 3.
    expect(logAbsDet(Float64Array.of(0, 3, 0, 2, 0, 0, 0, 0, 0.5), 3)).toBeCloseTo(Math.log(3), 12);
  });

  it('the 1×1 conv starts from an orthogonal W = L·U with |L| ≤ 1', () => {
    const c = 7;
    const q = randomOrthogonal(new Rng(4), c);
    const qtq = product(
      Float64Array.from({ length: c * c }, (_, k) => q[(k % c) * c + Math.floor(k / c)]),
      q,
      c,
    );
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) expect(qtq[i * c + j]).toBeCloseTo(i === j ? 1 : 0, 12);
    const { lower, logS, upper } = rotationLU(new Rng(4), c);
    const l = lower.slice();
    const u = upper.slice();
    for (let i = 0; i < c; i++) {
      l[i * c + i] = 1;
      u[i * c + i] = Math.exp(logS[i]);
    }
    const w = product(l, u, c);
    const wtw = product(
      Float64Array.from({ length: c * c }, (_, k) => w[(k % c) * c + Math.floor(k / c)]),
      w,
      c,
    );
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) expect(wtw[i * c + j]).toBeCloseTo(i === j ? 1 : 0, 10);
    expect(Math.max(...Array.from(lower, Math.abs))).toBeLessThanOrEqual(1);
    expect(logS.reduce((s, v) => s + v, 0)).toBeCloseTo(0, 10);
  });
});
