/**
 * Power spectra of planar images as the ISNAS-DIP metrics read them (methods.md §2.3): per channel,
 * |FFT2|² with 'forward' normalisation (the transform divided by H·W), zero frequency moved to
 * (⌊H/2⌋, ⌊W/2⌋); optionally with the DC removed first ('nodc': the mean over all channels and pixels,
 * as the official code subtracts it). Frequencies are normalised per axis (cycles per pixel), so the
 * ring and circle masks below are fractions of the spectrum's width and height.
 */
import { shiftedPowerSpectrum } from '../image/fft.js';

/** A planar C×H×W image (network layout). */
export interface Planar {
  readonly data: Float32Array | Float64Array;
  readonly channels: number;
  readonly width: number;
  readonly height: number;
}

/** Powers below this count as −200 dB: an exactly flat band (a constant image) must not give −∞. */
export const POWER_FLOOR = 1e-20;

/** 10·log_b(p), the "dB" of the metrics; b = 10 (the official code used the natural log). */
export function decibels(power: Float64Array, logBase = 10): Float64Array {
  const k = 10 / Math.log(logBase);
  return power.map((p) => k * Math.log(Math.max(p, POWER_FLOOR)));
}

/** Lazily computed, cached spectra of one image. */
export class Spectra {
  private readonly cache = new Map<string, Float64Array>();

  constructor(readonly image: Planar) {}

  power(nodc = false): Float64Array {
    return this.memo(`p${nodc}`, () => channelSpectra(this.image, nodc));
  }

  decibels(nodc = false, logBase = 10): Float64Array {
    return this.memo(`db${nodc}:${logBase}`, () => decibels(this.power(nodc), logBase));
  }

  /** The values a similarity metric compares: power or dB, the whole spectrum or the 0.1–0.2 ring. */
  values(nodc: boolean, db: boolean, strip: boolean, logBase = 10): Float64Array {
    const all = () => (db ? this.decibels(nodc, logBase) : this.power(nodc));
    if (!strip) return all();
    return this.memo(`ring${nodc}:${db}:${logBase}`, () => maskedValues(all(), ringMask(this.image.width, this.image.height)));
  }

  private memo(key: string, make: () => Float64Array): Float64Array {
    let v = this.cache.get(key);
    if (!v) {
      v = make();
      this.cache.set(key, v);
    }
    return v;
  }
}

function channelSpectra(img: Planar, nodc: boolean): Float64Array {
  const { channels: c, width: w, height: h, data } = img;
  const plane = w * h;
  let mean = 0;
  if (nodc) {
    for (let i = 0; i < c * plane; i++) mean += data[i];
    mean /= c * plane;
  }
  const out = new Float64Array(c * plane);
  for (let k = 0; k < c; k++) out.set(shiftedPowerSpectrum(data.subarray(k * plane, (k + 1) * plane), w, h, 1 / (plane * plane), mean), k * plane);
  return out;
}

/** Squared normalised radius of every pixel of a shifted h×w spectrum. */
export function squaredRadii(w: number, h: number): Float64Array {
  const out = new Float64Array(w * h);
  const [cx, cy] = [Math.floor(w / 2), Math.floor(h / 2)];
  for (let y = 0; y < h; y++) {
    const fy = (y - cy) / h;
    for (let x = 0; x < w; x++) {
      const fx = (x - cx) / w;
      out[y * w + x] = fx * fx + fy * fy;
    }
  }
  return out;
}

/**
 * Pixels strictly inside the circle of normalised diameter `outer` and not strictly inside the one of
 * diameter `inner` (the official strip: 0.1–0.2). Centred on the zero frequency; for even sizes this
 * is the official mask exactly, for odd ones the official code's centre sits half a pixel off it.
 */
export function ringMask(w: number, h: number, outer = 0.2, inner = 0.1): Uint8Array {
  const key = `${w}x${h}:${outer}:${inner}`;
  let mask = ringMasks.get(key);
  if (!mask) {
    const r2 = squaredRadii(w, h);
    mask = new Uint8Array(r2.length);
    for (let i = 0; i < r2.length; i++) mask[i] = r2[i] < (outer / 2) ** 2 && !(r2[i] < (inner / 2) ** 2) ? 1 : 0;
    if (ringMasks.size > 16) ringMasks.clear();
    ringMasks.set(key, mask);
  }
  return mask;
}

const ringMasks = new Map<string, Uint8Array>();

/** Values of a C×H×W array where a per-pixel mask is set, channel after channel. */
export function maskedValues(values: Float64Array, mask: Uint8Array): Float64Array {
  const plane = mask.length;
  const channels = values.length / plane;
  let count = 0;
  for (const m of mask) count += m;
  const out = new Float64Array(count * channels);
  let j = 0;
  for (let k = 0; k < channels; k++) for (let i = 0; i < plane; i++) if (mask[i]) out[j++] = values[k * plane + i];
  return out;
}

/** The mean over channels of a C×H×W array (the official "Avg" grey of spectra). */
export function channelMean(values: Float64Array, plane: number): Float64Array {
  const channels = values.length / plane;
  const out = new Float64Array(plane);
  for (let k = 0; k < channels; k++) for (let i = 0; i < plane; i++) out[i] += values[k * plane + i] / channels;
  return out;
}
