/** Reconstruction from randomly dropped or scrambled pixels: masked data term (restoration.ipynb). */
import { InputError } from '../util/errors.js';
import { sameSizeProblem, SKIP_128, SKIP_FAST } from './common.js';
import type { TaskDefinition } from './task.js';

export const reconstruct: TaskDefinition = {
  name: 'reconstruct',
  autoStop: false,
  presets: {
    // restoration.ipynb, barbara with 50 % of the pixels: LR 0.001, 11000 iterations.
    paper: {
      arch: 'skip',
      net: SKIP_128,
      input: 'noise',
      inputDepth: 32,
      lr: 0.001,
      iterations: 11000,
      regNoise: 0.03,
      smoothing: 0,
      backtracking: true,
      returnSmoothed: false,
    },
    fast: {
      arch: 'skip',
      net: SKIP_FAST,
      input: 'noise',
      inputDepth: 32,
      lr: 0.01,
      iterations: 2000,
      regNoise: 0.03,
      smoothing: 0.9,
      backtracking: true,
      returnSmoothed: true,
    },
  },
  prepare: (o, canvas) => {
    if (!o.mask) throw new InputError('reconstruct needs a mask of the known pixels (--mask FILE)');
    return sameSizeProblem(o, canvas, { mask: o.mask });
  },
};
