/**
 * Float [0,1] ↔ integer sample conversions used by every codec (sharp, canvas ImageData, TIFF).
 * Rounding to nearest (not truncation) keeps a decode → encode round trip exact.
 */
import { createImage, type Image } from './image.js';

export function quantize8(data: Float32Array): Uint8Array {
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v > 0 ? (v < 1 ? Math.round(v * 255) : 255) : 0; // NaN → 0
  }
  return out;
}

export function quantize16(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    out[i] = v > 0 ? (v < 1 ? Math.round(v * 65535) : 65535) : 0;
  }
  return out;
}

export function fromSamples(samples: ArrayLike<number>, width: number, height: number, channels: number, bitDepth: 8 | 16): Image {
  const scale = 1 / (bitDepth === 16 ? 65535 : 255);
  const data = new Float32Array(samples.length);
  for (let i = 0; i < data.length; i++) data[i] = samples[i] * scale;
  return createImage(width, height, channels, data);
}
