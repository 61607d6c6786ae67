/** The host FFT against a direct float64 DFT, for power-of-two and other (Bluestein) lengths. */
import { describe, expect, it } from 'vitest';
import { fft, fft2, shiftedPowerSpectrum } from '../src/image/fft.js';
import { Rng } from '../src/util/random.js';

function directDft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  const or = new Float64Array(n);
  const oi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * ((k * t) % n)) / n;
      or[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
      oi[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
    }
  }
  return [or, oi];
}

describe('fft', () => {
  it('matches a direct DFT for lengths 1, 2, 8, 64 and 3, 7, 12, 100, 127', () => {
    const rng = new Rng(11);
    for (const n of [1, 2, 8, 64, 3, 7, 12, 100, 127]) {
      const re = Float64Array.from({ length: n }, () => rng.uniform() - 0.5);
      const im = Float64Array.from({ length: n }, () => rng.uniform() - 0.5);
      const [er, ei] = directDft(re, im);
      fft(re, im);
      for (let k = 0; k < n; k++) {
        expect(re[k]).toBeCloseTo(er[k], 10);
        expect(im[k]).toBeCloseTo(ei[k], 10);
      }
    }
  });

  it('2-D: a separable product transforms into the product of the 1-D transforms', () => {
    const rng = new Rng(12);
    const [w, h] = [12, 8];
    const a = Float64Array.from({ length: w }, () => rng.uniform());
    const b = Float64Array.from({ length: h }, () => rng.uniform());
    const re = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) re[y * w + x] = a[x] * b[y];
    const im = new Float64Array(w * h);
    fft2(re, im, w, h);
    const [ar, ai] = directDft(a, new Float64Array(w));
    const [br, bi] = directDft(b, new Float64Array(h));
    for (let v = 0; v < h; v++) {
      for (let u = 0; u < w; u++) {
        expect(re[v * w + u]).toBeCloseTo(ar[u] * br[v] - ai[u] * bi[v], 10);
        expect(im[v * w + u]).toBeCloseTo(ar[u] * bi[v] + ai[u] * br[v], 10);
      }
    }
  });

  it('power spectrum: Parseval holds and a cosine lands at ±its frequency around the shifted centre', () => {
    const [w, h] = [30, 20];
    const [fx, fy] = [4, 3];
    const x = new Float64Array(w * h);
    for (let y = 0; y < h; y++) for (let c = 0; c < w; c++) x[y * w + c] = 0.8 * Math.cos((2 * Math.PI * (fx * c)) / w + (2 * Math.PI * fy * y) / h);
    const p = shiftedPowerSpectrum(x, w, h, 1 / (w * h) ** 2);
    const energy = x.reduce((s, v) => s + v * v, 0) / (w * h);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(energy, 12);
    const [cx, cy] = [w / 2, h / 2];
    // A cosine of amplitude A puts (A/2)² at +f and at −f, nothing elsewhere.
    expect(p[(cy + fy) * w + cx + fx]).toBeCloseTo(0.16, 12);
    expect(p[(cy - fy) * w + cx - fx]).toBeCloseTo(0.16, 12);
    expect(p.reduce((s, v) => s + v, 0) - 0.32).toBeCloseTo(0, 12);
  });
});
