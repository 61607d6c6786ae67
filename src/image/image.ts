/**
 * The image value type shared by every part of deep-prior, and the small pure helpers on it.
 * Interleaved HWC float32 in [0,1] is what file codecs and ImageData produce, so conversions at
 * the edges stay cheap; networks want planar CHW, hence toPlanar/fromPlanar.
 * Nothing here touches Node or the DOM: this file runs in the browser too.
 */
import { ImageError } from '../util/errors.js';

/** channels: 1 = grey, 2 = grey + alpha, 3 = RGB, 4 = RGBA. Values in [0,1], row-major HWC. */
export interface Image {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Float32Array;
}

export type Channels = Image['channels'];

export function clamp01(v: number): number {
  return v < 0 ? 0 : Math.min(v, 1); // NaN falls through unchanged on purpose: callers should see it
}

/** Validates and builds an Image; `data` defaults to zeros and is used as is (not copied). */
export function createImage(width: number, height: number, channels: number, data?: Float32Array): Image {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new ImageError(`image size must be positive integers, got ${width}×${height}`);
  }
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new ImageError(`an image has 1 to 4 channels, got ${channels}`);
  }
  const n = width * height * channels;
  if (data === undefined) data = new Float32Array(n);
  else if (!(data instanceof Float32Array) || data.length !== n) {
    throw new ImageError(`a ${width}×${height}×${channels} image needs ${n} values, got ${data?.length ?? 'none'}`);
  }
  return { width, height, channels, data };
}

export function cloneImage(img: Image): Image {
  return { width: img.width, height: img.height, channels: img.channels, data: img.data.slice() };
}

export function hasAlpha(img: Image): boolean {
  return img.channels === 2 || img.channels === 4;
}

/** Number of colour channels (alpha excluded): 1 or 3. */
export function colorChannels(img: Image): 1 | 3 {
  return img.channels <= 2 ? 1 : 3;
}

export function sameSize(a: Image, b: Image): boolean {
  return a.width === b.width && a.height === b.height;
}

/** HWC → CHW, the layout of network tensors. */
export function toPlanar(img: Image): Float32Array {
  const { width: w, height: h, channels: c, data } = img;
  const hw = w * h;
  const out = new Float32Array(hw * c);
  for (let i = 0; i < hw; i++) for (let k = 0; k < c; k++) out[k * hw + i] = data[i * c + k];
  return out;
}

/** CHW → HWC. */
export function fromPlanar(data: Float32Array, width: number, height: number, channels: number): Image {
  const img = createImage(width, height, channels, new Float32Array(width * height * channels));
  if (data.length !== img.data.length) {
    throw new ImageError(`planar data for ${width}×${height}×${channels} needs ${img.data.length} values, got ${data.length}`);
  }
  const hw = width * height;
  const c = img.channels;
  for (let i = 0; i < hw; i++) for (let k = 0; k < c; k++) img.data[i * c + k] = data[k * hw + i];
  return img;
}

export function cropImage(img: Image, x: number, y: number, width: number, height: number): Image {
  const ok = [x, y, width, height].every(Number.isInteger) && x >= 0 && y >= 0 && width >= 1 && height >= 1;
  if (!ok || x + width > img.width || y + height > img.height) {
    throw new ImageError(`crop ${width}×${height} at (${x}, ${y}) does not fit inside the ${img.width}×${img.height} image`);
  }
  const c = img.channels;
  const out = createImage(width, height, c);
  for (let r = 0; r < height; r++) {
    const src = ((y + r) * img.width + x) * c;
    out.data.set(img.data.subarray(src, src + width * c), r * width * c);
  }
  return out;
}

/**
 * DIP's crop_image: the largest centred crop whose sides are multiples of `multiple` (32 for the
 * 5-scale skip net, 64 for the inpainting notebooks). Offsets round down, as int() does there.
 */
export function centerCropTo(img: Image, multiple: number): Image {
  if (!Number.isInteger(multiple) || multiple < 1) throw new ImageError(`crop multiple must be a positive integer, got ${multiple}`);
  const w = img.width - (img.width % multiple);
  const h = img.height - (img.height % multiple);
  if (w === 0 || h === 0) {
    throw new ImageError(`the image is ${img.width}×${img.height}, smaller than ${multiple} px on a side: use an image at least ${multiple}×${multiple}`);
  }
  return cropImage(img, Math.floor((img.width - w) / 2), Math.floor((img.height - h) / 2), w, h);
}

