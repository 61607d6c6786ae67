/**
 * ISNAS-DIP's training-free metrics (methods.md §2.3), named as the official code's small language
 * with dashes: lower is better for all of them.
 *
 *   [nodc-]psd[-db][-strip]-mse        MSE between the (dB) power spectra of the image and the untrained
 *   [nodc-]psd[-db][-strip]-hist-emd   output, or the EMD of their value histograms; strip = the
 *                                      0.1–0.2 normalised-frequency ring. The paper's two:
 *                                      psd-db-strip-mse and psd-strip-hist-emd.
 *   [nodc-]psd-<p>-per-bw              the output's p % bandwidth: the diameter (as a fraction of √2)
 *                                      of the circle holding p % of its energy (ablation: 99, 75, 70)
 *   [nodc-]psd-db-<x>-db-bw            the fraction of spectrum pixels within x dB of the peak (ablation: 50)
 *   random                             a random score (the paper's baseline ranking)
 *
 * dB is 10·log10 (the official code's natural log scales MSE values by (ln 10)², so rankings agree,
 * but changes EMD of dB histograms and what "x dB" means).
 */
import { InputError } from '../util/errors.js';
import type { Rng } from '../util/random.js';
import { channelMean, squaredRadii, type Spectra } from './spectra.js';

export type MetricSpec =
  | { kind: 'similarity'; nodc: boolean; db: boolean; strip: boolean; distance: 'mse' | 'hist-emd' }
  | { kind: 'percent-bandwidth'; nodc: boolean; percent: number }
  | { kind: 'db-bandwidth'; nodc: boolean; cutoffDb: number }
  | { kind: 'random' };

export const PAPER_METRICS = ['psd-db-strip-mse', 'psd-strip-hist-emd'] as const;
/** The low-pass (image-independent) metrics of the paper's ablation. */
export const LOWPASS_METRICS = ['psd-99-per-bw', 'nodc-psd-75-per-bw', 'nodc-psd-db-50-db-bw', 'psd-70-per-bw'] as const;

export function parseMetric(name: string): MetricSpec {
  const sim = /^(nodc-)?psd(-db)?(-strip)?-(mse|hist-emd)$/.exec(name);
  if (sim) return { kind: 'similarity', nodc: !!sim[1], db: !!sim[2], strip: !!sim[3], distance: sim[4] as 'mse' | 'hist-emd' };
  const per = /^(nodc-)?psd-(\d+(?:\.\d+)?)-per-bw$/.exec(name);
  if (per && Number(per[2]) > 0 && Number(per[2]) <= 100) return { kind: 'percent-bandwidth', nodc: !!per[1], percent: Number(per[2]) };
  const dbbw = /^(nodc-)?psd-db-(\d+(?:\.\d+)?)-db-bw$/.exec(name);
  if (dbbw) return { kind: 'db-bandwidth', nodc: !!dbbw[1], cutoffDb: Number(dbbw[2]) };
  if (name === 'random') return { kind: 'random' };
  throw new InputError(
    `metric "${name}" is unknown: use ${PAPER_METRICS.join(' or ')}, [nodc-]psd[-db][-strip]-(mse|hist-emd), [nodc-]psd-<p>-per-bw (0 < p ≤ 100), [nodc-]psd-db-<x>-db-bw or random`,
    { code: 'BAD_OPTION' },
  );
}

/** numpy.histogram(values, 100, density=True) over the values' own range. */
export function densityHistogram(values: Float64Array, bins = 100): Float64Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  if (lo === hi) [lo, hi] = [lo - 0.5, hi + 0.5];
  const width = (hi - lo) / bins;
  const out = new Float64Array(bins);
  for (const v of values) out[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  return out.map((c) => c / (values.length * width));
}

/** 1-D Wasserstein distance between two equally weighted samples of the same size. */
export function wasserstein1(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new RangeError(`wasserstein1: ${a.length} vs ${b.length} samples`);
  const sa = Float64Array.from(a).sort();
  const sb = Float64Array.from(b).sort();
  let s = 0;
  for (let i = 0; i < sa.length; i++) s += Math.abs(sa[i] - sb[i]);
  return s / sa.length;
}

