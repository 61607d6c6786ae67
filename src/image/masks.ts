/**
 * Masks for inpainting and restoration: 1-channel images of exactly 0 and 1, 1 = known pixel
 * (used by the loss), 0 = to fill — DIP's convention, where white in a mask file means known.
 */
import { InputError } from '../util/errors.js';
import { GREY_WEIGHTS, createImage, sameSize, splitAlpha, toGrey, type Image } from './image.js';

export type Rgb255 = [number, number, number];

export interface MaskOptions {
  /** Swap known and unknown (for masks painted white over the holes). */
  invert?: boolean;
  /** Values ≥ threshold are known (default 0.5). */
  threshold?: number;
}

/**
 * Binarises a mask image. Grey and colour masks use their luma. A mask whose colour is uniform
 * but whose alpha varies (a transparent layer with painted strokes) uses alpha instead, opaque =
 * known; otherwise alpha is ignored.
 */
export function maskFromImage(maskImg: Image, opts: MaskOptions = {}): Image {
  const threshold = opts.threshold ?? 0.5;
  if (!(threshold >= 0 && threshold <= 1)) throw new InputError(`mask threshold must be between 0 and 1, got ${threshold}`, { code: 'BAD_OPTION' });
  const { color, alpha } = splitAlpha(maskImg);
  const value = alpha !== null && isUniform(color) && !isUniform(alpha) ? alpha : toGrey(color);
  const known = opts.invert ? 0 : 1;
  const out = createImage(maskImg.width, maskImg.height, 1);
  for (let i = 0; i < out.data.length; i++) out.data[i] = value.data[i] >= threshold ? known : 1 - known;
  return out;
}

/** Known ↔ unknown (for masks painted white over the holes). */
export function invertMask(mask: Image): Image {
  const out = createImage(mask.width, mask.height, 1);
  for (let i = 0; i < out.data.length; i++) out.data[i] = 1 - mask.data[i];
  return out;
}

function isUniform(img: Image): boolean {
  const c = img.channels;
  for (let i = c; i < img.data.length; i++) if (img.data[i] !== img.data[i % c]) return false;
  return true;
}

/**
 * Marks as unknown (0) every pixel whose colour is within `tolerance` (max absolute channel
 * difference, 0–255 scale) of `color` — for photos where the damage was painted in one colour.
 * Grey images are compared with the colour's grey value. Alpha is ignored.
 */
export function maskFromColor(img: Image, color: Rgb255 | string, tolerance = 0): Image {
  const rgb = resolveColor(color);
  if (!(tolerance >= 0 && tolerance <= 255)) throw new InputError(`colour tolerance must be between 0 and 255, got ${tolerance}`, { code: 'BAD_OPTION' });
  const { color: c } = splitAlpha(img);
  const target = c.channels === 1 ? [greyOf(rgb)] : rgb;
  const nc = c.channels;
  const tol = tolerance + 1e-3; // float decoding of 8-bit values is off by ~1e-5 on the 0–255 scale
  const out = createImage(img.width, img.height, 1);
  for (let i = 0; i < out.data.length; i++) {
    let d = 0;
    for (let k = 0; k < nc; k++) d = Math.max(d, Math.abs(c.data[i * nc + k] * 255 - target[k]));
    out.data[i] = d <= tol ? 0 : 1;
  }
  return out;
}

function greyOf([r, g, b]: Rgb255): number {
  return r === g && g === b ? r : GREY_WEIGHTS[0] * r + GREY_WEIGHTS[1] * g + GREY_WEIGHTS[2] * b;
}

/** A colour given as [r,g,b] (validated) or as a string for parseColor. */
export function resolveColor(c: Rgb255 | string, optionName = '--mask-color'): Rgb255 {
  if (typeof c === 'string') return parseColor(c, optionName);
  if (c.length !== 3 || !c.every((v) => Number.isFinite(v) && v >= 0 && v <= 255)) {
    throw new InputError(`${optionName}: a colour needs three values from 0 to 255, got [${c.join(', ')}]`, { code: 'BAD_OPTION' });
  }
  return c;
}

/** The one-line error for a mask whose size differs from the image's. */
export function checkMaskSize(mask: Image, img: Image, maskPath: string): void {
  if (!sameSize(mask, img)) {
    throw new InputError(`mask is ${mask.width}×${mask.height} but the image is ${img.width}×${img.height}: make ${maskPath} the same size as the image`, {
      code: 'SIZE_MISMATCH',
    });
  }
}

/** Fraction of known pixels (mask value 1). */
export function knownFraction(mask: Image): number {
  if (mask.channels !== 1) throw new InputError('knownFraction: a mask has 1 channel', { code: 'INVALID_IMAGE' });
  let s = 0;
  for (let i = 0; i < mask.data.length; i++) s += mask.data[i];
  return s / mask.data.length;
}

// Pure primaries (green is 0,255,0, not CSS's 0,128,0): what people paint damage with.
const NAMED: Record<string, Rgb255> = {
  white: [255, 255, 255],
  black: [0, 0, 0],
  red: [255, 0, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
  yellow: [255, 255, 0],
  cyan: [0, 255, 255],
  magenta: [255, 0, 255],
};

/** Whether parseColor reads `str`. */
export function isColor(str: string): boolean {
  try {
    parseColor(str);
    return true;
  } catch {
    return false;
  }
}

/** Parses '#rgb', '#rrggbb', 'r,g,b' (0–255) or a colour name; errors name `optionName`. */
export function parseColor(str: string, optionName = '--mask-color'): Rgb255 {
  const s = str.trim().toLowerCase();
  if (s in NAMED) return [...NAMED[s]] as Rgb255;
  let m = /^#([0-9a-f]{3})$/.exec(s);
  if (m) return [...m[1]].map((h) => parseInt(h + h, 16)) as Rgb255;
  m = /^#([0-9a-f]{6})$/.exec(s);
  if (m) return [0, 2, 4].map((i) => parseInt(m![1].slice(i, i + 2), 16)) as Rgb255;
  m = /^(\d{1,3})\s*,\s*(\d{1,3})\s*,\s*(\d{1,3})$/.exec(s);
  if (m) {
    const v = [m[1], m[2], m[3]].map(Number) as Rgb255;
    if (v.every((x) => x <= 255)) return v;
  }
  throw new InputError(`${optionName}: cannot read the colour "${str}"; use #rrggbb, #rgb, r,g,b with values 0–255, or white, black, red, green, blue`, {
    code: 'BAD_OPTION',
  });
}
