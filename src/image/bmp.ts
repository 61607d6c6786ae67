/**
 * Minimal BMP decoder. sharp's prebuilt libvips cannot read BMP, yet the spectral-bias
 * benchmarks ship BMP files (classic5 deblocking set: 8-bit palette grey; tulips: 24-bit).
 * Supports uncompressed 1/4/8-bit palette, 24-bit and 32-bit (BI_RGB or BI_BITFIELDS) files,
 * bottom-up or top-down. Errors are plain Errors; the caller names the file.
 */
import { createImage, type Image } from './image.js';

export interface BmpHeader {
  width: number;
  height: number;
  bitsPerPixel: number;
  topDown: boolean;
  dataOffset: number;
  dibSize: number;
  compression: number;
}

export function readBmpHeader(buf: Uint8Array): BmpHeader {
  if (buf.length < 26 || buf[0] !== 0x42 || buf[1] !== 0x4d) throw new Error('not a BMP file');
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const dibSize = v.getUint32(14, true);
  if (dibSize < 40 || buf.length < 14 + dibSize) throw new Error(`unsupported BMP header (size ${dibSize})`);
  const width = v.getInt32(18, true);
  const rawHeight = v.getInt32(22, true);
  const bitsPerPixel = v.getUint16(28, true);
  const compression = v.getUint32(30, true);
  if (width < 1 || rawHeight === 0) throw new Error(`invalid BMP size ${width}×${rawHeight}`);
  return {
    width,
    height: Math.abs(rawHeight),
    bitsPerPixel,
    topDown: rawHeight < 0,
    dataOffset: v.getUint32(10, true),
    dibSize,
    compression,
  };
}

interface Layout {
  h: BmpHeader;
  v: DataView;
  rowStart: (y: number) => number;
}

export function decodeBmp(buf: Uint8Array): Image {
  const h = readBmpHeader(buf);
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const stride = Math.ceil((h.width * h.bitsPerPixel) / 32) * 4;
  if (h.dataOffset + stride * h.height > buf.length) throw new Error('BMP pixel data is truncated');
  const layout: Layout = { h, v, rowStart: (y) => h.dataOffset + (h.topDown ? y : h.height - 1 - y) * stride };
  const bpp = h.bitsPerPixel;
  if (bpp === 1 || bpp === 4 || bpp === 8) return decodePalette(buf, layout);
  if (bpp === 24 || bpp === 32) return decodeTrueColour(buf, layout);
  throw new Error(`${bpp}-bit BMP files are not supported`);
}

/** 1-, 4- and 8-bit images: indices into a palette (grey when every entry is). */
function decodePalette(buf: Uint8Array, { h, v, rowStart }: Layout): Image {
  const { width: w, height: ht, bitsPerPixel: bpp } = h;
  if (h.compression !== 0) throw new Error('compressed (RLE) BMP files are not supported');
  const used = v.getUint32(46, true) || 1 << bpp;
  const palOff = 14 + h.dibSize;
  if (palOff + used * 4 > buf.length) throw new Error('BMP palette is truncated');
  const pal = new Float32Array(used * 3);
  let grey = true;
  for (let i = 0; i < used; i++) {
    const [b, g, r] = [buf[palOff + 4 * i], buf[palOff + 4 * i + 1], buf[palOff + 4 * i + 2]];
    pal.set([r / 255, g / 255, b / 255], 3 * i);
    if (r !== g || g !== b) grey = false;
  }
  const c = grey ? 1 : 3;
  const img = createImage(w, ht, c);
  const mask = (1 << bpp) - 1;
  for (let y = 0; y < ht; y++) {
    const row = rowStart(y);
    for (let x = 0; x < w; x++) {
      const bit = x * bpp;
      let idx = (buf[row + (bit >> 3)] >> (8 - bpp - (bit & 7))) & mask;
      if (idx >= used) idx = 0;
      const o = (y * w + x) * c;
      if (grey) img.data[o] = pal[3 * idx];
      else img.data.set(pal.subarray(3 * idx, 3 * idx + 3), o);
    }
  }
  return img;
}

/** 24-bit B,G,R and 32-bit B,G,R,unused or BI_BITFIELDS with explicit masks after the 40-byte header. */
function decodeTrueColour(buf: Uint8Array, { h, v, rowStart }: Layout): Image {
  const { width: w, height: ht, bitsPerPixel: bpp } = h;
  let masks = [0x00ff0000, 0x0000ff00, 0x000000ff, 0];
  if (h.compression === 3 && bpp === 32) {
    masks = [v.getUint32(54, true), v.getUint32(58, true), v.getUint32(62, true), h.dibSize >= 56 ? v.getUint32(66, true) : 0];
  } else if (h.compression !== 0) {
    throw new Error(`BMP compression ${h.compression} is not supported`);
  }
  const c = masks[3] !== 0 ? 4 : 3;
  const img = createImage(w, ht, c);
  // per channel: shift = trailing zeros of the mask, max = the mask shifted down (e.g. 255)
  const fields = masks.map((m) => {
    const shift = m ? 31 - Math.clz32(m & -m) : 0;
    return { shift, max: m ? m >>> shift : 1 };
  });
  for (let y = 0; y < ht; y++) {
    const row = rowStart(y);
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * c;
      if (bpp === 24) {
        const p = row + 3 * x;
        img.data[o] = buf[p + 2] / 255;
        img.data[o + 1] = buf[p + 1] / 255;
        img.data[o + 2] = buf[p] / 255;
        continue;
      }
      const px = v.getUint32(row + 4 * x, true);
      for (let k = 0; k < c; k++) img.data[o + k] = ((px & masks[k]) >>> fields[k].shift) / fields[k].max;
    }
  }
  return img;
}
