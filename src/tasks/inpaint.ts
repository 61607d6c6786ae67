/** Inpainting: the data term only sees known pixels (mask 1); the prior fills the holes. */
import { invertMask, maskFromColor } from '../image/masks.js';
import { InputError } from '../util/errors.js';
import { controlledSettings, sameSizeProblem, skipPreset } from './common.js';
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
  about: {
    summary: 'fill holes, scratches, text or watermarks (mask: white = known, black = to fill)',
    input: 'the damaged photo',
    examples: [
      'deep-prior inpaint kate.png --mask kate_mask.png -o kate-restored.png',
      'deep-prior inpaint scratched.png --mask scratches.png --mask-invert -o fixed.png',
      'deep-prior inpaint watermarked.png --mask-color "#ff0000" --mask-tolerance 40 -o clean.png',
    ],
  },
  options: ['mask', 'maskInvert', 'maskColor', 'maskTolerance', 'keepKnown'],
  requires: [['mask', 'maskColor']],
  holesNeedContext: true,
  resolve: (o, naming) => {
    if (o.maskColor === undefined) return o.maskInvert && o.mask ? { ...o, mask: invertMask(o.mask) } : o;
    const tolerance = o.maskTolerance ?? 0;
    const mask = maskFromColor(o.image, o.maskColor, tolerance);
    if (mask.data.every((v) => v === 1)) {
      throw new InputError(
        `${naming.name('maskColor')} ${o.maskColor}: no pixel of ${naming.name('image')} has that colour; check the colour or raise ${naming.name('maskTolerance')} (now ${tolerance})`,
        { code: 'EMPTY_MASK', option: 'maskColor' },
      );
    }
    return { ...o, mask };
  },
  // Only known pixels are fitted, and they carry no noise: the fit converges, so stop once it has.
  stopRule: 'change',
  stopRules: ['change', 'wmv', 'ratio'],
  presets: {
    // inpainting.ipynb, kate (text removal): 6001 iterations, reg-noise 0.03, no smoothing.
    paper: skipPreset(KATE_NET, { lr: 0.01, iterations: 6001, regNoise: 0.03, smoothing: 0, backtracking: false, returnSmoothed: false }),
    // The inpainting script's λ (only known pixels are fitted: no noise to guard against, no smoothing).
    controlled: controlledSettings(1.6, 0),
    fast: skipPreset(FAST_NET, { lr: 0.01, iterations: 2500, regNoise: 0.03, smoothing: 0.9, backtracking: false, returnSmoothed: true }),
  },
  prepare: (o, canvas) => sameSizeProblem(o, canvas, { mask: o.mask, keepKnown: o.keepKnown }),
};
