/** ISNAS-DIP metrics: optima, invariances and known answers on synthetic spectra. */
import { describe, expect, it } from 'vitest';
import { dbBandwidth, densityHistogram, evaluateMetric, parseMetric, percentBandwidth, spectralSimilarity, wasserstein1 } from '../src/search/metrics.js';
import { maskedValues, ringMask, Spectra, type Planar } from '../src/search/spectra.js';
import { InputError } from '../src/util/errors.js';
import { Rng } from '../src/util/random.js';

function planar(channels: number, width: number, height: number, f: (c: number, x: number, y: number) => number): Planar {
  const data = new Float32Array(channels * width * height);
  for (let c = 0; c < channels; c++) for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[(c * height + y) * width + x] = f(c, x, y);
  return { data, channels, width, height };
}

/** A smooth random image: a few random cosines plus noise of the given strength. */
function randomImage(rng: Rng, noise: number, w = 48, h = 40): Planar {
  const waves = Array.from({ length: 6 }, () => [rng.uniform() * 6, rng.uniform() * 6, rng.uniform() * 6, rng.uniform()]);
  return planar(3, w, h, (c, x, y) => {
    let v = 0.5;
    for (const [fx, fy, ph, a] of waves) v += 0.05 * a * Math.cos((2 * Math.PI * (fx * x)) / w + (2 * Math.PI * fy * y) / h + ph + c);
    return v + noise * (rng.uniform() - 0.5);
  });
}

const similarities = ['psd-db-strip-mse', 'psd-strip-hist-emd', 'psd-db-mse', 'nodc-psd-db-mse', 'nodc-psd-strip-mse', 'psd-db-hist-emd', 'nodc-psd-hist-emd'];

describe('metric names', () => {
  it('parse the official language with dashes; unknown names are one-line InputErrors', () => {
    expect(parseMetric('psd-db-strip-mse')).toEqual({ kind: 'similarity', nodc: false, db: true, strip: true, distance: 'mse' });
    expect(parseMetric('psd-strip-hist-emd')).toEqual({ kind: 'similarity', nodc: false, db: false, strip: true, distance: 'hist-emd' });
    expect(parseMetric('nodc-psd-75-per-bw')).toEqual({ kind: 'percent-bandwidth', nodc: true, percent: 75 });
    expect(parseMetric('nodc-psd-db-50-db-bw')).toEqual({ kind: 'db-bandwidth', nodc: true, cutoffDb: 50 });
    for (const bad of ['psd-db-strip', 'psd-150-per-bw', 'PSD-mse', '']) {
      expect(() => parseMetric(bad)).toThrow(InputError);
      expect(() => parseMetric(bad)).toThrow(/^metric ".*" is unknown: use psd-db-strip-mse or psd-strip-hist-emd/);
    }
  });
});

