/**
 * Detail enhancement (Shi et al., methods.md §3.7): a short fit of the Lipschitz-controlled decoder
 * (λ = 1, 100 iterations, LR 0.001) gives a smooth version s of the image; the detail x − s, kept
 * where positive as in the official code, is added back: clip(x + clip(x − s, 0, 1), 0, 1).
 */
import { fromPlanar, joinAlpha, splitAlpha, toPlanar } from '../image/image.js';
import { sameSizeProblem } from './common.js';
import type { TaskDefinition, TaskSettings } from './task.js';

const SETTINGS: TaskSettings = {
  arch: 'decoder',
  net: {},
  input: 'fourier',
  inputDepth: 32,
  lr: 0.001,
  iterations: 100,
  regNoise: 0,
  smoothing: 0,
  backtracking: false,
  returnSmoothed: false,
  lipschitz: 1,
};

export const enhance: TaskDefinition = {
  name: 'enhance',
  about: {
    summary: 'enhance details (sharpen without halos)',
    input: 'the photo to enhance',
    examples: ['deep-prior enhance tulips.png -o tulips-enhanced.png', 'deep-prior enhance portrait.jpg -o sharper.png --iterations 100'],
  },
  options: [],
  stopRule: 'change',
  stopRules: ['change'],
  presets: { paper: SETTINGS, fast: SETTINGS },
  prepare: (o, canvas) => {
    const base = sameSizeProblem(o, canvas);
    const { color } = splitAlpha(o.image);
    const original = toPlanar(color);
    return {
      ...base,
      finish: (planar) => {
        const smooth = base.finish(planar);
        const { color: s, alpha } = splitAlpha(smooth);
        const sp = toPlanar(s);
        const out = new Float32Array(sp.length);
        for (let i = 0; i < out.length; i++) {
          const detail = Math.min(1, Math.max(0, original[i] - sp[i]));
          out[i] = Math.min(1, detail + original[i]);
        }
        return joinAlpha(fromPlanar(out, s.width, s.height, s.channels), alpha);
      },
    };
  },
};
