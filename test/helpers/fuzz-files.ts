/**
 * Fuzzed image files, seeded: valid files of many kinds (PNG 8/16-bit and palette, JPEG with EXIF
 * rotations, WebP, 16-bit TIFF, BMP; grey, grey+alpha, RGB, RGBA; sides 1–40) and mutations of them
 * (bit flips, truncations, wrong headers, huge declared sizes, other colour types and bit depths,
 * empty files, random bytes).
 */
import { crc32 } from 'node:zlib';
import sharp from 'sharp';
import { createImage, type Image } from '../../src/image/image.js';
import { encodeImage } from '../../src/image/io-node.js';
import type { Rng } from '../../src/util/random.js';

export const pickOf = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng.uniform() * xs.length)];
export const intIn = (rng: Rng, lo: number, hi: number) => lo + Math.floor(rng.uniform() * (hi - lo + 1));

export function randomPixels(rng: Rng, w: number, h: number, c: 1 | 2 | 3 | 4): Image {
  const img = createImage(w, h, c);
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.round(rng.uniform() * 255) / 255;
  return img;
}

/** A 24-bit bottom-up BMP (deep-prior reads BMP with its own decoder). */
function encodeBmp(img: Image): Buffer {
  const row = Math.ceil((img.width * 3) / 4) * 4;
  const buf = Buffer.alloc(54 + row * img.height);
  buf.write('BM', 0, 'latin1');
  buf.writeUInt32LE(buf.length, 2);
  buf.writeUInt32LE(54, 10);
  buf.writeUInt32LE(40, 14);
  buf.writeInt32LE(img.width, 18);
  buf.writeInt32LE(img.height, 22);
  buf.writeUInt16LE(1, 26);
  buf.writeUInt16LE(24, 28);
  const c = img.channels;
  for (let y = 0; y < img.height; y++)
    for (let x = 0; x < img.width; x++)
      for (let k = 0; k < 3; k++)
        buf[54 + (img.height - 1 - y) * row + x * 3 + (2 - k)] = Math.round(255 * img.data[(y * img.width + x) * c + (c < 3 ? 0 : k)]);
  return buf;
}

/** A valid encoded image of a random kind; returns its bytes and a description. */
async function baseFile(rng: Rng, intact: boolean): Promise<{ bytes: Buffer; kind: string; width: number; height: number }> {
  const w = intIn(rng, intact ? 8 : 1, 40);
  const h = intact || rng.uniform() < 0.8 ? intIn(rng, 8, 40) : intIn(rng, 1, 7);
  const c = pickOf(rng, [1, 2, 3, 4] as const);
  const img = randomPixels(rng, w, h, c);
  const kind = pickOf(rng, ['png', 'png-16', 'png-palette', 'jpeg', 'jpeg-exif', 'webp', 'tiff-16', 'bmp']);
  const size = `${w}×${h}×${c}`;
  return { ...(await encoded(rng, img, kind, size)), width: w, height: h };
}

async function encoded(rng: Rng, img: Image, kind: string, size: string): Promise<{ bytes: Buffer; kind: string }> {
  if (kind === 'png' || kind === 'png-16') return { bytes: await encodeImage(img, 'png', { bitDepth: kind === 'png' ? 8 : 16 }), kind: `${kind} ${size}` };
  if (kind === 'tiff-16') return { bytes: await encodeImage(img, 'tiff', { bitDepth: 16 }), kind: `${kind} ${size}` };
  if (kind === 'bmp') return { bytes: encodeBmp(img), kind: `bmp ${size}` };
  const png = await encodeImage(img, 'png');
  if (kind === 'png-palette')
    return {
      bytes: await sharp(png)
        .png({ palette: true, colours: intIn(rng, 2, 16) })
        .toBuffer(),
      kind: `png-palette ${size}`,
    };
  if (kind === 'webp') return { bytes: await sharp(png).webp({ quality: 80 }).toBuffer(), kind: `webp ${size}` };
  const orientation = kind === 'jpeg-exif' ? intIn(rng, 1, 8) : 1;
  return { bytes: await sharp(png).jpeg({ quality: 80 }).withMetadata({ orientation }).toBuffer(), kind: `jpeg ${size} orientation ${orientation}` };
}

/** Rewrites a PNG chunk's data (and its CRC) in place. */
function patchPngChunk(buf: Buffer, type: string, patch: (data: Buffer) => void): boolean {
  for (let off = 8; off + 12 <= buf.length; ) {
    const len = buf.readUInt32BE(off);
    if (buf.toString('latin1', off + 4, off + 8) === type && off + 12 + len <= buf.length) {
      patch(buf.subarray(off + 8, off + 8 + len));
      buf.writeUInt32BE(crc32(buf.subarray(off + 4, off + 8 + len)), off + 8 + len);
      return true;
    }
    off += 12 + len;
  }
  return false;
}

const MUTATIONS = ['none', 'none', 'none', 'bitflip', 'truncate', 'header', 'huge', 'channels', 'empty', 'garbage'] as const;

