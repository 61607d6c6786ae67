/**
 * Blind estimate of additive white Gaussian noise σ in an image, by the patch-PCA method of Chen,
 * Zhu & Heng ("An efficient statistical method for image noise level estimation", ICCV 2015):
 * the covariance of small patches has a few large eigenvalues from image structure and a bulk of
 * small ones from the noise, whose mean and median agree. Walking from the largest eigenvalue down,
 * the first tail whose mean no longer exceeds its median is the noise bulk; its mean is σ².
 * Textures (Baboon) inflate simple estimators such as the wavelet MAD; the PCA split does not.
 *
 * It runs once per fit on the input (not per step): a bounded sample of patches keeps it at a few
 * tens of milliseconds for any image size.
 */
import { splitAlpha, type Image } from './image.js';

const PATCH = 7;
const MAX_PATCHES = 40_000;

/** σ of the noise on the [0, 1] scale (×255 for 8-bit units); 0 for images too small to tell. */
export function estimateNoiseSigma(image: Image): number {
  const { color } = splitAlpha(image);
  const { width: w, height: h, channels: c, data } = color;
  if (w < PATCH || h < PATCH) return 0;
  const d = PATCH * PATCH;
  const positions = (w - PATCH + 1) * (h - PATCH + 1) * c;
  const stride = Math.max(1, Math.ceil(Math.sqrt(positions / MAX_PATCHES)));
  const mean = new Float64Array(d);
  const cov = new Float64Array(d * d);
  const patch = new Float64Array(d);
  let n = 0;
  for (let k = 0; k < c; k++) {
    for (let y = 0; y + PATCH <= h; y += stride) {
      for (let x = 0; x + PATCH <= w; x += stride) {
        for (let dy = 0; dy < PATCH; dy++) {
          for (let dx = 0; dx < PATCH; dx++) patch[dy * PATCH + dx] = data[((y + dy) * w + x + dx) * c + k];
        }
        for (let i = 0; i < d; i++) {
          mean[i] += patch[i];
          const pi = patch[i];
          for (let j = i; j < d; j++) cov[i * d + j] += pi * patch[j];
        }
        n++;
      }
    }
  }
  if (n < 2 * d) return 0;
  for (let i = 0; i < d; i++) mean[i] /= n;
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) {
      const v = cov[i * d + j] / n - mean[i] * mean[j];
      cov[i * d + j] = v;
      cov[j * d + i] = v;
    }
  }
  const eig = symmetricEigenvalues(cov, d).sort((a, b) => b - a);
  for (let i = 0; i < d; i++) {
    const tail = eig.slice(i);
    const tailMean = tail.reduce((a, b) => a + b, 0) / tail.length;
    if (tailMean <= median(tail)) return Math.sqrt(Math.max(0, tailMean));
  }
  return Math.sqrt(Math.max(0, eig[d - 1]));
}

function median(sortedDescending: number[]): number {
  const m = sortedDescending.length;
  return m % 2 ? sortedDescending[(m - 1) / 2] : (sortedDescending[m / 2 - 1] + sortedDescending[m / 2]) / 2;
}

/** Eigenvalues of a symmetric n×n matrix (row-major, overwritten) by cyclic Jacobi rotations. */
export function symmetricEigenvalues(a: Float64Array, n: number): number[] {
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p];
          const akq = a[k * n + q];
          a[k * n + p] = cs * akp - sn * akq;
          a[k * n + q] = sn * akp + cs * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k];
          const aqk = a[q * n + k];
          a[p * n + k] = cs * apk - sn * aqk;
          a[q * n + k] = sn * apk + cs * aqk;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i]);
}
