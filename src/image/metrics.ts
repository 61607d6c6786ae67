/**
 * PSNR and SSIM with the papers' conventions, so reported numbers compare with published ones.
 *
 * - 'rgb' (default): all colour channels, data range 1 — skimage compare_psnr as the DIP
 *   notebooks call it on [0,1] floats.
 * - 'y': BT.601 luma Y = (16 + 65.481 R + 128.553 G + 24.966 B)/255, MATLAB rgb2ycbcr as used by
 *   the SR literature and HCFlow's bgr2ycbcr(only_y). DIP's SR eval script uses OpenCV's YCrCb and
 *   then maps Y into the same [16/255, 235/255] range, i.e. the same quantity. Grey images are
 *   their own Y.
 * - border: pixels shaved from every side first (the SR protocols shave `scale` pixels).
 *
 * Alpha channels are ignored (restorations pass alpha through untouched). Sums are in double.
 */
import { InputError } from '../util/errors.js';
import { colorChannels, cropImage, splitAlpha, toLumaY, type Image } from './image.js';
import { gaussianWeights } from './lanczos.js';

export interface MetricOptions {
  channel?: 'rgb' | 'y';
  /** Pixels removed from each side before measuring (default 0). */
  border?: number;
  /** Peak value (default 1 for [0,1] images). */
  dataRange?: number;
}

/** Colour (or luma) planes of both images after the channel and border rules. */
function prepare(a: Image, b: Image, opts: MetricOptions, what: string): [Image, Image] {
  if (a.width !== b.width || a.height !== b.height || colorChannels(a) !== colorChannels(b)) {
    throw new InputError(
      `${what}: cannot compare a ${a.width}×${a.height} ${colorChannels(a) === 1 ? 'grey' : 'colour'} image with a ` +
        `${b.width}×${b.height} ${colorChannels(b) === 1 ? 'grey' : 'colour'} one; give images of the same size and type`,
      { code: 'SIZE_MISMATCH' },
    );
  }
  const channel = opts.channel ?? 'rgb';
  if (channel !== 'rgb' && channel !== 'y') throw new InputError(`${what}: channel must be 'rgb' or 'y', got '${channel}'`, { code: 'BAD_OPTION' });
  const border = opts.border ?? 0;
  const w = a.width - 2 * border;
  const h = a.height - 2 * border;
  if (!Number.isInteger(border) || border < 0 || w < 1 || h < 1) {
    throw new InputError(`${what}: border ${border} is too large for a ${a.width}×${a.height} image (or not a whole number)`, { code: 'BAD_OPTION' });
  }
  const pick = (img: Image) => {
    const color = splitAlpha(img).color;
    const plane = channel === 'y' ? toLumaY(color) : color;
    return border > 0 ? cropImage(plane, border, border, w, h) : plane;
  };
  return [pick(a), pick(b)];
}

function range(opts: MetricOptions, what: string): number {
  const r = opts.dataRange ?? 1;
  if (!(r > 0)) throw new InputError(`${what}: dataRange must be positive, got ${r}`, { code: 'BAD_OPTION' });
  return r;
}

/** Mean squared error over all compared values. */
export function mse(a: Image, b: Image, opts: Omit<MetricOptions, 'dataRange'> = {}): number {
  const [x, y] = prepare(a, b, opts, 'mse');
  let s = 0;
  for (let i = 0; i < x.data.length; i++) {
    const d = x.data[i] - y.data[i];
    s += d * d;
  }
  return s / x.data.length;
}

/** PSNR in dB = 10·log10(range² / MSE); Infinity for identical images. Symmetric. */
export function psnr(a: Image, b: Image, opts: MetricOptions = {}): number {
  const r = range(opts, 'psnr');
  const m = mse(a, b, opts);
  return m === 0 ? Infinity : 10 * Math.log10((r * r) / m);
}

const SSIM_WIN = 11;
const SSIM_SIGMA = 1.5;

/**
 * SSIM of Wang et al. (2004) as the MATLAB reference and HCFlow/BasicSR compute it: 11×11
 * Gaussian window σ = 1.5, C1 = (0.01 L)², C2 = (0.03 L)², statistics over the valid region only
 * (the map is (H−10)×(W−10)), mean of the map; RGB is the average of the per-channel SSIMs.
 * No automatic downsampling (unlike MATLAB's ssim.m for large images).
 */
export function ssim(a: Image, b: Image, opts: MetricOptions = {}): number {
  const L = range(opts, 'ssim');
  const [x, y] = prepare(a, b, opts, 'ssim');
  if (x.width < SSIM_WIN || x.height < SSIM_WIN) {
    throw new InputError(`ssim: needs at least ${SSIM_WIN}×${SSIM_WIN} pixels after the border, got ${x.width}×${x.height}`, { code: 'IMAGE_TOO_SMALL' });
  }
  const c = x.channels;
  let total = 0;
  for (let k = 0; k < c; k++) total += ssimPlane(plane(x, k), plane(y, k), x.width, x.height, L);
  return total / c;
}

function plane(img: Image, k: number): Float64Array {
  const n = img.width * img.height;
  const c = img.channels;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = img.data[i * c + k];
  return out;
}

function ssimPlane(x: Float64Array, y: Float64Array, w: number, h: number, L: number): number {
  const g = gaussianWeights(SSIM_WIN, SSIM_SIGMA);
  const n = x.length;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const [mx, my, sxx, syy, sxy] = [x, y, xx, yy, xy].map((p) => filterValid(p, w, h, g));
  const C1 = (0.01 * L) ** 2;
  const C2 = (0.03 * L) ** 2;
  let sum = 0;
  for (let i = 0; i < mx.length; i++) {
    const mu1 = mx[i],
      mu2 = my[i];
    const v1 = sxx[i] - mu1 * mu1;
    const v2 = syy[i] - mu2 * mu2;
    const cov = sxy[i] - mu1 * mu2;
    sum += ((2 * mu1 * mu2 + C1) * (2 * cov + C2)) / ((mu1 * mu1 + mu2 * mu2 + C1) * (v1 + v2 + C2));
  }
  return sum / mx.length;
}

/** Separable 'valid' correlation with a symmetric 1-D kernel: (w−k+1)×(h−k+1) output. */
function filterValid(p: Float64Array, w: number, h: number, g: Float64Array): Float64Array {
  const k = g.length;
  const ow = w - k + 1;
  const oh = h - k + 1;
  const tmp = new Float64Array(ow * h);
  for (let r = 0; r < h; r++) {
    for (let col = 0; col < ow; col++) {
      let s = 0;
      const base = r * w + col;
      for (let t = 0; t < k; t++) s += g[t] * p[base + t];
      tmp[r * ow + col] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let r = 0; r < oh; r++) {
    for (let col = 0; col < ow; col++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += g[t] * tmp[(r + t) * ow + col];
      out[r * ow + col] = s;
    }
  }
  return out;
}
