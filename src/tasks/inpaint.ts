/** Inpainting: the data term only sees known pixels (mask 1); the prior fills the holes. */
import { InputError } from '../util/errors.js';
import { controlledSettings, sameSizeProblem } from './common.js';
import type { TaskDefinition, TaskSettings } from './task.js';

const KATE_NET: TaskSettings['net'] = {
  skip: {
    channelsDown: [128, 128, 128, 128, 128],
    channelsUp: [128, 128, 128, 128, 128],
    channelsSkip: [128, 128, 128, 128, 128],
    upsample: 'nearest',
    pad: 'reflection',
  },
};
const FAST_NET: TaskSettings['net'] = {
  skip: { channelsDown: [64, 64, 64, 64, 64], channelsUp: [64, 64, 64, 64, 64], channelsSkip: [16, 16, 16, 16, 16], upsample: 'nearest', pad: 'reflection' },
};

export const inpaint: TaskDefinition = {
  name: 'inpaint',
  // Masked fits do not overfit noise in the holes the way denoising does: run the budget.
  autoStop: false,
  presets: {
    // inpainting.ipynb, kate (text removal): 6001 iterations, reg-noise 0.03, no smoothing.
    paper: {
      arch: 'skip',
      net: KATE_NET,
      input: 'noise',
      inputDepth: 32,
      lr: 0.01,
      iterations: 6001,
      regNoise: 0.03,
      smoothing: 0,
      backtracking: false,
      returnSmoothed: false,
    },
    // The inpainting script's λ (only known pixels are fitted: no noise to guard against, no smoothing).
    controlled: controlledSettings(1.6, 0),
    fast: {
      arch: 'skip',
      net: FAST_NET,
      input: 'noise',
      inputDepth: 32,
      lr: 0.01,
      iterations: 2500,
      regNoise: 0.03,
      smoothing: 0.9,
      backtracking: false,
      returnSmoothed: true,
    },
  },
  prepare: (o, canvas) => {
    if (!o.mask) throw new InputError('inpaint needs a mask (--mask FILE or --mask-color COLOR)');
    return sameSizeProblem(o, canvas, { mask: o.mask });
  },
};
