/** The network's input code z (methods.md §1.4, §3.5). */
import type { Rng } from '../util/random.js';
import type { InputKind } from '../tasks/task.js';

/**
 * noise: U(0, 1)·0.1 (the DIP code's get_noise; not zero-mean). meshgrid: two channels with x and y
 * in [0, 1]. fourier: half the channels u ~ U(0, 1), then [sin 2πu, cos 2πu] (spectral-bias decoder).
 */
export function makeInputCode(kind: InputKind, shape: number[], rng: Rng): Float32Array {
  const [, c, h, w] = shape;
  const out = new Float32Array(c * h * w);
  if (kind === 'noise') return rng.fillUniform(out, 0, 0.1);
  if (kind === 'meshgrid') {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        out[y * w + x] = w > 1 ? x / (w - 1) : 0;
        out[h * w + y * w + x] = h > 1 ? y / (h - 1) : 0;
      }
    }
    return out;
  }
  if (kind === 'fourier') {
    const half = Math.floor(c / 2);
    const u = rng.fillUniform(new Float32Array(half * h * w));
    for (let i = 0; i < u.length; i++) {
      out[i] = Math.sin(2 * Math.PI * u[i]);
      out[half * h * w + i] = Math.cos(2 * Math.PI * u[i]);
    }
    return out;
  }
  throw new Error(`input code "${kind}" must come from the task (image input)`);
}

/** The mean of the 'noise' code, U(0, 1)·0.1. */
const NOISE_MEAN = 0.05;

/**
 * The code of a half-size fit derived from the full-size one (coarse-to-fine, src/restore/stages.ts),
 * so that the full-size code holds the coarse one as its local averages. noise: 2×2 block averages,
 * moved back to the code's mean and spread (an average of 4 independent values has half their spread;
 * ×2 about the mean restores it, so the reg-noise keeps its size relative to the code); blocks past the
 * full code's edge reflect back into it. meshgrid: drawn again at the coarse size (it is a function
 * of the position only).
 */
export function coarseCode(kind: InputKind, full: Float32Array, fullShape: readonly number[], shape: number[], rng: Rng): Float32Array {
  if (kind === 'meshgrid') return makeInputCode(kind, shape, rng);
  if (kind !== 'noise') throw new Error(`a coarse-to-fine fit needs a noise or meshgrid code, not ${kind}`);
  const [, c, h, w] = shape;
  const [, , fh, fw] = fullShape;
  const out = new Float32Array(c * h * w);
  for (let k = 0; k < c; k++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        for (const [dy, dx] of BLOCK) sum += full[(k * fh + reflect(2 * y + dy, fh)) * fw + reflect(2 * x + dx, fw)];
        out[(k * h + y) * w + x] = NOISE_MEAN + 2 * (sum / 4 - NOISE_MEAN);
      }
    }
  }
  return out;
}

/** Index i mirrored into [0, n) (the coarse canvas may be more than half the full one: both have a minimum size). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * n - 2;
  const j = i % period;
  return j < n ? j : period - j;
}

const BLOCK = [
  [0, 0],
  [0, 1],
  [1, 0],
  [1, 1],
] as const;
