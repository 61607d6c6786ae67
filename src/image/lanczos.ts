/**
 * Fixed resampling kernels, computed exactly as the reference code does so results stay comparable.
 * Pure arithmetic: shared by the Lanczos downsampler layer (SR data term), the Gaussian upsampler
 * and SSIM.
 */

export interface LanczosOptions {
  /** Lobes a: 2 for DIP's 'lanczos2' (kernel width 4f+1), 3 for 'lanczos3' (6f+1). */
  support?: 2 | 3;
  /** 0.5 (DIP's default for SR) shifts taps by half a pixel and drops one: an even 4f × 4f kernel. */
  phase?: 0 | 0.5;
}

/**
 * Normalised 1-D taps of DIP's Lanczos kernel. DIP builds the 2-D kernel as the product
 * w(d_i)·w(d_j) and divides by its sum, which equals the outer product of these taps.
 * width = 2a·f + 1 and centre c = (width + 1)/2 (1-based); with phase 0.5 there are width − 1
 * taps at d_i = |i + 0.5 − c|/f, otherwise width taps at d_i = |i − c|/f;
 * w(d) = a·sin(πd)·sin(πd/a)/(π²d²), w(0) = 1.
 */
export function lanczosTaps(factor: number, opts: LanczosOptions = {}): Float64Array {
  const a = opts.support ?? 2;
  const phase = opts.phase ?? 0.5;
  if (!Number.isInteger(factor) || factor < 1) throw new RangeError(`Lanczos factor must be a positive integer, got ${factor}`);
  const width = 2 * a * factor + 1;
  const n = phase === 0.5 ? width - 1 : width;
  const c = (width + 1) / 2;
  const taps = new Float64Array(n);
  let sum = 0;
  for (let i = 1; i <= n; i++) {
    const d = Math.abs(i + (phase === 0.5 ? 0.5 : 0) - c) / factor;
    const w = d === 0 ? 1 : (a * Math.sin(Math.PI * d) * Math.sin((Math.PI * d) / a)) / (Math.PI * Math.PI * d * d);
    taps[i - 1] = w;
    sum += w;
  }
  for (let i = 0; i < n; i++) taps[i] /= sum;
  return taps;
}

/**
 * DIP's Lanczos downsampling kernel as a row-major n × n Float32Array summing to 1:
 * n = 4f for support 2 and phase 0.5 (16 for f = 4), 6f for support 3. Used as a stride-f
 * convolution after replicate padding of (n − f)/2 pixels.
 */
export function lanczosKernel(factor: number, opts: LanczosOptions = {}): Float32Array {
  const t = lanczosTaps(factor, opts);
  const n = t.length;
  const k = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) k[i * n + j] = t[i] * t[j];
  return k;
}

export interface GaussianOptions {
  /**
   * Distance per tap. 1 gives the textbook kernel (cv2.getGaussianKernel, SSIM's 11-tap σ = 1.5).
   * DIP's 'gauss' kernels and the spectral-bias Gaussian upsampler use d = (index − centre)/2,
   * i.e. step 0.5.
   */
  step?: number;
}

/** exp(−d²/(2σ²)) at d = (i − (size−1)/2)·step, normalised to sum 1, in double precision. */
export function gaussianWeights(size: number, sigma: number, opts: GaussianOptions = {}): Float64Array {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`Gaussian size must be a positive integer, got ${size}`);
  if (!(sigma > 0)) throw new RangeError(`Gaussian sigma must be positive, got ${sigma}`);
  const step = opts.step ?? 1;
  const c = (size - 1) / 2;
  const w = new Float64Array(size);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    const d = (i - c) * step;
    w[i] = Math.exp(-(d * d) / (2 * sigma * sigma));
    sum += w[i];
  }
  for (let i = 0; i < size; i++) w[i] /= sum;
  return w;
}

export function gaussianKernel1d(size: number, sigma: number, opts: GaussianOptions = {}): Float32Array {
  return Float32Array.from(gaussianWeights(size, sigma, opts));
}
