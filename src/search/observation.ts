/**
 * What the screening metrics compare: the corrupted image as the task observes it (holes zeroed for
 * inpainting, as the official code's corrupted image has them; the low-resolution image for
 * super-resolution) and, for each candidate, the untrained network's output on a canvas the network
 * accepts, brought to the observation's size (Lanczos-2 downsampled for super-resolution, then
 * cropped to the image).
 */
import { splitAlpha, toPlanar, type Image } from '../image/image.js';
import { CROSS_SKIP_MIN_SIZE, CROSS_SKIP_MULTIPLE } from '../nets/cross-skip.js';
import { canvasSide } from '../tasks/task.js';
import { InputError } from '../util/errors.js';
import type { Planar } from './spectra.js';

export interface ObservationRequest {
  image: Image;
  /** Known pixels (white); the metric sees the image with the others set to 0. */
  mask?: Image;
  /** Super-resolution factor: the network draws image × scale and is compared after downsampling. */
  scale?: number;
}

export interface Observation {
  /** The image the metrics compare outputs with (colour channels only). */
  target: Planar;
  channels: 1 | 3;
  /** Network output size. */
  canvas: { width: number; height: number };
  scale: number;
  /** The network's (downsampled) planar output → the region compared with the target. */
  crop: (output: Float32Array) => Planar;
}

export function observe(request: ObservationRequest): Observation {
  const { color } = splitAlpha(request.image);
  const scale = request.scale ?? 1;
  if (scale !== 1 && scale !== 2 && scale !== 4 && scale !== 8)
    throw new InputError(`--scale must be 2, 4 or 8 for screening, got ${scale}`, { code: 'BAD_OPTION' });
  const channels = color.channels as 1 | 3;
  const data = toPlanar(color);
  if (request.mask) zeroHoles(data, request.mask, color);
  const rule = { multiple: CROSS_SKIP_MULTIPLE, minSize: CROSS_SKIP_MIN_SIZE };
  const canvas = { width: canvasSide(color.width * scale, rule), height: canvasSide(color.height * scale, rule) };
  const { width: w, height: h } = color;
  const stride = canvas.width / scale;
  const rows = canvas.height / scale;
  const crop = (output: Float32Array): Planar => {
    const out = new Float32Array(channels * w * h);
    for (let c = 0; c < channels; c++) {
      for (let y = 0; y < h; y++) out.set(output.subarray((c * rows + y) * stride, (c * rows + y) * stride + w), (c * h + y) * w);
    }
    return { data: out, channels, width: w, height: h };
  };
  return { target: { data, channels, width: w, height: h }, channels, canvas, scale, crop };
}

function zeroHoles(planar: Float32Array, mask: Image, color: Image): void {
  if (mask.width !== color.width || mask.height !== color.height) {
    throw new InputError(`--mask is ${mask.width}×${mask.height} but the image is ${color.width}×${color.height}: give a mask of the image's size`, {
      code: 'SIZE_MISMATCH',
    });
  }
  const plane = color.width * color.height;
  for (let i = 0; i < plane; i++) {
    if (mask.data[i * mask.channels] >= 0.5) continue;
    for (let c = 0; c < color.channels; c++) planar[c * plane + i] = 0;
  }
}
