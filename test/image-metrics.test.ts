import { describe, expect, it } from 'vitest';
import { createImage, type Image } from '../src/image/image.js';
import { mse, psnr, ssim } from '../src/image/metrics.js';
import { addGaussianNoise } from '../src/image/degrade.js';
import { InputError } from '../src/util/errors.js';
import { Rng } from '../src/util/random.js';
import { constant } from './helpers/images.js';

function smoothRgb(w: number, h: number): Image {
  const img = createImage(w, h, 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 3;
      img.data[o] = 0.5 + 0.4 * Math.sin(x / 3);
      img.data[o + 1] = 0.5 + 0.4 * Math.cos(y / 4);
      img.data[o + 2] = (x + y) / (w + h);
    }
  return img;
}

/** Checkerboard: `even` where x + y is even, `odd` elsewhere. */
function checker(n: number, even: number, odd: number): Image {
  const img = createImage(n, n, 1);
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) img.data[y * n + x] = (x + y) % 2 === 0 ? even : odd;
  return img;
}

describe('psnr', () => {
  it('constant images 0.25 apart: MSE 1/16 → 10·log10(16) dB; 0.1 apart → 20 dB', () => {
    expect(psnr(constant(8, 8, [0.25, 0.25, 0.25]), constant(8, 8, [0.5, 0.5, 0.5]))).toBeCloseTo(10 * Math.log10(16), 10);
    expect(psnr(constant(8, 8, [0.5]), constant(8, 8, [0.6]))).toBeCloseTo(20, 5);
  });
  it('hand-computed small case: one value off by 0.5 among 4×2×3', () => {
    const a = constant(4, 2, [0, 0, 0]);
    const b = constant(4, 2, [0, 0, 0]);
    b.data[5] = 0.5;
    // MSE = 0.25 / 24, PSNR = 10 log10(96)
    expect(mse(a, b)).toBeCloseTo(0.25 / 24, 12);
    expect(psnr(a, b)).toBeCloseTo(10 * Math.log10(96), 10);
    expect(psnr(a, b, { dataRange: 2 })).toBeCloseTo(10 * Math.log10(4 * 96), 10);
  });
  it('identical → Infinity; symmetric', () => {
    const a = smoothRgb(16, 12);
    expect(psnr(a, a)).toBe(Infinity);
    const b = addGaussianNoise(a, 10, new Rng(3));
    expect(psnr(a, b)).toBeCloseTo(psnr(b, a), 12);
    expect(psnr(a, b, { channel: 'y' })).toBeCloseTo(psnr(b, a, { channel: 'y' }), 12);
  });
  it('Y channel: a red difference d gives ΔY = 65.481·d/255', () => {
    const a = constant(6, 6, [0.5, 0.5, 0.5]);
    const b = constant(6, 6, [0.75, 0.5, 0.5]);
    const dy = (65.481 * 0.25) / 255;
    expect(psnr(a, b, { channel: 'y' })).toBeCloseTo(-20 * Math.log10(dy), 5); // Y is stored as float32
    // on a grey image the value is Y
    expect(psnr(constant(6, 6, [0.5]), constant(6, 6, [0.75]), { channel: 'y' })).toBeCloseTo(-20 * Math.log10(0.25), 6);
  });
  it('border shaves pixels from every side', () => {
    const a = constant(10, 8, [0.5, 0.5, 0.5]);
    const b = constant(10, 8, [0.5, 0.5, 0.5]);
    for (const [x, y] of [
      [0, 0],
      [9, 3],
      [4, 7],
      [0, 5],
    ])
      b.data[(y * 10 + x) * 3 + 1] = 0;
    expect(psnr(a, b)).toBeLessThan(30);
    expect(psnr(a, b, { border: 1 })).toBe(Infinity);
    b.data[(1 * 10 + 1) * 3] = 0.6;
    expect(psnr(a, b, { border: 1 })).toBeCloseTo(10 * Math.log10((8 * 6 * 3) / 0.01), 4);
    expect(() => psnr(a, b, { border: 4 })).toThrow(/border 4 is too large/);
  });
  it('ignores alpha; rejects mismatched sizes and types with an InputError', () => {
    expect(psnr(constant(4, 4, [0.2, 0.3, 0.4, 1]), constant(4, 4, [0.2, 0.3, 0.4, 0]))).toBe(Infinity);
    expect(() => psnr(constant(4, 4, [0]), constant(4, 5, [0]))).toThrow(InputError);
    expect(() => psnr(constant(4, 4, [0]), constant(4, 4, [0, 0, 0]))).toThrow(/4×4 grey image with a 4×4 colour one/);
  });
});

