/**
 * The photographer's details that travel with an image from its file to the restored output:
 * EXIF (camera, date, exposure, GPS), the ICC profile its pixel values are encoded in, XMP
 * (credits, captions, ratings) and the print density. Checked here, once, so that a damaged part
 * is left out with a warning instead of failing the read or the write. Browser-safe.
 */
import { exifProblem, exifWithUprightOrientation } from './exif.js';

export interface ImageMetadata {
  /** EXIF as a TIFF-structured block ("II*\0…"/"MM\0*…", no "Exif\0\0" prefix); its orientation is 1. */
  exif?: Uint8Array;
  /** The ICC profile the pixel values are encoded in: an RGB profile for colour pixels, GRAY for grey. */
  icc?: Uint8Array;
  /** The XMP packet (UTF-8 XML); a tiff:Orientation in it is 1. */
  xmp?: Uint8Array;
  /** The source's EXIF orientation (1–8), already applied to the pixels. Informational: outputs are always upright. */
  orientation?: number;
  /** Pixels per inch, when the source records it. */
  density?: number;
}

export interface CheckedMetadata {
  metadata: ImageMetadata;
  /** One line per part left out, saying why. */
  warnings: string[];
}

const ICC_SPACES: Record<string, string> = { 'RGB ': 'RGB', GRAY: 'grey', CMYK: 'CMYK', 'Lab ': 'Lab' };

/** Why `icc` cannot describe pixels with this colour model, or null when it can. */
export function iccProblem(icc: Uint8Array, grey: boolean): string | null {
  if (icc.length < 132) return `${icc.length} bytes, shorter than an ICC header`;
  const view = new DataView(icc.buffer, icc.byteOffset, icc.byteLength);
  const ascii = (off: number) => String.fromCharCode(...icc.subarray(off, off + 4));
  if (ascii(36) !== 'acsp') return 'no ICC signature';
  if (view.getUint32(0) !== icc.length) return `the header says ${view.getUint32(0)} bytes, the profile has ${icc.length}`;
  const space = ascii(16);
  if (space !== (grey ? 'GRAY' : 'RGB ')) return `a ${ICC_SPACES[space] ?? JSON.stringify(space)} profile does not describe ${grey ? 'grey' : 'RGB'} pixels`;
  return null;
}

/**
 * Sets an XMP tiff:Orientation (attribute or element form) to 1; other bytes are unchanged. A
 * packet that is not UTF-8 is returned as is.
 */
export function xmpWithUprightOrientation(xmp: Uint8Array): Uint8Array {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(xmp);
  } catch {
    return xmp;
  }
  const upright = text
    .replace(/(tiff:Orientation\s*=\s*["'])\s*[2-8]\s*(["'])/g, '$11$2')
    .replace(/(<tiff:Orientation>)\s*[2-8]\s*(<\/tiff:Orientation>)/g, '$11$2');
  return upright === text ? xmp : new TextEncoder().encode(upright);
}

/**
 * Checks every part for pixels of the given colour model (`grey`: 1–2 channels), marks EXIF and
 * XMP upright, and leaves out what cannot be kept, with a warning that starts with `label`.
 */
export function checkMetadata(meta: ImageMetadata, grey: boolean, label: string): CheckedMetadata {
  const metadata: ImageMetadata = {};
  const warnings: string[] = [];
  const leftOut = (part: string, why: string) => warnings.push(`${label}: the ${part} is left out (${why})`);
  if (meta.exif?.length) {
    const problem = exifProblem(meta.exif);
    if (problem) leftOut('EXIF block', `corrupt: ${problem}`);
    else metadata.exif = exifWithUprightOrientation(meta.exif);
  }
  if (meta.icc?.length) {
    const problem = iccProblem(meta.icc, grey);
    if (problem) leftOut('ICC profile', problem);
    else metadata.icc = meta.icc;
  }
  if (meta.xmp?.length) metadata.xmp = xmpWithUprightOrientation(meta.xmp);
  if (meta.orientation !== undefined) metadata.orientation = meta.orientation;
  if (meta.density !== undefined) {
    if (Number.isFinite(meta.density) && meta.density > 0) metadata.density = meta.density;
    else leftOut('density', `${meta.density} is not a positive number of pixels per inch`);
  }
  return { metadata, warnings };
}

/** True when writing `meta` adds anything to a file. */
export function hasMetadata(meta: ImageMetadata | undefined): meta is ImageMetadata {
  return !!(meta && (meta.exif || meta.icc || meta.xmp || meta.density));
}

/**
 * What is left after stripping personal details (camera, GPS, dates, credits): only the ICC
 * profile, which the pixel values need to show the right colours.
 */
export function strippedMetadata(meta: ImageMetadata): ImageMetadata {
  return meta.icc ? { icc: meta.icc } : {};
}
