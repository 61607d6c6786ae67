/**
 * The flows work on RGB. Grey images are run as three equal channels and averaged back; alpha is
 * set aside and resampled on its own (bicubic), so any Image the readers produce can be rescaled.
 */
import { createImage, splitAlpha, type Image } from '../image/image.js';

/** The colour part as RGB (grey replicated) and the alpha channel, if any. */
export function splitRgb(img: Image): { rgb: Image; alpha: Image | null; grey: boolean } {
  const { color, alpha } = splitAlpha(img);
  if (color.channels === 3) return { rgb: color, alpha, grey: false };
  const n = color.width * color.height;
  const rgb = createImage(color.width, color.height, 3);
  for (let i = 0; i < n; i++) rgb.data.fill(color.data[i], 3 * i, 3 * i + 3);
  return { rgb, alpha, grey: true };
}

/** Back to one channel by averaging R, G and B. */
export function rgbToGrey(rgb: Image): Image {
  const n = rgb.width * rgb.height;
  const out = createImage(rgb.width, rgb.height, 1);
  for (let i = 0; i < n; i++) out.data[i] = (rgb.data[3 * i] + rgb.data[3 * i + 1] + rgb.data[3 * i + 2]) / 3;
  return out;
}