describe('similarity metrics', () => {
  it('are 0 when the output equals the image, positive otherwise', () => {
    const rng = new Rng(1);
    const image = randomImage(rng, 0.1);
    const other = randomImage(rng, 0.3);
    for (const name of similarities) {
      const spec = parseMetric(name);
      if (spec.kind !== 'similarity') throw new Error(name);
      expect(spectralSimilarity(spec, new Spectra(image), new Spectra(planar(3, 48, 40, (c, x, y) => image.data[(c * 40 + y) * 48 + x]))), name).toBe(0);
      expect(spectralSimilarity(spec, new Spectra(image), new Spectra(other)), name).toBeGreaterThan(0);
    }
  });

  it('rank outputs the same whatever the log base: the dB MSE only scales by (ln 10)²', () => {
    const rng = new Rng(2);
    const image = new Spectra(randomImage(rng, 0.1));
    const outputs = Array.from({ length: 12 }, (_, i) => new Spectra(randomImage(rng, 0.02 * i)));
    const spec = parseMetric('psd-db-strip-mse') as Extract<ReturnType<typeof parseMetric>, { kind: 'similarity' }>;
    const base10 = outputs.map((o) => spectralSimilarity(spec, image, o));
    const natural = outputs.map((o) => spectralSimilarity(spec, image, o, { logBase: Math.E }));
    for (let i = 0; i < outputs.length; i++) expect(natural[i] / base10[i]).toBeCloseTo(Math.LN10 ** 2, 9);
    const order = (v: number[]) => v.map((_, i) => i).sort((a, b) => v[a] - v[b]);
    expect(order(natural)).toEqual(order(base10));
  });

  it('a pure cosine at normalised frequency 0.078 lies in the 0.1–0.2 ring (diameter), one at 0.12 does not', () => {
    const [w, h] = [64, 64];
    const ring = ringMask(w, h);
    const spectrum = (fx: number) => new Spectra(planar(1, w, h, (_c, x) => 0.5 + 0.3 * Math.cos((2 * Math.PI * fx * x) / w))).power(true);
    const inside = spectrum(5); // radius 5/64 ≈ 0.078: inside diameter 0.2, outside 0.1
    const outside = spectrum(8); // radius 0.125: beyond the ring
    const at = (dx: number) => (h / 2) * w + w / 2 + dx;
    expect([ring[at(5)], ring[at(-5)], ring[at(8)], ring[at(3)]]).toEqual([1, 1, 0, 0]);
    // (A/2)² = 0.0225 at ±f, nothing else once the DC is removed.
    expect(inside[at(5)]).toBeCloseTo(0.0225, 8); // float32 samples
    expect(maskedValues(inside, ring).reduce((a, b) => a + b, 0)).toBeCloseTo(0.045, 8);
    expect(maskedValues(outside, ring).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
  });

  it('histogram EMD of an image against twice the image: every density drops to ¼, so EMD = ¾ / (value range)', () => {
    const rng = new Rng(3);
    const image = randomImage(rng, 0.2);
    const doubled = planar(3, 48, 40, (c, x, y) => 2 * image.data[(c * 40 + y) * 48 + x]);
    const spec = parseMetric('psd-strip-hist-emd') as Extract<ReturnType<typeof parseMetric>, { kind: 'similarity' }>;
    const values = maskedValues(new Spectra(image).power(), ringMask(48, 40));
    const range = Math.max(...values) - Math.min(...values);
    expect(spectralSimilarity(spec, new Spectra(image), new Spectra(doubled)) * range).toBeCloseTo(0.75, 6);
  });

  it('density histogram and W1 follow numpy and scipy on small cases', () => {
    // numpy.histogram([0, 1, 1, 3], 3, density=True): edges 0, 1, 2, 3, counts 1, 2, 1 → [¼, ½, ¼];
    // a constant sample spans value ± ½ and lands in the upper bin: [2, 2] → [0, 2].
    expect([...densityHistogram(Float64Array.from([0, 1, 1, 3]), 3)]).toEqual([1 / 4, 2 / 4, 1 / 4]);
    expect([...densityHistogram(Float64Array.from([2, 2]), 2)]).toEqual([0, 2]);
    // scipy.stats.wasserstein_distance([0, 1, 3], [5, 6, 8]) = 5; [0, 10] vs [4, 6] = 4.
    expect(wasserstein1(Float64Array.from([0, 1, 3]), Float64Array.from([8, 5, 6]))).toBe(5);
    expect(wasserstein1(Float64Array.from([0, 10]), Float64Array.from([4, 6]))).toBe(4);
  });
});

describe('low-pass metrics', () => {
  const cosine = (fx: number) => new Spectra(planar(1, 64, 64, (_c, x) => 0.5 + 0.3 * Math.cos((2 * Math.PI * fx * x) / 64)));

  it('p % bandwidth of a cosine at radius 5/64: all energy in circle 10 (diameter 11·√2/99), so (10 + p)/99', () => {
    for (const p of [70, 75, 99]) expect(percentBandwidth(cosine(5), p, true)).toBeCloseTo((10 + p / 100) / 99, 9);
    // With the DC kept, 0.25 of the 0.295 energy sits at the centre (circle 0).
    const dc = 0.25 / 0.295;
    expect(percentBandwidth(cosine(5), 70, false)).toBeCloseTo(0.7 / dc / 99, 9);
    expect(percentBandwidth(cosine(5), 99, false)).toBeCloseTo((10 + (0.99 - dc) / (1 - dc)) / 99, 7);
  });

  it('a smoother image has the narrower bandwidth', () => {
    const rng = new Rng(4);
    const smooth = new Spectra(randomImage(rng, 0));
    const rough = new Spectra(randomImage(rng, 0.5));
    expect(percentBandwidth(smooth, 99, true)).toBeLessThan(percentBandwidth(rough, 99, true));
    expect(dbBandwidth(smooth, 50, true)).toBeLessThan(dbBandwidth(rough, 50, true));
  });

  it('dB bandwidth of a DC-free cosine: only its two frequencies are within 50 dB of the peak', () => {
    expect(dbBandwidth(cosine(5), 50, true)).toBe(2 / 64 ** 2);
    // With the DC: the centre (0.25 → −6 dB) is the peak and ±f (0.0225 → −16.5 dB) are within 50 dB of it.
    expect(dbBandwidth(cosine(5), 50, false)).toBe(3 / 64 ** 2);
    expect(dbBandwidth(cosine(5), 10, false)).toBe(1 / 64 ** 2);
  });

  it('evaluateMetric dispatches every kind; random is seeded', () => {
    const rng = new Rng(5);
    const img = new Spectra(randomImage(rng, 0.1));
    const out = new Spectra(randomImage(rng, 0.2));
    expect(evaluateMetric(parseMetric('psd-99-per-bw'), img, out, new Rng(1))).toBe(percentBandwidth(out, 99));
    expect(evaluateMetric(parseMetric('random'), img, out, new Rng(9))).toBe(new Rng(9).uniform());
  });
});
