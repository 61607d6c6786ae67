/** Blind JPEG artefact removal: the denoising data term with the snail notebook's small network. */
import { controlledSettings, sameSizeProblem, skipPreset } from './common.js';
import type { TaskDefinition, TaskSettings } from './task.js';

const JPEG_NET: TaskSettings['net'] = {
  skip: { channelsDown: [8, 16, 32, 64, 128], channelsUp: [8, 16, 32, 64, 128], channelsSkip: [0, 0, 0, 4, 4], upsample: 'bilinear', pad: 'reflection' },
};

export const deblock: TaskDefinition = {
  name: 'deblock',
  about: {
    summary: 'remove JPEG compression artifacts',
    input: 'the blocky JPEG',
    examples: ['deep-prior deblock snail.jpg -o snail.png', 'deep-prior deblock photo.jpg -o photo-deblocked.png --iterations 2400'],
  },
  options: ['coarseIterations'],
  // JPEG error is structured, not the white noise the discrepancy rule's σ measures.
  stopRule: 'change',
  stopRules: ['change', 'wmv', 'ratio'],
  presets: {
    paper: skipPreset(
      JPEG_NET,
      { lr: 0.01, iterations: 2400, regNoise: 1 / 30, smoothing: 0.99, backtracking: true, returnSmoothed: true },
      { input: 'noise', inputDepth: 3 },
    ),
    controlled: controlledSettings(1.4, 0.99),
    fast: skipPreset(
      JPEG_NET,
      { lr: 0.01, iterations: 1500, regNoise: 1 / 30, smoothing: 0.99, backtracking: true, returnSmoothed: true },
      { input: 'noise', inputDepth: 3 },
    ),
  },
  prepare: (o, canvas) => sameSizeProblem(o, canvas),
};
