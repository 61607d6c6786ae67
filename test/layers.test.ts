/** Fixed-kernel layers: Gaussian and bicubic upsamplers, Lanczos downsampler (constant image), their gradients. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../src/graph/index.js';
import { bicubicUpsample2x, cubicWeight, gaussianUpsample, gaussianUpsampleKernel } from '../src/layers/upsample.js';
import { Rng } from '../src/util/random.js';
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

/** PyTorch's upsample_bicubic2d (align_corners=False) in float64: source (o + ½)/2 − ½, 4 taps, indices clamped. */
function referenceBicubic(x: Float32Array, h: number, w: number): Float64Array {
  const out = new Float64Array(4 * h * w);
  const at = (r: number, c: number) => x[Math.min(h - 1, Math.max(0, r)) * w + Math.min(w - 1, Math.max(0, c))];
  for (let oy = 0; oy < 2 * h; oy++) {
    for (let ox = 0; ox < 2 * w; ox++) {
      const [sy, sx] = [(oy + 0.5) / 2 - 0.5, (ox + 0.5) / 2 - 0.5];
      const [iy, ix] = [Math.floor(sy), Math.floor(sx)];
      let v = 0;
      for (let a = -1; a <= 2; a++) for (let b = -1; b <= 2; b++) v += cubicWeight(sy - (iy + a)) * cubicWeight(sx - (ix + b)) * at(iy + a, ix + b);
      out[oy * 2 * w + ox] = v;
    }
  }
  return out;
}

describe('bicubic ×2 upsampling', () => {
  it('the cubic kernel (a = −0.75) interpolates: 1 at 0, 0 at ±1 and ±2, phases summing to 1', () => {
    expect(cubicWeight(0)).toBe(1);
    for (const d of [1, -1, 2, -2, 2.5]) expect(cubicWeight(d)).toBeCloseTo(0, 12);
    expect(cubicWeight(1.75) + cubicWeight(0.75) + cubicWeight(0.25) + cubicWeight(1.25)).toBeCloseTo(1, 12);
  });
  it('matches a direct evaluation of PyTorch’s formula, borders included, for even and odd sizes', async () => {
    const rng = new Rng(21);
    for (const [h, w] of [
      [4, 6],
      [3, 5],
      [1, 2],
    ]) {
      const g = new Graph();
      const x = g.input('x', [1, 1, h, w]);
      g.output(bicubicUpsample2x(x), 'y');
      const data = rng.fillUniform(new Float32Array(h * w));
      const y = (await (await (await cpuEngine()).compile(g)).run({ x: data })).y;
      const ref = referenceBicubic(data, h, w);
      expect(y).toHaveLength(ref.length);
      for (let i = 0; i < ref.length; i++) expect(y[i]).toBeCloseTo(ref[i], 5);
    }
  });
  it('gradient against finite differences', () => gradCheck({ shapes: [[1, 2, 3, 4]], build: (_g, [x]) => bicubicUpsample2x(x), h: 0.5, tol: 1e-3 }));
});
