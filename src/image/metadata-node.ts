/**
 * Metadata between sharp and ImageMetadata: what a file carries, what an output format can take,
 * and the carrier that gets it there. sharp attaches EXIF and ICC bytes only from its input file
 * (withExif takes strings, withIccProfile converts the pixels), so the pixels to write are first
 * wrapped in an uncompressed PNG holding the metadata as chunks (iCCP, eXIf, iTXt XMP, pHYs);
 * sharp reads that back and keeps what it carries in any output format, and libvips keeps the
 * EXIF dimensions and resolution consistent with the pixels.
 */
import zlib from 'node:zlib';
import type sharp from 'sharp';
import { exifTiffBlock } from './exif.js';
import type { OutputFormat } from './io-node.js';
import { checkMetadata, type CheckedMetadata, type ImageMetadata } from './metadata.js';

/** The metadata of a file as sharp reports it, unchecked (see checkMetadata). */
export function metadataFromSharp(meta: sharp.Metadata): ImageMetadata {
  const out: ImageMetadata = {};
  if (meta.exif?.length) out.exif = new Uint8Array(exifTiffBlock(meta.exif));
  if (meta.icc?.length) out.icc = new Uint8Array(meta.icc);
  if (meta.xmp?.length) out.xmp = new Uint8Array(meta.xmp);
  if (meta.orientation !== undefined) out.orientation = meta.orientation;
  if (meta.density !== undefined) out.density = meta.density;
  return out;
}

/**
 * The caller's metadata checked for pixels of this colour model, less what `format` cannot carry;
 * each part left out gets a warning starting with `name`.
 */
export function outputMetadata(meta: ImageMetadata | undefined, grey: boolean, format: OutputFormat, name: string): CheckedMetadata {
  if (!meta) return { metadata: {}, warnings: [] };
  const checked = checkMetadata(meta, grey, name);
  for (const [part, why] of formatLimits(checked.metadata, format, grey)) {
    delete checked.metadata[part];
    checked.warnings.push(`${name}: the ${PART_NAMES[part]} is left out (${why})`);
  }
  return checked;
}

type BinaryPart = 'exif' | 'icc' | 'xmp';
const PART_NAMES: Record<BinaryPart, string> = { exif: 'EXIF block', icc: 'ICC profile', xmp: 'XMP packet' };
// A JPEG APP segment holds 65533 bytes after its length: less the "Exif\0\0" or XMP namespace header.
const JPEG_MAX_EXIF = 65533 - 6;
const JPEG_MAX_XMP = 65533 - 29;

/** The parts `format` cannot carry, each with the reason (libvips would drop them silently). */
function formatLimits(meta: ImageMetadata, format: OutputFormat, grey: boolean): [BinaryPart, string][] {
  const limits: [BinaryPart, string][] = [];
  if (meta.exif && format === 'tiff') limits.push(['exif', 'TIFF output carries the ICC profile and XMP, not EXIF']);
  if (format === 'jpeg') {
    if (meta.exif && meta.exif.length > JPEG_MAX_EXIF) limits.push(['exif', `${meta.exif.length} bytes, over JPEG's limit of ${JPEG_MAX_EXIF}`]);
    if (meta.xmp && meta.xmp.length > JPEG_MAX_XMP) limits.push(['xmp', `${meta.xmp.length} bytes, over JPEG's limit of ${JPEG_MAX_XMP}`]);
  }
  if (meta.icc && grey && (format === 'webp' || format === 'avif')) {
    limits.push(['icc', `${format === 'webp' ? 'WebP' : 'AVIF'} stores grey as RGB, which a grey profile does not describe`]);
  }
  return limits;
}

const XMP_KEYWORD = 'XML:com.adobe.xmp';
const METERS_PER_INCH = 0.0254;

// CRC-32 as PNG uses it (zlib.crc32 needs Node 20.15); only metadata chunks are summed here.
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function metadataChunks(meta: ImageMetadata): Buffer[] {
  const chunks: Buffer[] = [];
  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  if (meta.icc) chunks.push(chunk('iCCP', Buffer.concat([latin1('ICC profile\0\0'), zlib.deflateSync(meta.icc)])));
  if (meta.exif) chunks.push(chunk('eXIf', meta.exif));
  // iTXt: keyword, no compression, empty language tag and translated keyword, UTF-8 text
  if (meta.xmp) chunks.push(chunk('iTXt', Buffer.concat([latin1(`${XMP_KEYWORD}\0\0\0\0\0`), meta.xmp])));
  if (meta.density) {
    const phys = Buffer.alloc(9);
    const perMeter = Math.round(meta.density / METERS_PER_INCH);
    phys.writeUInt32BE(perMeter, 0);
    phys.writeUInt32BE(perMeter, 4);
    phys[8] = 1; // unit: metre
    chunks.push(chunk('pHYs', phys));
  }
  return chunks;
}

/**
 * `png` (as sharp writes it: IHDR first, no palette) with the metadata chunks right after IHDR,
 * replacing any it already had (sharp writes a pHYs of its own).
 */
export function pngWithMetadata(png: Buffer, meta: ImageMetadata): Buffer {
  const added = metadataChunks(meta);
  const replaced = new Set(added.map((c) => c.toString('latin1', 4, 8)));
  const parts: Buffer[] = [png.subarray(0, 8)];
  for (let off = 8; off + 12 <= png.length; ) {
    const end = off + 12 + png.readUInt32BE(off);
    const type = png.toString('latin1', off + 4, off + 8);
    if (!replaced.has(type)) parts.push(png.subarray(off, end));
    if (type === 'IHDR') parts.push(...added);
    off = end;
  }
  return Buffer.concat(parts);
}
