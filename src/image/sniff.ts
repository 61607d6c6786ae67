/**
 * Recognise image files by their first bytes, before handing them to a decoder: gives a precise
 * "not an image" / "unsupported format" message instead of a codec's generic one, and keeps
 * formats we do not want to parse (SVG can reference external files) away from the decoder.
 */

/** 'heif' is HEIF that is not AVIF: HEIC (HEVC-coded), which sharp's bundled libheif cannot decode. */
export type SniffedFormat = 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff' | 'bmp' | 'gif' | 'heif' | 'svg' | 'pdf';

/** Formats read by deep-prior (BMP through its own small decoder, the rest through sharp). */
export const READABLE_FORMATS: readonly SniffedFormat[] = ['png', 'jpeg', 'webp', 'avif', 'tiff', 'bmp'];

export function sniffFormat(buf: Uint8Array): SniffedFormat | null {
  const b = buf;
  const at = (off: number, s: string) => s.split('').every((ch, i) => b[off + i] === ch.charCodeAt(0));
  if (b.length >= 8 && b[0] === 0x89 && at(1, 'PNG\r\n\x1a\n')) return 'png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.length >= 12 && at(0, 'RIFF') && at(8, 'WEBP')) return 'webp';
  if (b.length >= 4 && (at(0, 'II*\0') || at(0, 'MM\0*'))) return 'tiff';
  if (b.length >= 26 && at(0, 'BM')) return 'bmp';
  if (b.length >= 6 && (at(0, 'GIF87a') || at(0, 'GIF89a'))) return 'gif';
  if (b.length >= 12 && at(4, 'ftyp')) return isAvif(b) ? 'avif' : 'heif'; // AVIF and HEIC share the ISO-BMFF container
  if (b.length >= 5 && at(0, '%PDF-')) return 'pdf';
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 512)).trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg|<svg)/i.test(head)) return 'svg';
  return null;
}

/** An ISO-BMFF file whose ftyp box names the AVIF brand (image or sequence), major or compatible. */
function isAvif(b: Uint8Array): boolean {
  const size = Math.min(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0, b.length);
  const brand = (off: number) => String.fromCharCode(b[off], b[off + 1], b[off + 2], b[off + 3]);
  for (let off = 8; off + 4 <= size; off += off === 8 ? 8 : 4) {
    const name = brand(off); // the major brand, then (after the minor version) the compatible brands
    if (name === 'avif' || name === 'avis') return true;
  }
  return false;
}

/**
 * Walks the PNG chunk list up to IEND. A file cut short anywhere fails this, even where the
 * decoder would return the rows it already has (a PNG missing only IEND decodes "fine").
 */
export function pngIsComplete(buf: Uint8Array): boolean {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let off = 8;
  while (off + 12 <= buf.length) {
    const len = view.getUint32(off);
    const type = String.fromCharCode(buf[off + 4], buf[off + 5], buf[off + 6], buf[off + 7]);
    if (len > 0x7fffffff || off + 12 + len > buf.length) return false;
    if (type === 'IEND') return true;
    off += 12 + len;
  }
  return false;
}
