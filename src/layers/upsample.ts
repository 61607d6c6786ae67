/** Upsamplers of the decoders: nearest, bilinear and bicubic (half-pixel) and the fixed Gaussian transposed conv. */
import type { Value } from '../graph/graph.js';
import { conv2d, convTranspose2d, pad, pixelShuffle, upsampleBilinear2x, upsampleNearest } from '../graph/index.js';
import { gaussianWeights } from '../image/lanczos.js';

export type UpsampleMode = 'nearest' | 'bilinear' | 'bicubic' | 'gaussian';

export function upsample(x: Value, mode: UpsampleMode, gaussianSigma = 0.5): Value {
  if (mode === 'nearest') return upsampleNearest(x, 2);
  if (mode === 'bilinear') return upsampleBilinear2x(x);
  if (mode === 'bicubic') return bicubicUpsample2x(x);
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

/** Keys' cubic convolution kernel with PyTorch's a = −0.75. */
export function cubicWeight(d: number, a = -0.75): number {
  const x = Math.abs(d);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

/** 5-tap rows (offsets −2..2) of the even and odd outputs of a ×2 half-pixel cubic: sources i − ¼ and i + ¼. */
function bicubicPhases(): [number[], number[]] {
  const offsets = [-2, -1, 0, 1, 2];
  return [offsets.map((o) => cubicWeight(o + 0.25)), offsets.map((o) => cubicWeight(o - 0.25))];
}

/**
 * Bicubic ×2 upsampling as PyTorch's nn.Upsample(mode='bicubic') computes it (half-pixel centres,
 * a = −0.75, border taps clamped): edge padding by 2, one depth-wise 5×5 conv giving the four output
 * phases of each channel, then a pixel shuffle. Built from differentiable ops, so the gradient
 * needs no rule of its own.
 */
export function bicubicUpsample2x(x: Value): Value {
  const c = x.shape[1];
  const rows = bicubicPhases();
  const w = new Float32Array(c * 4 * 25);
  for (let ch = 0; ch < c; ch++) {
    for (let q = 0; q < 4; q++) {
      const [ry, rx] = [rows[q >> 1], rows[q & 1]];
      for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) w[(ch * 4 + q) * 25 + i * 5 + j] = ry[i] * rx[j];
    }
  }
  const weight = x.graph.constant(w, [4 * c, 1, 5, 5], 'bicubic_up');
  const padded = pad(x, [0, 0, 2, 2, 0, 0, 2, 2], 'edge');
  return pixelShuffle(conv2d(padded, weight, null, { group: c }), 2);
}
