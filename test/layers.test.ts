/** Fixed-kernel layers: Gaussian upsampler (size, kernel), Lanczos downsampler (constant image), their gradients. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../src/graph/index.js';
import { gaussianUpsample, gaussianUpsampleKernel } from '../src/layers/upsample.js';
import { lanczosDownsample } from '../src/layers/downsample.js';
import { cpuEngine, gradCheck } from './helpers/gradcheck.js';

describe('Gaussian-controlled upsampling', () => {
  it('kernel: 5×5, sums to 1, symmetric, sharper for smaller σ', () => {
    for (const sigma of [0.1, 0.5, 1]) {
      const k = gaussianUpsampleKernel(sigma);
      expect(k).toHaveLength(25);
      expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) expect(k[i * 5 + j]).toBeCloseTo(k[j * 5 + i], 7);
    }
    expect(gaussianUpsampleKernel(0.1)[12]).toBeGreaterThan(gaussianUpsampleKernel(0.5)[12]);
  });
  it('doubles the size exactly, for odd sizes too', () => {
    const g = new Graph();
    for (const [h, w] of [
      [4, 4],
      [3, 5],
      [1, 1],
    ])
      expect(gaussianUpsample(g.input(`x${h}${w}`, [1, 2, h, w]), 0.5).shape).toEqual([1, 2, 2 * h, 2 * w]);
  });
  it('gradient against finite differences', () => gradCheck({ shapes: [[1, 2, 3, 4]], build: (_g, [x]) => gaussianUpsample(x, 0.5), h: 0.5, tol: 1e-3 }));
});

describe('Lanczos downsampler', () => {
  it('maps a constant image to the same constant at 1/f the size', async () => {
    for (const f of [2, 4, 8]) {
      const g = new Graph();
      const x = g.input('x', [1, 3, 8 * f, 4 * f]);
      const y = lanczosDownsample(x, f);
      expect(y.shape).toEqual([1, 3, 8, 4]);
      g.output(y, 'y');
      const p = await (await cpuEngine()).compile(g);
      const out = (await p.run({ x: new Float32Array(3 * 32 * f * f).fill(0.7) })).y;
      for (const v of out) expect(v).toBeCloseTo(0.7, 5);
    }
  });
  it('gradient against finite differences', () => gradCheck({ shapes: [[1, 2, 16, 8]], build: (_g, [x]) => lanczosDownsample(x, 4), h: 0.5, tol: 1e-3 }));
});