/** A mutated copy of a valid file: what it is and its bytes. */
export interface FuzzFile {
  bytes: Buffer;
  input: string;
  /** The size of the image before mutation. */
  width: number;
  height: number;
}

/** A fuzzed file; `intact`: a valid one, at least 8 pixels a side. */
export async function mutatedFile(rng: Rng, intact = false): Promise<FuzzFile> {
  const base = await baseFile(rng, intact);
  if (intact) return { bytes: base.bytes, input: base.kind, width: base.width, height: base.height };
  return { ...(await mutate(rng, base)), width: base.width, height: base.height };
}

async function mutate(rng: Rng, base: { bytes: Buffer; kind: string }): Promise<{ bytes: Buffer; input: string }> {
  const b = Buffer.from(base.bytes);
  const m = pickOf(rng, MUTATIONS);
  switch (m) {
    case 'none':
      return { bytes: b, input: base.kind };
    case 'bitflip': {
      const n = intIn(rng, 1, 8);
      for (let i = 0; i < n; i++) b[intIn(rng, 0, b.length - 1)] ^= 1 << intIn(rng, 0, 7);
      return { bytes: b, input: `${base.kind}, ${n} bit(s) flipped` };
    }
    case 'truncate': {
      const at = intIn(rng, 1, b.length - 1);
      return { bytes: b.subarray(0, at), input: `${base.kind}, cut at ${at} of ${b.length} bytes` };
    }
    case 'header': {
      const magic = pickOf(rng, ['\x89PNG\r\n\x1a\n', '\xff\xd8\xff\xe0', 'RIFF\0\0\0\0WEBP', 'II*\0', 'BM', 'GIF89a', '%PDF-1.4', '<svg ']);
      Buffer.from(magic, 'latin1').copy(b, 0);
      return { bytes: b, input: `${base.kind} behind a ${JSON.stringify(magic.slice(0, 4))} header` };
    }
    case 'huge':
      return hugeDeclared(rng, b, base.kind);
    case 'channels':
      return oddChannels(rng, b, base.kind);
    case 'empty':
      return { bytes: Buffer.alloc(0), input: 'an empty file' };
    default: {
      const g = Buffer.alloc(intIn(rng, 1, 300));
      for (let i = 0; i < g.length; i++) g[i] = intIn(rng, 0, 255);
      return { bytes: g, input: `${g.length} random bytes` };
    }
  }
}

/** A header that declares a huge image (PNG IHDR with its CRC fixed, BMP, JPEG SOF), the data unchanged. */
function hugeDeclared(rng: Rng, b: Buffer, kind: string): { bytes: Buffer; input: string } {
  const w = pickOf(rng, [65_535, 100_000, 2 ** 31 - 1, 30_000]);
  const h = pickOf(rng, [65_535, 50_000, 1, 2 ** 31 - 1]);
  if (
    kind.startsWith('png') &&
    patchPngChunk(b, 'IHDR', (d) => {
      d.writeUInt32BE(w, 0);
      d.writeUInt32BE(h, 4);
    })
  )
    return { bytes: b, input: `${kind} declaring ${w}×${h}` };
  if (kind.startsWith('bmp')) {
    b.writeInt32LE(w, 18);
    b.writeInt32LE(h, 22);
    return { bytes: b, input: `${kind} declaring ${w}×${h}` };
  }
  for (let i = 2; i + 9 < b.length; i++) {
    if (b[i] === 0xff && (b[i + 1] === 0xc0 || b[i + 1] === 0xc2)) {
      b.writeUInt16BE(Math.min(h, 65_535), i + 5);
      b.writeUInt16BE(Math.min(w, 65_535), i + 7);
      return { bytes: b, input: `${kind} declaring ${Math.min(w, 65_535)}×${Math.min(h, 65_535)} in its SOF` };
    }
  }
  return { bytes: b.subarray(0, Math.max(1, b.length >> 1)), input: `${kind}, cut in half` };
}

/** A PNG whose IHDR claims another colour type or bit depth (CRC fixed), or a BMP with another bit count. */
function oddChannels(rng: Rng, b: Buffer, kind: string): { bytes: Buffer; input: string } {
  const type = pickOf(rng, [0, 1, 2, 3, 4, 5, 6, 7]);
  const depth = pickOf(rng, [1, 2, 3, 8, 16, 32]);
  if (
    kind.startsWith('png') &&
    patchPngChunk(b, 'IHDR', (d) => {
      d[9] = type;
      d[8] = depth;
    })
  )
    return { bytes: b, input: `${kind} relabelled colour type ${type}, ${depth}-bit` };
  if (kind.startsWith('bmp')) {
    b.writeUInt16LE(pickOf(rng, [0, 1, 4, 8, 15, 32, 64]), 28);
    return { bytes: b, input: `${kind} with another bit count` };
  }
  return { bytes: b, input: kind };
}
