/** Small synthetic images for tests. */
import { createImage, type Image } from '../../src/image/image.js';

/** A w×h image whose every pixel is `values` (its length sets the channel count). */
export function constant(w: number, h: number, values: number[]): Image {
  const c = values.length as 1 | 2 | 3 | 4;
  const img = createImage(w, h, c);
  for (let i = 0; i < w * h; i++) img.data.set(values, i * c);
  return img;
}
