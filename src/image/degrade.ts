/**
 * Seeded degradations that make reproducible test inputs (`degrade` command, benchmarks).
 * Pure: JPEG re-encoding and downscaling need a codec and live in io-node.ts; text overlays in
 * text-node.ts. Alpha is never degraded. All randomness comes from the caller's Rng, drawn in
 * pixel order, so one seed always gives the same damage.
 */
import { InputError } from '../util/errors.js';
import type { Rng } from '../util/random.js';
import { cloneImage, colorChannels, createImage, type Image } from './image.js';

function checkFraction(v: number, what: string) {
  if (!(v >= 0 && v <= 1)) throw new InputError(`${what} must be between 0 and 1, got ${v}`, { code: 'BAD_OPTION' });
}

/**
 * x + N(0, (σ/255)²) per colour value, clipped to [0,1] — DIP's denoising setup
 * (σ = 25 on the 0–255 scale).
 */
export function addGaussianNoise(img: Image, sigma255: number, rng: Rng): Image {
  if (!(sigma255 >= 0) || !Number.isFinite(sigma255)) {
    throw new InputError(`noise sigma must be a non-negative number (0–255 scale), got ${sigma255}`, { code: 'BAD_OPTION' });
  }
  const out = cloneImage(img);
  const std = sigma255 / 255;
  const c = img.channels;
  const cc = colorChannels(img);
  for (let i = 0; i < img.width * img.height; i++) {
    for (let k = 0; k < cc; k++) {
      const v = out.data[i * c + k] + std * rng.normal();
      out.data[i * c + k] = v < 0 ? 0 : Math.min(v, 1);
    }
  }
  return out;
}

/**
 * Impulse noise: each pixel is hit with probability p and then set to black or white with equal
 * chance, the same value in all colour channels (a dead or hot pixel).
 */
export function addSaltPepper(img: Image, p: number, rng: Rng): Image {
  checkFraction(p, 'salt-and-pepper fraction');
  const out = cloneImage(img);
  const c = img.channels;
  const cc = colorChannels(img);
  for (let i = 0; i < img.width * img.height; i++) {
    if (rng.uniform() < p) {
      const v = rng.uniform() < 0.5 ? 0 : 1;
      for (let k = 0; k < cc; k++) out.data[i * c + k] = v;
    }
  }
  return out;
}

/**
 * Random pixel dropping as DIP's get_bernoulli_mask: a pixel is kept when U(0,1) > fraction.
 * One draw per pixel (DIP draws per channel but its colour notebook copies channel 0 to all).
 * Dropped pixels are set to 0; mask is 1 channel, 1 = known, 0 = dropped.
 */
export function dropPixels(img: Image, fraction: number, rng: Rng): { image: Image; mask: Image } {
  checkFraction(fraction, 'drop fraction');
  const out = cloneImage(img);
  const mask = createImage(img.width, img.height, 1);
  const c = img.channels;
  const cc = colorChannels(img);
  for (let i = 0; i < img.width * img.height; i++) {
    if (rng.uniform() > fraction) mask.data[i] = 1;
    else for (let k = 0; k < cc; k++) out.data[i * c + k] = 0;
  }
  return { image: out, mask };
}
