/**
 * Training batches for the flows: random aligned HR/LR patch pairs with flips and 90° rotations (the
 * official GTLQ dataset's augment: h-flip, v-flip, transpose, each with probability ½). The LR is the
 * whole image's antialiased bicubic downscale (MATLAB imresize-like, src/image/resample.ts), made once
 * per image, so patches see the same LR as a full-image downscale would give them.
 */
import { cropImage, type Image } from '../image/image.js';
import { resampleAntialiased } from '../image/resample.js';
import { InputError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import { splitRgb } from './rgb.js';
import type { BatchSource, FlowBatch } from './train.js';

export interface TrainingImage {
  /** RGB, cropped to a multiple of the scale. */
  hr: Image;
  lr: Image;
  name: string;
}

export function prepareTrainingImage(img: Image, scale: number, name = 'image'): TrainingImage {
  const { rgb } = splitRgb(img);
  const w = rgb.width - (rgb.width % scale);
  const h = rgb.height - (rgb.height % scale);
  if (w < scale || h < scale)
    throw new InputError(`${name} is ${img.width}×${img.height}, smaller than the scale ${scale}: remove it from the training folder`);
  const hr = w === rgb.width && h === rgb.height ? rgb : cropImage(rgb, 0, 0, w, h);
  return { hr, lr: resampleAntialiased(hr, w / scale, h / scale, 'bicubic'), name };
}

export type Augment = 'flips+rotations' | 'hflip' | 'none';

export interface PatchOptions {
  patch: number;
  batch: number;
  scale: number;
  seed: number;
  augment?: Augment;
}

interface Transform {
  hflip: boolean;
  vflip: boolean;
  transpose: boolean;
}

/** Copies a size×size window at (x0, y0) of `img` into planar `out` at `offset`, transformed. */
function copyPatch(img: Image, x0: number, y0: number, size: number, t: Transform, out: Float32Array, offset: number): void {
  const area = size * size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let [a, b] = t.transpose ? [x, y] : [y, x];
      if (t.vflip) a = size - 1 - a;
      if (t.hflip) b = size - 1 - b;
      const src = ((y0 + a) * img.width + (x0 + b)) * 3;
      const dst = offset + y * size + x;
      out[dst] = img.data[src];
      out[dst + area] = img.data[src + 1];
      out[dst + 2 * area] = img.data[src + 2];
    }
  }
}

/** Each step draws its batch from its own stream, so step t's batch needs no earlier step (an exact resume). */
export class PatchSampler implements BatchSource {
  private readonly streamBase: number;
  private readonly images: TrainingImage[];

  constructor(
    images: TrainingImage[],
    private readonly o: PatchOptions,
  ) {
    if (o.patch % o.scale) throw new InputError(`--patch must be a multiple of the scale ${o.scale}, got ${o.patch}`, { code: 'BAD_OPTION' });
    this.images = images.filter((im) => im.hr.width >= o.patch && im.hr.height >= o.patch);
    if (!this.images.length)
      throw new InputError(`--patch ${o.patch}: no training image is that large; use a smaller patch or larger images`, { code: 'BAD_OPTION' });
    this.streamBase = new Rng(o.seed).nextU32();
  }

  private transform(rng: Rng): Transform {
    const aug = this.o.augment ?? 'flips+rotations';
    const coin = () => aug !== 'none' && rng.uniform() < 0.5;
    const hflip = coin();
    const rotations = aug === 'flips+rotations';
    return { hflip, vflip: rotations && coin(), transpose: rotations && coin() };
  }

  batch(step: number): FlowBatch {
    const rng = new Rng((this.streamBase ^ step) >>> 0);
    const { patch, batch, scale } = this.o;
    const lp = patch / scale;
    const hr = new Float32Array(batch * 3 * patch * patch);
    const lr = new Float32Array(batch * 3 * lp * lp);
    for (let k = 0; k < batch; k++) {
      const im = this.images[Math.floor(rng.uniform() * this.images.length)];
      const x = Math.floor(rng.uniform() * (im.lr.width - lp + 1));
      const y = Math.floor(rng.uniform() * (im.lr.height - lp + 1));
      const t = this.transform(rng);
      copyPatch(im.hr, x * scale, y * scale, patch, t, hr, k * 3 * patch * patch);
      copyPatch(im.lr, x, y, lp, t, lr, k * 3 * lp * lp);
    }
    return { hr, lr };
  }
}
