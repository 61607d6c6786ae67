/** A smaller copy of the picture (antialiased, clipped to 0..1) and of its mask (resampled, then known where ≥ ½). */
import { resampleAntialiased, type Image } from '../../src/index.js';

export function downscaled(image: Image, mask: Image | undefined, width: number, height: number): { image: Image; mask?: Image } {
  const small = resampleAntialiased(image, width, height);
  // Lanczos overshoots at edges; pixel values stay in range.
  for (let i = 0; i < small.data.length; i++) small.data[i] = Math.min(1, Math.max(0, small.data[i]));
  if (!mask) return { image: small };
  const m = resampleAntialiased(mask, width, height, 'box');
  for (let i = 0; i < m.data.length; i++) m.data[i] = m.data[i] >= 0.5 ? 1 : 0;
  return { image: small, mask: m };
}
