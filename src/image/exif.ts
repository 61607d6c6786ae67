/**
 * Just enough of EXIF's TIFF structure to carry a camera's block safely from input to output:
 * check that its tables hold together (a broken block is dropped rather than handed to libexif,
 * which rewrites it silently), and mark it upright once the reader has applied its orientation.
 * Values are never interpreted. Browser-safe.
 */

const JPEG_PREFIX = [0x45, 0x78, 0x69, 0x66, 0, 0]; // "Exif\0\0", in front of the block in JPEG and WebP
const ORIENTATION = 0x0112;
const SUB_IFDS = new Set([0x8769, 0x8825, 0xa005]); // Exif, GPS and Interoperability IFD pointers
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
const MAX_IFDS = 32; // real blocks have at most ~5 (IFD0, IFD1, Exif, GPS, Interop)

/** The TIFF-structured block itself ("II*\0…" or "MM\0*…"), without JPEG's "Exif\0\0" prefix. */
export function exifTiffBlock(exif: Uint8Array): Uint8Array {
  const prefixed = exif.length >= 6 && JPEG_PREFIX.every((b, i) => exif[i] === b);
  return prefixed ? exif.subarray(6) : exif;
}

interface Tiff {
  view: DataView;
  little: boolean;
}

function openTiff(block: Uint8Array): Tiff | string {
  if (block.length < 8) return `${block.length} bytes, shorter than a TIFF header`;
  const view = new DataView(block.buffer, block.byteOffset, block.byteLength);
  const order = view.getUint16(0);
  if (order !== 0x4949 && order !== 0x4d4d) return 'no II/MM byte-order mark';
  const little = order === 0x4949;
  if (view.getUint16(2, little) !== 42) return 'no TIFF magic number';
  return { view, little };
}

/**
 * Why `exif` (with or without the "Exif\0\0" prefix) is not a usable EXIF block, or null when
 * its IFD tables (IFD0, the thumbnail IFD, the Exif/GPS/Interop IFDs) and the values they point
 * at all lie inside the block.
 */
export function exifProblem(exif: Uint8Array): string | null {
  const tiff = openTiff(exifTiffBlock(exif));
  if (typeof tiff === 'string') return tiff;
  const { view, little } = tiff;
  const pending = [view.getUint32(4, little)];
  const seen = new Set<number>();
  while (pending.length > 0) {
    const at = pending.pop()!;
    if (seen.has(at)) return `IFD at ${at} is reached twice`;
    if (seen.size >= MAX_IFDS) return `more than ${MAX_IFDS} IFDs`;
    seen.add(at);
    if (at < 8 || at + 2 > view.byteLength) return `IFD offset ${at} is outside the block`;
    const count = view.getUint16(at, little);
    const end = at + 2 + count * 12;
    if (end + 4 > view.byteLength) return `IFD at ${at} (${count} entries) runs past the end`;
    for (let p = at + 2; p < end; p += 12) {
      const problem = entryProblem(view, little, p);
      if (problem) return problem;
      if (SUB_IFDS.has(view.getUint16(p, little))) pending.push(view.getUint32(p + 8, little));
    }
    const next = view.getUint32(end, little);
    if (next !== 0) pending.push(next);
  }
  return null;
}

function entryProblem(view: DataView, little: boolean, p: number): string | null {
  const tag = view.getUint16(p, little);
  const size = TYPE_SIZES[view.getUint16(p + 2, little)];
  if (size === undefined) return null; // unknown type: its size is unknown, the value is left alone
  const bytes = size * view.getUint32(p + 4, little);
  if (bytes <= 4) return null; // stored in the entry itself
  const off = view.getUint32(p + 8, little);
  return off + bytes > view.byteLength ? `tag 0x${tag.toString(16)} points past the end` : null;
}

/**
 * A copy of a valid block (see exifProblem) whose IFD0 orientation, if present, is 1: the
 * pixels it travels with are upright. Returned without the "Exif\0\0" prefix.
 */
export function exifWithUprightOrientation(exif: Uint8Array): Uint8Array {
  const block = exifTiffBlock(exif).slice();
  const tiff = openTiff(block);
  if (typeof tiff === 'string') return block;
  const { view, little } = tiff;
  const ifd0 = view.getUint32(4, little);
  const count = view.getUint16(ifd0, little);
  for (let p = ifd0 + 2; p < ifd0 + 2 + count * 12; p += 12) {
    if (view.getUint16(p, little) !== ORIENTATION) continue;
    const type = view.getUint16(p + 2, little);
    if (type === 3) view.setUint16(p + 8, 1, little);
    else if (type === 4) view.setUint32(p + 8, 1, little);
  }
  return block;
}
