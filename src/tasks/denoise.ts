/** Denoising (and the base of deblocking): x = f(z) fitted to the noisy image with MSE. */
import { controlledSettings, sameSizeProblem, SKIP_128, SKIP_FAST } from './common.js';
import type { TaskDefinition } from './task.js';

export const denoise: TaskDefinition = {
  name: 'denoise',
  about: {
    summary: 'remove Gaussian or real sensor noise',
    input: 'the noisy photo',
    examples: [
      'deep-prior denoise noisy.png -o clean.png',
      'deep-prior denoise scan.tif -o restored.tif --preset paper --stop fixed --iterations 3000',
      'deep-prior denoise noisy.png -o out.png --reference clean.png --report report.json',
    ],
  },
  options: [],
  // Gaussian noise of a blindly estimated σ: the discrepancy principle applies directly.
  stopRule: 'discrepancy',
  stopRules: ['discrepancy', 'wmv', 'ratio'],
  presets: {
    // denoising.ipynb: F16, σ = 25.
    paper: {
      arch: 'skip',
      net: SKIP_128,
      input: 'noise',
      inputDepth: 32,
      lr: 0.01,
      iterations: 3000,
      regNoise: 1 / 30,
      smoothing: 0.99,
      backtracking: true,
      returnSmoothed: true,
    },
    controlled: controlledSettings(1.4, 0.99),
    fast: {
      arch: 'skip',
      net: SKIP_FAST,
      input: 'noise',
      inputDepth: 32,
      lr: 0.01,
      iterations: 1800,
      regNoise: 1 / 30,
      smoothing: 0.99,
      backtracking: true,
      returnSmoothed: true,
    },
  },
  prepare: (o, canvas) => sameSizeProblem(o, canvas),
};
