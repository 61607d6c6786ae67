/** Test pictures: a smooth scene with edges (gradients, a disc, a bar), as PNG bytes and as the library's Image. */
import sharp from 'sharp';
import { addGaussianNoise, createImage, type Image } from '../../../src/image/index.js';
import { quantize8 } from '../../../src/image/quantize.js';
import { Rng } from '../../../src/util/random.js';

export function scene(w: number, h: number): Image {
  const img = createImage(w, h, 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const disc = (x - 0.6 * w) ** 2 + (y - 0.45 * h) ** 2 < (0.22 * Math.min(w, h)) ** 2;
      const bar = y > 0.7 * h && y < 0.8 * h;
      const i = 3 * (y * w + x);
      img.data[i] = disc ? 0.85 : 0.2 + 0.6 * (x / w);
      img.data[i + 1] = bar ? 0.15 : 0.3 + 0.4 * (y / h);
      img.data[i + 2] = disc ? 0.25 : 0.55;
    }
  }
  return img;
}

export function noisy(img: Image, sigma255: number, seed: number): Image {
  return addGaussianNoise(img, sigma255, new Rng(seed));
}

/** 8-bit RGB PNG of an Image (values quantised as the app and the CLI do). */
export function pngOf(img: Image): Promise<Buffer> {
  return sharp(Buffer.from(quantize8(img.data)), { raw: { width: img.width, height: img.height, channels: img.channels as 3 } })
    .png()
    .toBuffer();
}

/** The RGB bytes of a PNG. */
export async function rgbOf(png: Buffer): Promise<{ width: number; height: number; data: Uint8Array }> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
}
