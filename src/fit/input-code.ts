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
