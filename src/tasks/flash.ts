/** Flash / no-flash: the flash photo is the network input, the no-flash photo the target. */
import { InputError } from '../util/errors.js';
import { splitAlpha } from '../image/image.js';
import { sameSizeProblem } from './common.js';
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
  autoStop: false,
  presets: {
    paper: {
      arch: 'skip',
      net: FLASH_NET,
      input: 'image',
      inputDepth: 3,
      lr: 0.1,
      iterations: 601,
      regNoise: 0,
      smoothing: 0,
      backtracking: false,
      returnSmoothed: false,
    },
    fast: {
      arch: 'skip',
      net: FAST_NET,
      input: 'image',
      inputDepth: 3,
      lr: 0.1,
      iterations: 601,
      regNoise: 0,
      smoothing: 0,
      backtracking: false,
      returnSmoothed: false,
    },
  },
  prepare: (o, canvas) => {
    if (!o.guide) throw new InputError('flash needs the flash photo (--guide FILE)');
    const p = sameSizeProblem(o, canvas);
    const { color } = splitAlpha(o.guide);
    if (color.channels !== p.channels) throw new InputError('--guide must have the same colour channels as the input');
    return { ...p, inputImage: toCanvas(color, p.canvas.width, p.canvas.height) };
  },
};
