/** An estimate as RGBA bytes for a canvas (8-bit, the way it will be downloaded). */
import { toImageData, type Image } from '../../src/index.js';
import type { Preview } from './protocol.js';

export function previewOf(iteration: number, image: Image): Preview {
  const d = toImageData(image);
  return { iteration, width: d.width, height: d.height, rgba: d.data };
}
