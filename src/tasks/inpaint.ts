/** Inpainting: the data term only sees known pixels (mask 1); the prior fills the holes. */
import { invertMask, maskFromColor } from '../image/masks.js';
import type { Image } from '../image/image.js';
import type { Naming } from '../options/naming.js';
import type { RestoreOptions } from '../options/index.js';
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
    if (o.maskColor === undefined) {
      const mask = o.maskInvert && o.mask ? invertMask(o.mask) : o.mask;
      if (mask) refuseNothingToFill(mask, o.maskInvert === true, naming);
      return mask === o.mask ? o : { ...o, mask };
    }
    return { ...o, mask: colourMask(o.image, o.maskColor, o.maskTolerance ?? 0, naming) };
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

/** A mask file with no pixel to fill gives a fit with nothing to do: refused at the edge (a tile's crop may be all known). */
function refuseNothingToFill(mask: Image, inverted: boolean, naming: Naming): void {
  if (!mask.data.every((v) => v === 1)) return;
  const fix = inverted ? `drop ${naming.name('maskInvert')}` : `use ${naming.name('maskInvert')} if the holes are painted black`;
  throw new InputError(`${naming.name('mask')} marks no pixel to fill (all white${inverted ? ' after inversion' : ''}): black = to fill; ${fix}`, {
    code: 'EMPTY_MASK',
    option: 'mask',
  });
}

/** The mask of the pixels painted in one colour; refused when it marks none, or every one. */
function colourMask(image: Image, color: NonNullable<RestoreOptions['maskColor']>, tolerance: number, naming: Naming): Image {
  const mask = maskFromColor(image, color, tolerance);
  const given = `${naming.name('maskColor')} ${String(color)}`;
  if (mask.data.every((v) => v === 1)) {
    throw new InputError(
      `${given}: no pixel of ${naming.name('image')} has that colour; check the colour or raise ${naming.name('maskTolerance')} (now ${tolerance})`,
      { code: 'EMPTY_MASK', option: 'maskColor' },
    );
  }
  if (mask.data.every((v) => v === 0)) {
    throw new InputError(
      `${given}: every pixel of ${naming.name('image')} has that colour, so nothing is known; lower ${naming.name('maskTolerance')} (now ${tolerance})`,
      {
        code: 'EMPTY_MASK',
        option: 'maskColor',
      },
    );
  }
  return mask;
}
