/** Denoising (and the base of deblocking): x = f(z) fitted to the noisy image with MSE. */
import { controlledSettings, sameSizeProblem, SKIP_128, SKIP_FAST, skipPreset } from './common.js';
import type { RestoreOptions } from '../options/index.js';
import type { TaskDefinition, TaskSettings } from './task.js';

/**
 * The Deep Random Projector (Li et al., CVPR 2023; sun-umn/Deep-Random-Projector, denoising): a skip
 * net of one level, 64 channels, its conv weights and biases frozen as drawn; trained are the batch-norm
 * scales and shifts, a batch norm over the 3-channel input code and the code itself (N(0, 0.1²)), with
 * Adam at 0.1 and total variation in the loss, no reg-noise. The official loss is √MSE + 0.45·TV(ℓ1,
 * mean); here it is MSE + w·TV(isotropic, mean), w matched at the noise level (the gradient of √MSE is
 * that of MSE over 2√MSE ≈ 2σ).
 */
const DRP: TaskSettings = {
  arch: 'skip',
  net: { skip: { channelsDown: [64], channelsUp: [64], channelsSkip: [4], upsample: 'bilinear', pad: 'reflection', inputNorm: true } },
  input: 'noise',
  inputDepth: 3,
  lr: 0.1,
  iterations: 1500,
  regNoise: 0,
  smoothing: 0.99,
  backtracking: true,
  returnSmoothed: true,
  tv: 0.09,
  trainable: 'projector',
};

/**
 * For photos: the fast preset's hourglass as a pyramid of widest width 64 (8/16/32/64/64: a seventh of
 * its multiply-accumulates), an 8-channel code (the code's full-resolution work is a fifth of a narrow
 * net's step), the boost schedule and a lower ceiling. At 1024×768 a step costs 2.9 CPU seconds against
 * the fast preset's 8.0 (bench/step-cost.ts, docs/PERFORMANCE.md): below that, the cost per pixel does not
 * shrink with the width.
 */
const LITE: TaskSettings = {
  arch: 'skip',
  net: { skip: { ...SKIP_FAST.skip, channelsDown: [64, 64, 64, 64, 64], channelsUp: [64, 64, 64, 64, 64] } },
  widthProfile: 'pyramid',
  lrSchedule: 'boost',
  input: 'noise',
  inputDepth: 8,
  lr: 0.01,
  iterations: 430,
  regNoise: 1 / 30,
  smoothing: 0.99,
  backtracking: true,
  returnSmoothed: true,
};

/**
 * Where the discrepancy rule stopped (docs/RESULTS.md, Automatic stopping): median 774 of the 13 fits of
 * 128² crops, σ = 25, paper and fast presets (382–1074). Measured only for those: images up to 128²,
 * a constant learning rate, every weight trained, no Lipschitz cap (on the controlled decoder it did not
 * fire), no coarse stage. Any other fit is expected to run to its ceiling: on a 256² F16 crop the rule
 * did not fire within the fast preset's 1800 (bench:photos).
 */
function discrepancyStop(s: TaskSettings & { stopRule?: string }, o: RestoreOptions): number {
  const small = o.image.width * o.image.height <= MEASURED_PIXELS;
  const measured = small && (s.stopRule ?? 'discrepancy') === 'discrepancy' && !s.lipschitz && !s.trainable && !s.coarseIterations;
  return measured && (s.lrSchedule ?? 'constant') === 'constant' ? Math.min(s.iterations, 774) : s.iterations;
}

/** The largest image the discrepancy rule's stops were measured on. */
const MEASURED_PIXELS = 128 * 128;

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
  options: ['coarseIterations'],
  bySize: ['fast', 'lite'],
  // Gaussian noise of a blindly estimated σ: the discrepancy principle applies directly.
  stopRule: 'discrepancy',
  stopRules: ['discrepancy', 'wmv', 'ratio'],
  expectedStop: discrepancyStop,
  presets: {
    // denoising.ipynb: F16, σ = 25.
    paper: skipPreset(SKIP_128, { lr: 0.01, iterations: 3000, regNoise: 1 / 30, smoothing: 0.99, backtracking: true, returnSmoothed: true }),
    lite: LITE,
    controlled: controlledSettings(1.4, 0.99),
    drp: DRP,
    fast: skipPreset(SKIP_FAST, { lr: 0.01, iterations: 1800, regNoise: 1 / 30, smoothing: 0.99, backtracking: true, returnSmoothed: true }),
  },
  prepare: (o, canvas) => sameSizeProblem(o, canvas),
};
