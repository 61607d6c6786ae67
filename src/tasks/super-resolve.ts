/**
 * Super-resolution ×2/×4/×8: the network draws the high-resolution image; the data term compares its
 * Lanczos-2 downsampling (DIP's downsampler: phase 0.5, replicate padding) with the low-resolution input.
 */
import type { Value } from '../graph/graph.js';
import { mse } from '../graph/index.js';
import { splitAlpha } from '../image/image.js';
import { resampleAntialiased } from '../image/resample.js';
import { lanczosDownsample } from '../layers/downsample.js';
import { SKIP_128, SKIP_FAST, skipPreset } from './common.js';
import { canvasSide, finishOnCanvas, referenceOnCanvas, regionWeight, toCanvas, type TaskDefinition } from './task.js';

export const superResolve: TaskDefinition = {
  name: 'super-resolve',
  about: {
    summary: 'enlarge a small image 2×, 4× or 8×',
    input: 'the low-resolution image',
    examples: [
      'deep-prior super-resolve small.png --scale 4 -o large.png',
      'deep-prior super-resolve zebra_lr.png --scale 4 -o zebra_x4.png --reference zebra_GT.png --reference-border 4',
    ],
  },
  options: ['scale'],
  requires: [['scale']],
  outputScale: (o) => o.scale!,
  // The super-resolution papers ignore `scale` pixels at each border.
  referenceBorder: (o) => o.scale!,
  // The low-resolution data term cannot be overfitted into visible noise the way denoising is: stop once converged.
  stopRule: 'change',
  stopRules: ['change', 'wmv'],
  presets: {
    // super-resolution.ipynb, zebra ×4: 2000 iterations, reg-noise 0.03 (×8: 4000 and 0.05, see tweak).
    paper: skipPreset(SKIP_128, { lr: 0.01, iterations: 2000, regNoise: 0.03, smoothing: 0, backtracking: false, returnSmoothed: false }),
    fast: skipPreset(SKIP_FAST, { lr: 0.01, iterations: 1500, regNoise: 0.03, smoothing: 0.9, backtracking: false, returnSmoothed: true }),
  },
  tweak: (s, o) => (o.scale === 8 && o.preset === 'paper' ? { ...s, iterations: 4000, regNoise: 0.05 } : s),
  prepare: (o, canvas) => {
    const scale = o.scale!;
    const { color, alpha } = splitAlpha(o.image);
    const channels = color.channels as 1 | 3;
    const w = color.width * scale;
    const h = color.height * scale;
    const rule = { multiple: Math.max(canvas.multiple, scale), minSize: canvas.minSize };
    const cw = canvasSide(w, rule);
    const ch = canvasSide(h, rule);
    const lw = cw / scale;
    const lh = ch / scale;
    const shape = [1, channels, lh, lw];
    const weight = regionWeight(channels, color.width, color.height, lw, lh);
    const data: Record<string, { shape: number[]; values: Float32Array }> = { target: { shape, values: toCanvas(color, lw, lh) } };
    if (weight) data.weight = { shape, values: weight };
    const bigAlpha = alpha ? resampleAntialiased(alpha, w, h, 'bicubic') : null;
    return {
      canvas: { width: cw, height: ch },
      extent: { width: w, height: h },
      channels,
      data,
      loss: (out: Value, d: Record<string, Value>) => mse(lanczosDownsample(out, scale, 2), d.target, d.weight),
      reference: referenceOnCanvas(o.reference, channels, cw, ch, o.referenceBorder),
      finish: (planar) => finishOnCanvas(planar, channels, cw, ch, w, h, bigAlpha),
    };
  },
};
