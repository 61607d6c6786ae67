/**
 * Frequency-band correspondence (Shi et al., methods.md §3.2): the ratio of the output's amplitude
 * spectrum to the target's, clipped to [0, 1], averaged over 5 concentric bands of the centred
 * spectrum (radii 0.2, 0.4, …, 1.0 × W/2; corners beyond W/2 ignored), on grey images.
 * Computed every K iterations (not per step), with a small mixed-radix FFT.
 */
import { GREY_WEIGHTS } from '../image/image.js';

/** In-place-free complex DFT of length n (mixed radix, naive for prime factors). */
function fft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length;
  if (n === 1) return [re.slice(), im.slice()];
  let p = 2;
  while (p * p <= n && n % p) p++;
  if (n % p) p = n; // prime: naive DFT
  if (p === n) {
    const or = new Float64Array(n);
    const oi = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < n; t++) {
        const a = (-2 * Math.PI * ((k * t) % n)) / n;
        sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
        si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
      }
      or[k] = sr;
      oi[k] = si;
    }
    return [or, oi];
  }
  const m = n / p;
  const subs: [Float64Array, Float64Array][] = [];
  for (let r = 0; r < p; r++) {
    const sr = new Float64Array(m);
    const si = new Float64Array(m);
    for (let j = 0; j < m; j++) {
      sr[j] = re[j * p + r];
      si[j] = im[j * p + r];
    }
    subs.push(fft(sr, si));
  }
  const or = new Float64Array(n);
  const oi = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let r = 0; r < p; r++) {
      const a = (-2 * Math.PI * r * k) / n;
      const [xr, xi] = [subs[r][0][k % m], subs[r][1][k % m]];
      sr += xr * Math.cos(a) - xi * Math.sin(a);
      si += xr * Math.sin(a) + xi * Math.cos(a);
    }
    or[k] = sr;
    oi[k] = si;
  }
  return [or, oi];
}

/** |FFT2(x)| of an h×w real image, fftshifted (zero frequency at (h/2, w/2) rounded down). */
export function amplitudeSpectrum(x: Float64Array | Float32Array, w: number, h: number): Float64Array {
  const re = Float64Array.from(x);
  const im = new Float64Array(w * h);
  for (let y = 0; y < h; y++) {
    const [r, i] = fft(re.subarray(y * w, (y + 1) * w), im.subarray(y * w, (y + 1) * w));
    re.set(r, y * w);
    im.set(i, y * w);
  }
  const col = new Float64Array(h);
  const coli = new Float64Array(h);
  for (let x0 = 0; x0 < w; x0++) {
    for (let y = 0; y < h; y++) {
      col[y] = re[y * w + x0];
      coli[y] = im[y * w + x0];
    }
    const [r, i] = fft(col, coli);
    for (let y = 0; y < h; y++) {
      re[y * w + x0] = r[y];
      im[y * w + x0] = i[y];
    }
  }
  const out = new Float64Array(w * h);
  const sy = Math.floor(h / 2);
  const sx = Math.floor(w / 2);
  for (let y = 0; y < h; y++) {
    for (let x0 = 0; x0 < w; x0++) {
      const a = Math.hypot(re[y * w + x0], im[y * w + x0]);
      out[((y + sy) % h) * w + ((x0 + sx) % w)] = a;
    }
  }
  return out;
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
