/**
 * Discrete Fourier transforms on typed arrays, O(n log n) for every length: an iterative radix-2
 * FFT for powers of two and Bluestein's chirp-z transform (through a power-of-two FFT) for the
 * rest, so odd image sizes cost no more than the next power of two. Tables are cached per length.
 * Used on the host for spectra of whole images (the FBC measure, the architecture-search metrics).
 */

interface Radix2Plan {
  kind: 'radix2';
  n: number;
  reverse: Uint32Array;
  cos: Float64Array;
  sin: Float64Array;
}

interface BluesteinPlan {
  kind: 'bluestein';
  n: number;
  inner: Radix2Plan;
  /** The chirp w_k = exp(−iπk²/n). */
  chirpRe: Float64Array;
  chirpIm: Float64Array;
  /** FFT of the conjugate chirp, wrapped to the inner length. */
  filterRe: Float64Array;
  filterIm: Float64Array;
}

type Plan = Radix2Plan | BluesteinPlan;

/** Plans by length, least recently used first; bounded so a long batch of varied image sizes keeps flat memory. */
const plans = new Map<number, Plan>();
const MAX_PLANS = 32;

function isPowerOfTwo(n: number): boolean {
  return (n & (n - 1)) === 0;
}

function radix2Plan(n: number): Radix2Plan {
  const bits = Math.log2(n);
  const reverse = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    reverse[i] = r;
  }
  const cos = new Float64Array(n / 2);
  const sin = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    cos[k] = Math.cos((2 * Math.PI * k) / n);
    sin[k] = -Math.sin((2 * Math.PI * k) / n);
  }
  return { kind: 'radix2', n, reverse, cos, sin };
}

function bluesteinPlan(n: number): BluesteinPlan {
  let m = 1;
  while (m < 2 * n - 1) m *= 2;
  const inner = planFor(m) as Radix2Plan;
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // k² mod 2n keeps the angle small (exact for the sizes of images).
    const a = (Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(a);
    chirpIm[k] = -Math.sin(a);
  }
  const filterRe = new Float64Array(m);
  const filterIm = new Float64Array(m);
  filterRe[0] = chirpRe[0];
  filterIm[0] = -chirpIm[0];
  for (let k = 1; k < n; k++) {
    filterRe[k] = filterRe[m - k] = chirpRe[k];
    filterIm[k] = filterIm[m - k] = -chirpIm[k];
  }
  radix2(inner, filterRe, filterIm);
  return { kind: 'bluestein', n, inner, chirpRe, chirpIm, filterRe, filterIm };
}

function planFor(n: number): Plan {
  let p = plans.get(n);
  if (p) plans.delete(n);
  else p = isPowerOfTwo(n) ? radix2Plan(n) : bluesteinPlan(n);
  plans.set(n, p);
  if (plans.size > MAX_PLANS) plans.delete(plans.keys().next().value as number);
  return p;
}

/** How many FFT plans are cached (bounded by MAX_PLANS). */
export function cachedPlanCount(): number {
  return plans.size;
}

/** In-place iterative Cooley–Tukey (decimation in time). */
function radix2(p: Radix2Plan, re: Float64Array, im: Float64Array): void {
  const n = p.n;
  for (let i = 0; i < n; i++) {
    const j = p.reverse[i];
    if (j > i) {
      const tr = re[i];
      re[i] = re[j];
      re[j] = tr;
      const ti = im[i];
      im[i] = im[j];
      im[j] = ti;
    }
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = p.cos[k * step];
        const wi = p.sin[k * step];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr;
        im[b] = im[a] - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
}

/** X_k = w_k · Σ_t (x_t w_t) · conj(w_{k−t}) with kt = (k² + t² − (k−t)²)/2: a circular convolution of length m. */
function bluestein(p: BluesteinPlan, re: Float64Array, im: Float64Array): void {
  const { n, inner, chirpRe, chirpIm, filterRe, filterIm } = p;
  const m = inner.n;
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    ar[k] = re[k] * chirpRe[k] - im[k] * chirpIm[k];
    ai[k] = re[k] * chirpIm[k] + im[k] * chirpRe[k];
  }
  radix2(inner, ar, ai);
  for (let k = 0; k < m; k++) {
    const r = ar[k] * filterRe[k] - ai[k] * filterIm[k];
    // Conjugate on the way in and out turns the forward FFT into the inverse one.
    ai[k] = -(ar[k] * filterIm[k] + ai[k] * filterRe[k]);
    ar[k] = r;
  }
  radix2(inner, ar, ai);
  for (let k = 0; k < n; k++) {
    const cr = ar[k] / m;
    const ci = -ai[k] / m;
    re[k] = cr * chirpRe[k] - ci * chirpIm[k];
    im[k] = cr * chirpIm[k] + ci * chirpRe[k];
  }
}

/** In-place forward DFT X_k = Σ_t x_t e^{−2πikt/n} (no normalisation) of any length. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (im.length !== n) throw new RangeError(`fft: real and imaginary parts differ in length (${n} vs ${im.length})`);
  if (n <= 1) return;
  const p = planFor(n);
  if (p.kind === 'radix2') radix2(p, re, im);
  else bluestein(p, re, im);
}

/** In-place 2-D forward DFT of a row-major h×w complex array. */
export function fft2(re: Float64Array, im: Float64Array, w: number, h: number): void {
  for (let y = 0; y < h; y++) fft(re.subarray(y * w, (y + 1) * w), im.subarray(y * w, (y + 1) * w));
  const cr = new Float64Array(h);
  const ci = new Float64Array(h);
  for (let x = 0; x < w; x++) {
    for (let y = 0; y < h; y++) {
      cr[y] = re[y * w + x];
      ci[y] = im[y * w + x];
    }
    fft(cr, ci);
    for (let y = 0; y < h; y++) {
      re[y * w + x] = cr[y];
      im[y * w + x] = ci[y];
    }
  }
}

/**
 * |FFT2(x)|² of a real h×w plane, scaled by `scale`, with zero frequency moved to (⌊h/2⌋, ⌊w/2⌋)
 * (numpy's fftshift). `offset` is subtracted from every sample first.
 */
export function shiftedPowerSpectrum(x: ArrayLike<number>, w: number, h: number, scale = 1, offset = 0): Float64Array {
  const re = new Float64Array(w * h);
  for (let i = 0; i < re.length; i++) re[i] = x[i] - offset;
  const im = new Float64Array(w * h);
  fft2(re, im, w, h);
  const out = new Float64Array(w * h);
  const sy = Math.floor(h / 2);
  const sx = Math.floor(w / 2);
  for (let y = 0; y < h; y++) {
    const row = ((y + sy) % h) * w;
    for (let x0 = 0; x0 < w; x0++) {
      const i = y * w + x0;
      out[row + ((x0 + sx) % w)] = (re[i] * re[i] + im[i] * im[i]) * scale;
    }
  }
  return out;
}
