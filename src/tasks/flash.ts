/** Flash / no-flash: the flash photo is the network input, the no-flash photo the target. */
import { InputError } from '../util/errors.js';
import { splitAlpha } from '../image/image.js';
import { sameSizeProblem, skipPreset } from './common.js';
import { toCanvas, type TaskDefinition, type TaskSettings } from './task.js';

const FLASH_NET: TaskSettings['net'] = {
  skip: {
    channelsDown: [128, 128, 128, 128, 128],
    channelsUp: [128, 128, 128, 128, 128],
    channelsSkip: [4, 4, 4, 4, 4],
    upsample: ['nearest', 'nearest', 'bilinear', 'bilinear', 'bilinear'],
    pad: 'reflection',
  },
};
const FAST_NET: TaskSettings['net'] = { skip: { ...FLASH_NET.skip, channelsDown: [48, 48, 48, 48, 48], channelsUp: [48, 48, 48, 48, 48] } };

export const flash: TaskDefinition = {
  name: 'flash',
  about: {
    summary: 'restore a no-flash photo guided by a flash photo of the same scene',
    input: 'the no-flash photo',
    examples: ['deep-prior flash cave_noflash.jpg --guide cave_flash.jpg -o cave.png'],
  },
  options: ['guide'],
  requires: [['guide']],
  stopRule: 'change',
  stopRules: ['change', 'wmv'],
  presets: {
    paper: skipPreset(
      FLASH_NET,
      { lr: 0.1, iterations: 601, regNoise: 0, smoothing: 0, backtracking: false, returnSmoothed: false },
      { input: 'image', inputDepth: 3 },
    ),
    fast: skipPreset(
      FAST_NET,
      { lr: 0.1, iterations: 601, regNoise: 0, smoothing: 0, backtracking: false, returnSmoothed: false },
      { input: 'image', inputDepth: 3 },
    ),
  },
  resolve: (o, naming) => {
    // The flash photo is the network's input at full size; the decoder starts from a small code.
    if (o.arch === 'decoder') {
      throw new InputError(`${naming.name('arch')} decoder cannot take the flash photo as its input: use skip, skip-depth6, unet or resnet`, {
        code: 'BAD_OPTION',
        option: 'arch',
      });
    }
    if (splitAlpha(o.guide!).color.channels !== splitAlpha(o.image).color.channels) {
      throw new InputError(`${naming.name('guide')} must be grey when the photo is grey and colour when it is colour`, { code: 'BAD_OPTION', option: 'guide' });
    }
    return o;
  },
  prepare: (o, canvas) => {
    const p = sameSizeProblem(o, canvas);
    return { ...p, inputImage: toCanvas(splitAlpha(o.guide!).color, p.canvas.width, p.canvas.height) };
  },
};
