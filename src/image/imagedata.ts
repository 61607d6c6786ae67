/**
 * Conversions to and from the browser's ImageData (canvas pixels: 8-bit RGBA). Structural types,
 * so this file also loads in Node (tests) without a DOM.
 */
import { createImage, type Image } from './image.js';
import { quantize8 } from './quantize.js';

export interface ImageDataLike {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** RGBA canvas pixels → Image; fully opaque pictures become RGB (3 channels), the rest RGBA. */
export function fromImageData(d: ImageDataLike): Image {
  const n = d.width * d.height;
  let opaque = true;
  for (let i = 0; i < n && opaque; i++) if (d.data[4 * i + 3] !== 255) opaque = false;
  const c = opaque ? 3 : 4;
  const img = createImage(d.width, d.height, c);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) img.data[i * c + k] = d.data[4 * i + k] / 255;
  return img;
}

/** Image → RGBA bytes for `new ImageData(data, width, height)`; grey is replicated, missing alpha is opaque. */
export function toImageData(img: Image): ImageDataLike {
  const n = img.width * img.height;
  const c = img.channels;
  const q = quantize8(img.data);
  const out = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) {
    const grey = c <= 2;
    out[4 * i] = q[i * c];
    out[4 * i + 1] = grey ? q[i * c] : q[i * c + 1];
    out[4 * i + 2] = grey ? q[i * c] : q[i * c + 2];
    out[4 * i + 3] = c === 2 || c === 4 ? q[i * c + c - 1] : 255;
  }
  return { width: img.width, height: img.height, data: out };
}
