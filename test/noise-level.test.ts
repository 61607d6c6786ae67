/** The blind noise-level estimator (patch PCA) against images with a known σ, and its eigen-solver. */
import { describe, expect, it } from 'vitest';
import { estimateNoiseSigma, symmetricEigenvalues } from '../src/image/noise-level.js';
import { createImage, type Image } from '../src/image/image.js';
import { Rng } from '../src/util/random.js';

function smoothScene(w: number, h: number, c: 1 | 3): Image {
  const img = createImage(w, h, c);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let k = 0; k < c; k++) {
        img.data[(y * w + x) * c + k] = 0.5 + 0.25 * Math.sin(x / 9 + k) * Math.cos(y / 13) + (x > w / 2 ? 0.1 : 0);
      }
    }
  }
  return img;
}

function withNoise(img: Image, sigma: number, seed: number): Image {
  const rng = new Rng(seed);
  const out = { ...img, data: new Float32Array(img.data.length) };
  for (let i = 0; i < img.data.length; i++) out.data[i] = img.data[i] + sigma * rng.normal();
  return out;
}

describe('estimateNoiseSigma', () => {
  it.each([2, 10, 25, 50])('finds σ = %i/255 on a piecewise-smooth image within 8 %%', (s) => {
    for (const c of [1, 3] as const) {
      const est = estimateNoiseSigma(withNoise(smoothScene(96, 80, c), s / 255, s + c));
      expect(Math.abs(est * 255 - s) / s).toBeLessThan(0.08);
    }
  });

  it('says a clean smooth image is (nearly) noise-free, and too small an image gives 0', () => {
    expect(estimateNoiseSigma(smoothScene(96, 80, 3)) * 255).toBeLessThan(0.5);
    expect(estimateNoiseSigma(createImage(5, 40, 3))).toBe(0);
  });
});

describe('symmetricEigenvalues', () => {
  it('recovers the spectrum of Q·diag·Qᵀ', () => {
    const n = 6;
    const want = [5, 3, 2, 1, 0.5, 0.1];
    // Q from Gram–Schmidt of a seeded random matrix.
    const rng = new Rng(9);
    const q: number[][] = [];
    for (let i = 0; i < n; i++) {
      let v = Array.from({ length: n }, () => rng.normal());
      for (const u of q) {
        const d = v.reduce((a, x, k) => a + x * u[k], 0);
        v = v.map((x, k) => x - d * u[k]);
      }
      const norm = Math.hypot(...v);
      q.push(v.map((x) => x / norm));
    }
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) a[i * n + j] += q[k][i] * want[k] * q[k][j];
    const got = symmetricEigenvalues(a, n).sort((x, y) => y - x);
    got.forEach((g, i) => expect(g).toBeCloseTo(want[i], 9));
  });
});
