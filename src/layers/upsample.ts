/** Upsamplers of the decoders: nearest, bilinear (half-pixel) and the fixed Gaussian transposed conv. */
import type { Value } from '../graph/graph.js';
import { convTranspose2d, upsampleBilinear2x, upsampleNearest } from '../graph/index.js';
import { gaussianWeights } from '../image/lanczos.js';

export type UpsampleMode = 'nearest' | 'bilinear' | 'gaussian';

export function upsample(x: Value, mode: UpsampleMode, gaussianSigma = 0.5): Value {
  if (mode === 'nearest') return upsampleNearest(x, 2);
  if (mode === 'bilinear') return upsampleBilinear2x(x);
  return gaussianUpsample(x, gaussianSigma);
}

/** The 5×5 kernel of the spectral-bias paper's Gaussian upsampler: taps at d = (i − 3)/2, sum 1. */
export function gaussianUpsampleKernel(sigma: number): Float32Array {
  const t = gaussianWeights(5, sigma, { step: 0.5 });
  const k = new Float32Array(25);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) k[i * 5 + j] = t[i] * t[j];
  return k;
}

/**
 * Fixed depth-wise transposed conv, kernel 5, stride 2, padding 2, output padding 1: exactly 2H × 2W.
 * As in the paper's code the kernel sums to 1 (so outputs carry about a quarter of the input's level;
 * the learned conv that follows absorbs the scale).
 */
export function gaussianUpsample(x: Value, sigma: number): Value {
  const c = x.shape[1];
  const k = gaussianUpsampleKernel(sigma);
  const w = new Float32Array(c * 25);
  for (let i = 0; i < c; i++) for (let j = 0; j < 25; j++) w[i * 25 + j] = k[j];
  const weight = x.graph.constant(w, [c, 1, 5, 5], 'gauss_up');
  return convTranspose2d(x, weight, null, { stride: 2, pads: 2, outputPadding: [1, 1], group: c });
}
