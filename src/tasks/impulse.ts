/**
 * Salt-and-pepper noise: outliers are detected (pixels at the extremes that disagree with their
 * neighbourhood's median) and treated as missing, or the data term is made robust (L1) instead.
 */
import { splitAlpha, createImage, type Image } from '../image/image.js';
import { sameSizeProblem, SKIP_128, SKIP_FAST, skipPreset } from './common.js';
import type { TaskDefinition } from './task.js';

/**
 * 1 = trusted pixel, 0 = detected impulse. Runs once before the fit, not per step. An extreme pixel
 * (black or white in every channel) is an impulse unless its 3×3 neighbourhood agrees in every channel
 * (a genuinely black or white area): a white dot on skin differs from its neighbours' median in green
 * and blue even where red is near 1. The gap is small on purpose: a missed impulse is fitted late in
 * the run and costs dB, a clean extreme pixel taken for one is merely filled in by the prior.
 */
export function detectImpulses(img: Image, extremeTolerance = 1.5 / 255, medianGap = 0.1): Image {
  const { color } = splitAlpha(img);
  const { width: w, height: h, channels: c } = color;
  const mask = createImage(w, h, 1);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * c;
      let low = true;
      let high = true;
      for (let k = 0; k < c; k++) {
        const v = color.data[i + k];
        if (v > extremeTolerance) low = false;
        if (v < 1 - extremeTolerance) high = false;
      }
      mask.data[y * w + x] = (low || high) && largestGapToNeighbours(color, x, y) > medianGap ? 0 : 1;
    }
  }
  return mask;
}

/** max over channels of |median of the 8 neighbours − the pixel| (edges replicated). */
function largestGapToNeighbours(color: Image, x: number, y: number): number {
  const { width: w, height: h, channels: c } = color;
  const window: number[] = [];
  let gap = 0;
  for (let k = 0; k < c; k++) {
    window.length = 0;
    for (let dy = -1; dy <= 1; dy++) {
      for (let dx = -1; dx <= 1; dx++) {
        const yy = Math.min(h - 1, Math.max(0, y + dy));
        const xx = Math.min(w - 1, Math.max(0, x + dx));
        if (dy || dx) window.push(color.data[(yy * w + xx) * c + k]);
      }
    }
    window.sort((a, b) => a - b);
    gap = Math.max(gap, Math.abs((window[3] + window[4]) / 2 - color.data[(y * w + x) * c + k]));
  }
  return gap;
}

export const impulse: TaskDefinition = {
  name: 'impulse',
  about: {
    summary: 'remove salt-and-pepper noise (outliers are detected and treated as missing)',
    input: 'the photo with impulse noise',
    examples: ['deep-prior impulse speckled.png -o clean.png', 'deep-prior impulse speckled.png -o clean.png --impulse-loss l1'],
  },
  options: ['impulseLoss'],
  stopRule: 'change',
  stopRules: ['change', 'wmv'],
  presets: {
    paper: skipPreset(SKIP_128, { lr: 0.01, iterations: 3000, regNoise: 1 / 30, smoothing: 0.99, backtracking: true, returnSmoothed: true }),
    fast: skipPreset(SKIP_FAST, { lr: 0.01, iterations: 1800, regNoise: 1 / 30, smoothing: 0.99, backtracking: true, returnSmoothed: true }),
  },
  prepare: (o, canvas) => (o.impulseLoss === 'l1' ? sameSizeProblem(o, canvas, { norm: 'l1' }) : sameSizeProblem(o, canvas, { mask: detectImpulses(o.image) })),
};
