/** Reconstruction from randomly dropped or scrambled pixels: masked data term (restoration.ipynb). */
import { invertMask } from '../image/masks.js';
import { sameSizeProblem, SKIP_128, SKIP_FAST, skipPreset } from './common.js';
import type { TaskDefinition } from './task.js';

export const reconstruct: TaskDefinition = {
  name: 'reconstruct',
  about: {
    summary: 'restore an image from a subset of its pixels (scrambled or randomly dropped)',
    input: 'the image with missing pixels',
    examples: [
      'deep-prior degrade barbara.png -o dropped.png --drop 0.5 --mask-out mask.png',
      'deep-prior reconstruct dropped.png --mask mask.png -o barbara-restored.png',
    ],
  },
  options: ['mask', 'maskInvert', 'keepKnown'],
  requires: [['mask']],
  resolve: (o) => (o.maskInvert && o.mask ? { ...o, mask: invertMask(o.mask) } : o),
  // The known pixels are exact: the fit converges, so stop once it has.
  stopRule: 'change',
  stopRules: ['change', 'wmv'],
  presets: {
    // restoration.ipynb, barbara with 50 % of the pixels: LR 0.001, 11000 iterations.
    paper: skipPreset(SKIP_128, { lr: 0.001, iterations: 11000, regNoise: 0.03, smoothing: 0, backtracking: true, returnSmoothed: false }),
    fast: skipPreset(SKIP_FAST, { lr: 0.01, iterations: 2000, regNoise: 0.03, smoothing: 0.9, backtracking: true, returnSmoothed: true }),
  },
  prepare: (o, canvas) => sameSizeProblem(o, canvas, { mask: o.mask, keepKnown: o.keepKnown }),
};
