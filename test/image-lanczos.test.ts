import { describe, expect, it } from 'vitest';
import { gaussianKernel1d, gaussianWeights, lanczosKernel, lanczosTaps } from '../src/image/lanczos.js';
import { resampleAntialiased } from '../src/image/resample.js';
import { createImage } from '../src/image/image.js';

const sum = (a: ArrayLike<number>) => Array.from(a).reduce((s, v) => s + v, 0);

describe('lanczosKernel (DIP lanczos2, phase 0.5)', () => {
  it.each([
    [2, 8],
    [4, 16],
    [8, 32],
  ])('factor %i → %i×%i, sums to 1, symmetric', (f, n) => {
    const k = lanczosKernel(f);
    expect(k.length).toBe(n * n);
    expect(sum(k)).toBeCloseTo(1, 6);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        expect(k[i * n + j]).toBeCloseTo(k[j * n + i], 7); // transpose
        expect(k[i * n + j]).toBeCloseTo(k[(n - 1 - i) * n + (n - 1 - j)], 7); // point mirror
      }
    // peak at the four centre taps, negative lobes at the rim
    expect(k[(n / 2) * n + n / 2]).toBe(Math.max(...k));
    expect(Math.min(...k)).toBeLessThan(0);
  });
  it('factor 1 at half-pixel phase: taps are exactly [-1, 9, 9, -1]/16', () => {
    // w(0.5) = 4√2/π², w(1.5) = −4√2/(9π²): ratio −1/9
    const t = lanczosTaps(1);
    expect(Array.from(t).map((v) => v * 16)).toEqual([-1, 9, 9, -1].map((v) => expect.closeTo(v, 10)));
  });
  it('phase 0 keeps the full odd width and an interpolating kernel at factor 1', () => {
    expect(Array.from(lanczosTaps(1, { phase: 0 }))).toEqual([0, 0, 1, 0, 0].map((v) => expect.closeTo(v, 12)));
    expect(lanczosTaps(4, { phase: 0 }).length).toBe(17);
  });
  it('factor 4 taps follow d_i = |i + 0.5 − 9|/4 and w(d) = 2 sin(πd) sin(πd/2)/(π²d²)', () => {
    const t = lanczosTaps(4);
    const w = (d: number) => (2 * Math.sin(Math.PI * d) * Math.sin((Math.PI * d) / 2)) / (Math.PI ** 2 * d * d);
    const raw = Array.from({ length: 16 }, (_, i) => w(Math.abs(i + 1 + 0.5 - 9) / 4));
    const s = raw.reduce((a, b) => a + b, 0);
    raw.forEach((v, i) => expect(t[i]).toBeCloseTo(v / s, 12));
  });
  it('support 3 gives 6f taps', () => {
    const k = lanczosKernel(4, { support: 3 });
    expect(k.length).toBe(24 * 24);
    expect(sum(k)).toBeCloseTo(1, 6);
  });
  it('rejects a non-integer factor', () => {
    expect(() => lanczosKernel(2.5)).toThrow(RangeError);
  });
});

describe('gaussianKernel1d', () => {
  it('normalised, symmetric, peaked at the centre', () => {
    const g = gaussianKernel1d(11, 1.5);
    expect(g.length).toBe(11);
    expect(sum(g)).toBeCloseTo(1, 6);
    for (let i = 0; i < 11; i++) expect(g[i]).toBeCloseTo(g[10 - i], 8);
    expect(g[5]).toBe(Math.max(...g));
    expect(g[4] / g[5]).toBeCloseTo(Math.exp(-1 / (2 * 2.25)), 6);
  });
  it('step 0.5 (DIP/spectral-bias spacing) equals doubling sigma', () => {
    const a = gaussianWeights(5, 0.5, { step: 0.5 });
    const b = gaussianWeights(5, 1);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 12));
  });
  it('validates its arguments', () => {
    expect(() => gaussianKernel1d(0, 1)).toThrow(RangeError);
    expect(() => gaussianKernel1d(5, 0)).toThrow(RangeError);
  });
});

describe('resampleAntialiased (PIL-style)', () => {
  const ramp = (w: number, h: number) => {
    const img = createImage(w, h, 1);
    for (let i = 0; i < w * h; i++) img.data[i] = ((i * 37) % 101) / 100;
    return img;
  };
  it('box ×2 is the 2×2 block mean', () => {
    const img = ramp(6, 4);
    const out = resampleAntialiased(img, 3, 2, 'box');
    for (let y = 0; y < 2; y++)
      for (let x = 0; x < 3; x++) {
        const m = [0, 1].flatMap((dy) => [0, 1].map((dx) => img.data[(2 * y + dy) * 6 + 2 * x + dx])).reduce((a, b) => a + b) / 4;
        expect(out.data[y * 3 + x]).toBeCloseTo(m, 6);
      }
  });
  it('bilinear ×2 downscale uses taps [1, 3, 3, 1]/8 (renormalised at the border)', () => {
    const row = createImage(8, 1, 1, Float32Array.from([0.1, 0.9, 0.3, 0.5, 0.7, 0.2, 0.4, 0.8]));
    const out = resampleAntialiased(row, 4, 1, 'bilinear');
    const d = row.data;
    expect(out.data[1]).toBeCloseTo((d[1] + 3 * d[2] + 3 * d[3] + d[4]) / 8, 6);
    expect(out.data[0]).toBeCloseTo((3 * d[0] + 3 * d[1] + d[2]) / 7, 6);
  });
  it('scale 1 with lanczos3 is the identity; constants stay constant; alpha is premultiplied', () => {
    const img = ramp(7, 5);
    const same = resampleAntialiased(img, 7, 5);
    img.data.forEach((v, i) => expect(same.data[i]).toBeCloseTo(v, 6));
    const flat = createImage(30, 20, 3, new Float32Array(1800).fill(0.3));
    resampleAntialiased(flat, 7, 5, 'bicubic').data.forEach((v) => expect(v).toBeCloseTo(0.3, 6));
    const rgba = createImage(8, 1, 4);
    for (let x = 0; x < 8; x++) rgba.data.set(x < 4 ? [1, 0, 0, 1] : [0, 1, 0, 0], x * 4);
    const half = resampleAntialiased(rgba, 4, 1, 'lanczos3');
    expect(half.data[4 + 0]).toBeCloseTo(1, 2); // transparent green does not bleed into red
    expect(half.data[4 + 1]).toBeCloseTo(0, 6);
  });
});