/** Separates the alpha channel so that restorations and metrics act on colour only. */
export function splitAlpha(img: Image): { color: Image; alpha: Image | null } {
  if (!hasAlpha(img)) return { color: img, alpha: null };
  const cc = img.channels - 1;
  const n = img.width * img.height;
  const color = createImage(img.width, img.height, cc);
  const alpha = createImage(img.width, img.height, 1);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < cc; k++) color.data[i * cc + k] = img.data[i * img.channels + k];
    alpha.data[i] = img.data[i * img.channels + cc];
  }
  return { color, alpha };
}

/** Inverse of splitAlpha; `alpha` null returns `color` itself. */
export function joinAlpha(color: Image, alpha: Image | null): Image {
  if (alpha === null) return color;
  if (hasAlpha(color)) throw new ImageError('joinAlpha: the colour image already has an alpha channel');
  if (alpha.channels !== 1) throw new ImageError(`joinAlpha: alpha must have 1 channel, got ${alpha.channels}`);
  if (!sameSize(color, alpha)) {
    throw new ImageError(`joinAlpha: alpha is ${alpha.width}×${alpha.height} but the image is ${color.width}×${color.height}`);
  }
  const cc = color.channels;
  const c = cc + 1;
  const n = color.width * color.height;
  const out = createImage(color.width, color.height, c);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < cc; k++) out.data[i * c + k] = color.data[i * cc + k];
    out.data[i * c + cc] = alpha.data[i];
  }
  return out;
}

// --- Luma: the only place where RGB → one channel weights live. ---

/** Grey weights of the spectral-bias code (and PIL's convert('L')). */
export const GREY_WEIGHTS = [0.2989, 0.587, 0.114] as const;
/** MATLAB rgb2ycbcr Y row for RGB in [0,1]; the result is Y·255 before the +16 offset. */
export const YCBCR_Y_WEIGHTS = [65.481, 128.553, 24.966] as const;

function mapPixels(img: Image, fromRgb: (r: number, g: number, b: number) => number, fromGrey: (v: number) => number): Image {
  const n = img.width * img.height;
  const c = img.channels;
  const out = createImage(img.width, img.height, 1);
  if (c <= 2) for (let i = 0; i < n; i++) out.data[i] = fromGrey(img.data[i * c]);
  else for (let i = 0; i < n; i++) out.data[i] = fromRgb(img.data[i * c], img.data[i * c + 1], img.data[i * c + 2]);
  return out;
}

/** 1-channel grey image, 0.2989 R + 0.5870 G + 0.1140 B (alpha dropped; grey input is copied). */
export function toGrey(img: Image): Image {
  const [wr, wg, wb] = GREY_WEIGHTS;
  return mapPixels(
    img,
    (r, g, b) => wr * r + wg * g + wb * b,
    (v) => v,
  );
}

/**
 * BT.601 luma Y in [16/255, 235/255] as MATLAB rgb2ycbcr computes it (the SR papers' metric):
 * Y = (16 + 65.481 R + 128.553 G + 24.966 B) / 255. Grey images are taken as Y directly (the
 * usual choice for grey benchmark images). Alpha is dropped.
 */
export function toLumaY(img: Image): Image {
  const [wr, wg, wb] = YCBCR_Y_WEIGHTS;
  return mapPixels(
    img,
    (r, g, b) => (16 + wr * r + wg * g + wb * b) / 255,
    (v) => v,
  );
}

/**
 * Reflection padding without repeating the edge pixel (numpy 'reflect', PyTorch ReflectionPad2d),
 * as DIP's restoration notebook pads barbara by 1 px. Pads wider than the image reflect again.
 */
export function padReflect(img: Image, top: number, bottom: number, left: number, right: number): Image {
  for (const p of [top, bottom, left, right]) {
    if (!Number.isInteger(p) || p < 0) throw new ImageError(`padding must be non-negative integers, got ${p}`);
  }
  const { width: w, height: h, channels: c } = img;
  const ow = w + left + right;
  const oh = h + top + bottom;
  const out = createImage(ow, oh, c);
  const xs = Int32Array.from({ length: ow }, (_, x) => reflectIndex(x - left, w));
  for (let y = 0; y < oh; y++) {
    const sy = reflectIndex(y - top, h);
    for (let x = 0; x < ow; x++) {
      const s = (sy * w + xs[x]) * c;
      const d = (y * ow + x) * c;
      for (let k = 0; k < c; k++) out.data[d + k] = img.data[s + k];
    }
  }
  return out;
}

function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let m = i % period;
  if (m < 0) m += period;
  return m < n ? m : period - m;
}