function meanSquaredDifference(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}

export interface MetricOptions {
  /** Base of the dB logarithm (default 10; Math.E reproduces the official code's values). */
  logBase?: number;
}

/**
 * Similarity of the image's and the output's spectra. The histogram distance is, as in the official
 * code, scipy's wasserstein_distance applied to the two arrays of 100 bin densities (the bin heights
 * treated as samples, bin positions ignored).
 */
export function spectralSimilarity(spec: Extract<MetricSpec, { kind: 'similarity' }>, image: Spectra, output: Spectra, o: MetricOptions = {}): number {
  const [a, b] = [image, output].map((s) => s.values(spec.nodc, spec.db, spec.strip, o.logBase));
  if (a.length !== b.length) throw new RangeError(`spectra of ${a.length} and ${b.length} values cannot be compared`);
  return spec.distance === 'mse' ? meanSquaredDifference(a, b) : wasserstein1(densityHistogram(a), densityHistogram(b));
}

const BANDWIDTH_CIRCLES = 99;

/**
 * p % bandwidth of the channel-mean power spectrum: circles of diameters k·√2/99 (k = 1..99); the first
 * one holding p % of the energy, interpolated linearly with the one before, as a fraction of √2.
 * 1 when even the largest circle falls short (its edge misses the corner frequency).
 */
export function percentBandwidth(output: Spectra, percent: number, nodc = false): number {
  const { width: w, height: h } = output.image;
  const grey = channelMean(output.power(nodc), w * h);
  const r2 = squaredRadii(w, h);
  const inCircle = new Float64Array(BANDWIDTH_CIRCLES);
  let total = 0;
  for (let i = 0; i < grey.length; i++) {
    total += grey[i];
    const k = smallestCircle(r2[i]);
    if (k < BANDWIDTH_CIRCLES) inCircle[k] += grey[i];
  }
  const goal = (percent / 100) * total;
  let previous = 0;
  let energy = 0;
  for (let k = 0; k < BANDWIDTH_CIRCLES; k++) {
    energy = previous + inCircle[k];
    if (energy >= goal) return (k + (goal - previous) / (energy - previous || 1)) / BANDWIDTH_CIRCLES;
    previous = energy;
  }
  return 1;
}

/** Index of the smallest circle (diameter (k+1)·√2/99) strictly containing a pixel of squared radius r2. */
function smallestCircle(r2: number): number {
  const inside = (k: number) => r2 < (((k + 1) * Math.SQRT2) / BANDWIDTH_CIRCLES / 2) ** 2;
  let k = Math.floor((2 * Math.sqrt(r2) * BANDWIDTH_CIRCLES) / Math.SQRT2);
  while (k > 0 && inside(k - 1)) k--;
  while (k < BANDWIDTH_CIRCLES && !inside(k)) k++;
  return k;
}

/** Fraction of pixels of the channel-mean dB spectrum above (peak − cutoff dB). */
export function dbBandwidth(output: Spectra, cutoffDb: number, nodc = false, o: MetricOptions = {}): number {
  const { width: w, height: h } = output.image;
  const grey = channelMean(output.decibels(nodc, o.logBase), w * h);
  let peak = -Infinity;
  for (const v of grey) peak = Math.max(peak, v);
  let count = 0;
  for (const v of grey) if (v > peak - cutoffDb) count++;
  return count / grey.length;
}

/** The metric's value for one untrained output (lower = better); `rng` only for 'random'. */
export function evaluateMetric(spec: MetricSpec, image: Spectra, output: Spectra, rng: Rng, o: MetricOptions = {}): number {
  switch (spec.kind) {
    case 'similarity':
      return spectralSimilarity(spec, image, output, o);
    case 'percent-bandwidth':
      return percentBandwidth(output, spec.percent, spec.nodc);
    case 'db-bandwidth':
      return dbBandwidth(output, spec.cutoffDb, spec.nodc, o);
    case 'random':
      return rng.uniform();
  }
}