describe('ssim', () => {
  it('SSIM(x, x) = 1 and it is symmetric', () => {
    const a = smoothRgb(24, 20);
    expect(ssim(a, a)).toBeCloseTo(1, 12);
    const b = addGaussianNoise(a, 15, new Rng(1));
    expect(ssim(a, b)).toBeCloseTo(ssim(b, a), 12);
  });
  it('decreases as noise grows', () => {
    const a = smoothRgb(32, 32);
    const vals = [5, 15, 40].map((s) => ssim(a, addGaussianNoise(a, s, new Rng(7))));
    expect(vals[0]).toBeLessThan(1);
    expect(vals[1]).toBeLessThan(vals[0]);
    expect(vals[2]).toBeLessThan(vals[1]);
    const y = [5, 40].map((s) => ssim(a, addGaussianNoise(a, s, new Rng(7)), { channel: 'y' }));
    expect(y[1]).toBeLessThan(y[0]);
  });
  it('constant images: exactly the luminance term (2ab + C1)/(a² + b² + C1)', () => {
    const C1 = 0.01 ** 2;
    const a = 0.3,
      b = 0.6;
    const expected = (2 * a * b + C1) / (a * a + b * b + C1);
    expect(ssim(constant(12, 12, [a]), constant(12, 12, [b]))).toBeCloseTo(expected, 6);
    expect(ssim(constant(12, 12, [a, a, a]), constant(12, 12, [b, b, b]))).toBeCloseTo(expected, 6);
  });
  it('checkerboards: matches the closed form of an 11×11 σ=1.5 Gaussian window over the valid region', () => {
    // Independent derivation: with separable 1-D weights g, a window centred on a pixel puts
    // W = e² + o² on pixels of the same parity (e, o: sums of g at even/odd offsets), 1 − W on
    // the others. For two in-phase checkerboards (hi/lo, hi2/lo2): σx² = W(1−W)(hi−lo)²,
    // σy² = W(1−W)(hi2−lo2)², cov = ±W(1−W)(hi−lo)(hi2−lo2), means W·v(p) + (1−W)·v(other).
    const g = Array.from({ length: 11 }, (_, i) => Math.exp(-((i - 5) ** 2) / (2 * 1.5 ** 2)));
    const sg = g.reduce((s, v) => s + v, 0);
    const e = g.filter((_, i) => (i - 5) % 2 === 0).reduce((s, v) => s + v, 0) / sg;
    const o = 1 - e;
    const W = e * e + o * o;
    const C1 = 1e-4,
      C2 = 9e-4;
    const s = (m1: number, m2: number, v1: number, v2: number, cov: number) =>
      ((2 * m1 * m2 + C1) * (2 * cov + C2)) / ((m1 * m1 + m2 * m2 + C1) * (v1 + v2 + C2));
    const expected = (hi: number, lo: number, hi2: number, lo2: number) => {
      const v = W * (1 - W);
      const sEven = s(W * hi + (1 - W) * lo, W * hi2 + (1 - W) * lo2, v * (hi - lo) ** 2, v * (hi2 - lo2) ** 2, v * (hi - lo) * (hi2 - lo2));
      const sOdd = s(W * lo + (1 - W) * hi, W * lo2 + (1 - W) * hi2, v * (hi - lo) ** 2, v * (hi2 - lo2) ** 2, v * (hi - lo) * (hi2 - lo2));
      return (sEven + sOdd) / 2; // the 6×6 valid map of a 16×16 image has 18 of each parity
    };
    // values exact in float32, so the only difference is summation order
    const inPhase = expected(0.75, 0.25, 0.625, 0.375);
    expect(ssim(checker(16, 0.75, 0.25), checker(16, 0.625, 0.375))).toBeCloseTo(inPhase, 12);
    // opposite phase: pass the second board's values swapped, covariance turns negative
    const anti = expected(0.75, 0.25, 0.375, 0.625);
    expect(anti).toBeLessThan(0);
    expect(ssim(checker(16, 0.75, 0.25), checker(16, 0.375, 0.625))).toBeCloseTo(anti, 12);
    // scale invariance: data range 255 with values ×255 gives the same number
    const A = checker(16, 0.75 * 255, 0.25 * 255),
      B = checker(16, 0.625 * 255, 0.375 * 255);
    expect(ssim(A, B, { dataRange: 255 })).toBeCloseTo(inPhase, 12);
  });
  it('needs 11×11 after the border', () => {
    expect(() => ssim(constant(12, 12, [0]), constant(12, 12, [0]), { border: 1 })).toThrow(/at least 11×11/);
  });
});
