/** FBC invariants (methods.md §6 A5) and the FFT against a direct DFT. */
import { describe, expect, it } from 'vitest';
import { amplitudeSpectrum, frequencyBandCorrespondence } from '../src/stop/fbc.js';
import { Rng } from '../src/util/random.js';

function directAmplitude(x: Float64Array, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  for (let v = 0; v < h; v++) {
    for (let u = 0; u < w; u++) {
      let re = 0;
      let im = 0;
      for (let y = 0; y < h; y++) {
        for (let x0 = 0; x0 < w; x0++) {
          const a = -2 * Math.PI * ((u * x0) / w + (v * y) / h);
          re += x[y * w + x0] * Math.cos(a);
          im += x[y * w + x0] * Math.sin(a);
        }
      }
      out[((v + Math.floor(h / 2)) % h) * w + ((u + Math.floor(w / 2)) % w)] = Math.hypot(re, im);
    }
  }
  return out;
}

describe('frequency-band correspondence', () => {
  it('the mixed-radix FFT matches a direct DFT (sizes with factors 2, 3 and a prime)', () => {
    const rng = new Rng(3);
    for (const [w, h] of [
      [12, 10],
      [7, 6],
      [16, 9],
    ]) {
      const x = Float64Array.from({ length: w * h }, () => rng.uniform());
      const a = amplitudeSpectrum(x, w, h);
      const b = directAmplitude(x, w, h);
      for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 9);
    }
  });
  it('FBC of the target against itself is 1 in every band, of a zero image 0', () => {
    const rng = new Rng(4);
    const w = 32;
    const h = 24;
    const target = Float64Array.from({ length: w * h }, () => rng.uniform());
    const spec = amplitudeSpectrum(target, w, h);
    // 1 up to the 1e-8 guard in the denominator (as in the reference code).
    for (const v of frequencyBandCorrespondence(target, spec, w, h)) expect(v).toBeCloseTo(1, 6);
    expect(frequencyBandCorrespondence(new Float64Array(w * h), spec, w, h)).toEqual([0, 0, 0, 0, 0]);
  });
  it('a blurred copy matches low bands better than high bands', () => {
    const rng = new Rng(5);
    const w = 32;
    const target = Float64Array.from({ length: w * w }, () => rng.uniform());
    const blurred = target.map((_, i) => {
      const x = i % w;
      const y = Math.floor(i / w);
      let s = 0;
      for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) s += target[((y + dy + w) % w) * w + ((x + dx + w) % w)];
      return s / 9;
    });
    const bands = frequencyBandCorrespondence(blurred, amplitudeSpectrum(target, w, w), w, w);
    expect(bands[0]).toBeGreaterThan(bands[4]);
  });
});
