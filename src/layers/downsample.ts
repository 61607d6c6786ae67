/** Fixed downsamplers: average / max pooling and DIP's Lanczos kernels as depth-wise strided convs. */
import type { Value } from '../graph/graph.js';
import { avgPool, conv2d, maxPool, pad } from '../graph/index.js';
import { lanczosKernel } from '../image/lanczos.js';

export type DownsampleMode = 'stride' | 'avg' | 'max' | 'lanczos2' | 'lanczos3';

export function downsample(x: Value, mode: Exclude<DownsampleMode, 'stride'>, factor: number): Value {
  if (mode === 'avg') return avgPool(x, factor);
  if (mode === 'max') return maxPool(x, factor);
  return lanczosDownsample(x, factor, mode === 'lanczos3' ? 3 : 2);
}

/**
 * DIP's Lanczos downsampler (phase 0.5, size preserved): replicate-pad by (n − f)/2 and convolve
 * each channel with the fixed n×n kernel at stride f, so H×W becomes H/f × W/f.
 */
export function lanczosDownsample(x: Value, factor: number, support: 2 | 3 = 2): Value {
  const c = x.shape[1];
  const k = lanczosKernel(factor, { support, phase: 0.5 });
  const n = Math.round(Math.sqrt(k.length));
  const p = (n - factor) / 2;
  const weights = new Float32Array(c * n * n);
  for (let i = 0; i < c; i++) weights.set(k, i * n * n);
  const w = x.graph.constant(weights, [c, 1, n, n], 'lanczos');
  const padded = pad(x, [0, 0, p, p, 0, 0, p, p], 'edge');
  return conv2d(padded, w, null, { stride: factor, group: c });
}
