/**
 * Frequency-band correspondence (Shi et al., methods.md §3.2): the ratio of the output's amplitude
 * spectrum to the target's, clipped to [0, 1], averaged over 5 concentric bands of the centred
 * spectrum (radii 0.2, 0.4, …, 1.0 × W/2; corners beyond W/2 ignored), on grey images.
 * Computed every K iterations (not per step), with the host FFT of src/image/fft.ts.
 */
import { shiftedPowerSpectrum } from '../image/fft.js';
import { GREY_WEIGHTS } from '../image/image.js';

/** |FFT2(x)| of an h×w real image, fftshifted (zero frequency at (h/2, w/2) rounded down). */
export function amplitudeSpectrum(x: Float64Array | Float32Array, w: number, h: number): Float64Array {
  const power = shiftedPowerSpectrum(x, w, h);
  for (let i = 0; i < power.length; i++) power[i] = Math.sqrt(power[i]);
  return power;
}

/** Grey plane (0.2989 R + 0.5870 G + 0.1140 B) of a planar CHW image restricted to its top-left w×h. */
export function greyPlane(planar: Float32Array, channels: number, stride: number, rows: number, w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  const plane = stride * rows;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = y * stride + x;
      out[y * w + x] = channels === 1 ? planar[i] : GREY_WEIGHTS[0] * planar[i] + GREY_WEIGHTS[1] * planar[plane + i] + GREY_WEIGHTS[2] * planar[2 * plane + i];
    }
  }
  return out;
}

export const FBC_BANDS = 5;

/** The five band values for an output and the target's precomputed amplitude spectrum. */
export function frequencyBandCorrespondence(output: Float64Array, targetSpectrum: Float64Array, w: number, h: number): number[] {
  const a = amplitudeSpectrum(output, w, h);
  const cx = Math.floor(w / 2);
  const cy = Math.floor(h / 2);
  const sums = new Array(FBC_BANDS).fill(0);
  const counts = new Array(FBC_BANDS).fill(0);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(x - cx, y - cy);
      const band = Math.ceil((d / cx) * FBC_BANDS - 1e-9) - 1;
      const b = Math.max(0, band);
      if (d > cx) continue;
      const ratio = Math.min(1, Math.max(0, a[y * w + x] / (targetSpectrum[y * w + x] + 1e-8)));
      sums[b] += ratio;
      counts[b]++;
    }
  }
  return sums.map((s, i) => (counts[i] ? s / counts[i] : 0));
}
