/**
 * The Lipschitz cap: in-graph power iteration (warm-started across steps) against an independent
 * Jacobi eigen-decomposition of WᵀW, and the cap itself on random kernels.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../src/graph/index.js';
import { Params } from '../src/graph/params.js';
import { lipschitzWeight } from '../src/layers/lipschitz.js';
import { Rng } from '../src/util/random.js';
import { cpuEngine } from './helpers/gradcheck.js';

/** Largest singular value by cyclic Jacobi on the symmetric WᵀW (float64, independent of the graph code). */
function sigmaMaxJacobi(w: Float32Array, rows: number, cols: number): number {
  const a = Array.from({ length: cols }, (_, i) =>
    Array.from({ length: cols }, (_, j) => {
      let s = 0;
      for (let r = 0; r < rows; r++) s += w[r * cols + i] * w[r * cols + j];
      return s;
    }),
  );
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < cols; p++) for (let q = p + 1; q < cols; q++) off += a[p][q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < cols; p++) {
      for (let q = p + 1; q < cols; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < cols; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < cols; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return Math.sqrt(Math.max(...a.map((row, i) => row[i])));
}

async function capped(shape: [number, number, number, number], lambda: number, steps: number, seed: number) {
  const g = new Graph();
  const params = new Params(g);
  const w = params.create('w', shape, { kind: 'uniform', bound: 1 }, 'conv-weight');
  const used = lipschitzWeight(params, 'w', w, lambda, 4);
  g.output(used, 'used');
  g.output(params.aux[0].output!, 'v_next');
  g.output(params.sigmas[0].value, 'sigma');
  const prog = await (await cpuEngine()).compile(g);
  const rng = new Rng(seed);
  const weight = rng.fillUniform(new Float32Array(shape.reduce((a, b) => a * b, 1)), -1, 1);
  let v = params.initialState(rng)[0];
  let res: Record<string, Float32Array> = {};
  for (let s = 0; s < steps; s++) {
    res = await prog.run({ [w.name]: weight, [params.aux[0].input.name]: v });
    v = res.v_next;
  }
  await prog.release();
  return { weight, used: res.used, sigma: res.sigma[0] };
}

describe('Lipschitz-controlled convolution', () => {
  it('power iteration (warm-started over steps) matches the SVD value', async () => {
    for (const [shape, seed] of [
      [[8, 3, 3, 3], 1],
      [[16, 8, 3, 3], 2],
      [[4, 4, 5, 5], 3],
    ] as const) {
      const { weight, sigma } = await capped(shape as [number, number, number, number], 100, 10, seed);
      const ref = sigmaMaxJacobi(weight, shape[0], shape[1] * shape[2] * shape[3]);
      expect(Math.abs(sigma - ref) / ref).toBeLessThan(1e-4);
    }
  });

  it('caps the spectral norm at λ and leaves small kernels alone', async () => {
    for (const lambda of [0.5, 1.4, 3]) {
      const shape: [number, number, number, number] = [12, 6, 3, 3];
      const { weight, used } = await capped(shape, lambda, 10, 7);
      const before = sigmaMaxJacobi(weight, 12, 54);
      const after = sigmaMaxJacobi(used, 12, 54);
      if (before > lambda) expect(Math.abs(after - lambda) / lambda).toBeLessThan(1e-3);
      else expect(Math.abs(after - before) / before).toBeLessThan(1e-6);
      expect(after).toBeLessThanOrEqual(lambda * (1 + 1e-3));
    }
  });
});
