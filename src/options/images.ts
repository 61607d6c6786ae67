/** Checks of the image values of a request: well-formed, large enough, and sized as the task needs. */
import type { Image } from '../image/image.js';
import { MIN_SIDE } from './table.js';
import type { Naming } from './naming.js';
import { badOption } from './values.js';
import { show } from './kinds.js';

const dims = (w: number, h: number) => `${w}×${h}`;

/** An Image value handed in by a caller: integer size, 1–4 channels, a Float32Array of finite values. */
export function checkImage(img: unknown, key: string, naming: Naming): asserts img is Image {
  const what = naming.name(key);
  if (img === null || typeof img !== 'object') throw badOption(`${what} is missing: give an image`, key);
  const { width, height, channels, data } = img as Partial<Image>;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width! < 0 || height! < 0) {
    throw badOption(`${what} has an invalid size (${show(width)}×${show(height)}): give a decoded image`, key);
  }
  if (width === 0 || height === 0) throw badOption(`${what} is empty (${width}×${height}): give an image with pixels`, key);
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw badOption(`${what} must have 1 to 4 channels (grey, grey+alpha, RGB, RGBA), got ${show(channels)}`, key);
  }
  if (!(data instanceof Float32Array)) throw badOption(`${what} needs its pixels as a Float32Array`, key);
  const n = width! * height! * channels;
  if (data.length !== n) throw badOption(`${what} is ${dims(width!, height!)}×${channels} and needs ${n} values, got ${data.length}`, key);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(data[i])) throw badOption(`${what} contains a non-finite value (${data[i]}) at index ${i}: pixels must be numbers in [0, 1]`, key);
  }
}

export function checkInputImage(img: unknown, naming: Naming): asserts img is Image {
  checkImage(img, 'image', naming);
  if (img.width < MIN_SIDE || img.height < MIN_SIDE) {
    throw badOption(`${naming.name('image')} is ${dims(img.width, img.height)}, too small: it needs at least ${MIN_SIDE} pixels on each side`, 'image');
  }
}

/** A second image that must have the input's size (mask, guide). */
export function checkSameSize(other: Image, key: string, img: Image, naming: Naming): void {
  if (other.width !== img.width || other.height !== img.height) {
    const n = naming.name(key);
    throw badOption(`${n} is ${dims(other.width, other.height)} but the image is ${dims(img.width, img.height)}: give ${n} of the same size as the image`, key);
  }
}

/** A mask: one channel of values in [0, 1], some pixels known. */
export function checkMask(mask: Image, naming: Naming): void {
  const n = naming.name('mask');
  if (mask.channels !== 1)
    throw badOption(`${n} must have 1 channel (1 = known, 0 = to fill), got ${mask.channels}: binarise it first (maskFromImage)`, 'mask');
  let known = 0;
  for (const v of mask.data) {
    if (v < 0 || v > 1) throw badOption(`${n} values must be between 0 and 1 (1 = known, 0 = to fill), got ${v}`, 'mask');
    known += v;
  }
  if (known === 0) {
    throw badOption(`${n} marks every pixel as missing (all black): white = known; use ${naming.name('maskInvert')} if the holes are painted white`, 'mask');
  }
}

const colorKind = (img: Image) => (img.channels <= 2 ? 'grey' : 'colour');

/** The reference: the output's size (`scale` × the input), the input's kind, a border that leaves pixels. */
export function checkReference(r: Image, img: Image, scale: number, border: number | undefined, naming: Naming): void {
  const w = img.width * scale;
  const h = img.height * scale;
  const n = naming.name('reference');
  const of = scale === 1 ? '' : ` (${scale}× the ${dims(img.width, img.height)} input)`;
  if (r.width !== w || r.height !== h)
    throw badOption(`${n} is ${dims(r.width, r.height)} but the output will be ${dims(w, h)}${of}: give a reference of the output's size`, 'reference');
  if (colorKind(r) !== colorKind(img))
    throw badOption(`${n} is a ${colorKind(r)} image but the input is ${colorKind(img)}: give a reference of the same kind`, 'reference');
  if (border !== undefined && 2 * border >= Math.min(w, h)) {
    throw badOption(`${naming.name('referenceBorder')} ${border} leaves nothing of a ${dims(w, h)} output: use a smaller border`, 'referenceBorder');
  }
}
