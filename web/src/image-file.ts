/**
 * Pictures in and out of the page: a file (PNG, JPEG, WebP, AVIF: whatever the browser decodes) →
 * ImageData → the library's Image; an Image → a PNG file to download. Decoding keeps the file's
 * pixel values (no colour-space conversion, alpha not premultiplied).
 */
import { fromImageData, type Image } from '../../src/index.js';

/** Browsers refuse canvases beyond about 16k per side or 268 M pixels. */
const MAX_CANVAS_PIXELS = 268_435_456;

export interface Picture {
  name: string;
  image: Image;
  pixels: ImageData;
}

export async function decodePicture(file: Blob, name: string): Promise<Picture> {
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { colorSpaceConversion: 'none', premultiplyAlpha: 'none', imageOrientation: 'from-image' });
  } catch {
    throw new Error(`${name}: this browser cannot decode it; use a PNG, JPEG, WebP or AVIF picture`);
  }
  if (bitmap.width * bitmap.height > MAX_CANVAS_PIXELS)
    throw new Error(`${name} has ${bitmap.width}×${bitmap.height} pixels, more than a browser canvas holds`);
  const pixels = bitmapPixels(bitmap);
  bitmap.close();
  return { name, image: fromImageData(pixels), pixels };
}

function bitmapPixels(bitmap: ImageBitmap): ImageData {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

export function imageDataOf(rgba: Uint8ClampedArray, width: number, height: number): ImageData {
  return new ImageData(new Uint8ClampedArray(rgba), width, height);
}

export async function pngOf(pixels: ImageData): Promise<Blob> {
  const canvas = new OffscreenCanvas(pixels.width, pixels.height);
  canvas.getContext('2d')!.putImageData(pixels, 0, 0);
  return canvas.convertToBlob({ type: 'image/png' });
}

/** "photo.jpg" → "photo-restored.png". */
export function resultName(source: string, task: string): string {
  const stem = source.replace(/\.[^.]*$/, '') || 'picture';
  return `${stem}-${task}.png`;
}
