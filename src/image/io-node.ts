/**
 * Reading, writing and resampling images in Node, through sharp (libvips).
 * Channel counts are preserved (grey stays 1 channel, grey+alpha 2, RGB 3, RGBA 4) and 16-bit
 * PNG/TIFF are read and written at 16 bits. Every failure caused by the file is an InputError
 * (exit code 2) whose one-line message names the file and says what to do.
 * Pixels are read upright (EXIF orientation applied) and in the colour encoding of the file: its
 * ICC profile is returned with its EXIF and XMP, for writeImage to attach to the output, so the
 * colours stay exact (no round trip through sRGB, no gamut clipping). A metadata part that is
 * damaged or cannot be kept is left out with a warning; it never costs the image.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { InputError, RunError, oneLine } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomic-write-node.js';
import { createImage, joinAlpha, splitAlpha, type Image } from './image.js';
import { fromSamples, quantize16, quantize8 } from './quantize.js';
import { READABLE_FORMATS, pngIsComplete, sniffFormat } from './sniff.js';
import { decodeBmp, readBmpHeader } from './bmp.js';
import { encodeTiff16 } from './tiff.js';
import { checkMetadata, hasMetadata, type ImageMetadata } from './metadata.js';
import { metadataFromSharp, outputMetadata, pngWithMetadata } from './metadata-node.js';

export interface ImageFile {
  image: Image;
  bitDepth: 8 | 16;
  /** Detected from the content, not the extension: 'png', 'jpeg', 'webp', 'avif', 'tiff' or 'bmp'. */
  format: string;
  /** The source's EXIF (orientation reset to 1), ICC profile, XMP, orientation and density; pass it to writeImage to keep it. */
  metadata: ImageMetadata;
  /** Metadata the source had that is left out of `metadata`, one line each saying why (the image itself is fine). */
  warnings: string[];
}

export interface ReadOptions {
  /** Refuse larger images (width × height); default 50 megapixels (the decoded floats alone take 600 MB; fits of any size below it are tiled to the memory budget). */
  maxPixels?: number;
}

export const DEFAULT_MAX_PIXELS = 50_000_000;

export type OutputFormat = 'png' | 'jpeg' | 'webp' | 'avif' | 'tiff';

/** The formats `quality` applies to; PNG and TIFF are lossless. */
export const LOSSY_FORMATS: readonly OutputFormat[] = ['jpeg', 'webp', 'avif'];
/** The formats written with 16 bits per channel (AVIF, JPEG and WebP are written with 8). */
export const SIXTEEN_BIT_FORMATS: readonly OutputFormat[] = ['png', 'tiff'];

export const DEFAULT_QUALITY = 90;

export interface WriteOptions {
  /** 16 is honoured by PNG and TIFF; JPEG, WebP and AVIF are always 8-bit. Default 8. */
  bitDepth?: 8 | 16;
  /**
   * JPEG/WebP/AVIF quality, an integer 1–100 (default 90). An invalid value is refused whatever
   * the format; PNG and TIFF are lossless and ignore a valid one.
   */
  quality?: number;
  /** JPEG chroma subsampling, default 4:4:4 at quality ≥ 90 (keep restored detail), else 4:2:0; AVIF: default 4:4:4. */
  chromaSubsampling?: '4:2:0' | '4:4:4';
  /**
   * Metadata to attach, usually the source's ImageFile.metadata (none by default). EXIF goes to
   * PNG, JPEG, WebP and AVIF; the ICC profile and XMP to every format; density to PNG, JPEG and
   * TIFF (and EXIF's resolution). The orientation written is always 1: images are upright.
   */
  metadata?: ImageMetadata;
}

export interface EncodedImage {
  data: Buffer;
  /** Metadata left out of the output, one line each saying why (the image is written regardless). */
  warnings: string[];
}

export interface WriteResult {
  warnings: string[];
}

export type ResizeKernel = 'lanczos3' | 'cubic' | 'nearest';

const FORMAT_LIST = 'PNG, JPEG, WebP, AVIF, TIFF or BMP';

export async function readImage(file: string, opts: ReadOptions = {}): Promise<ImageFile> {
  let buf: Buffer;
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new InputError(`${file} is a directory, not an image: give the path of an image file`, { code: 'NOT_A_FILE' });
    if (!st.isFile()) throw new InputError(`${file} is not a regular file: give the path of an image file`, { code: 'NOT_A_FILE' });
    buf = await fs.readFile(file);
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new InputError(`${file}: no such file; check the path`, { code: 'FILE_NOT_FOUND', cause: e });
    if (code === 'EACCES' || code === 'EPERM')
      throw new InputError(`${file}: permission denied; check the file's permissions`, { code: 'FILE_NOT_READABLE', cause: e });
    throw new InputError(`cannot read ${file}: ${oneLine(e)}`, { code: 'FILE_NOT_READABLE', cause: e });
  }
  return decodeImage(buf, file, opts);
}

/** Decodes an encoded image held in memory; `name` is only used in error messages. */
export async function decodeImage(buf: Uint8Array, name: string, opts: ReadOptions = {}): Promise<ImageFile> {
  const maxPixels = opts.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (buf.length === 0) throw new InputError(`${name} is empty (0 bytes): give an image file`, { code: 'NOT_AN_IMAGE' });
  const format = sniffFormat(buf);
  if (format === null) throw new InputError(`${name} is not an image (unrecognised content): use a ${FORMAT_LIST} file`, { code: 'NOT_AN_IMAGE' });
  if (format === 'heif') {
    throw new InputError(`${name} is a HEIC file, which deep-prior cannot decode (its HEVC codec is not bundled): convert it to JPEG, PNG or AVIF`, {
      code: 'UNSUPPORTED_FORMAT',
    });
  }
  if (!READABLE_FORMATS.includes(format)) {
    throw new InputError(`${name} is a ${format.toUpperCase()} file, which deep-prior does not read: convert it to ${FORMAT_LIST}`, {
      code: 'UNSUPPORTED_FORMAT',
    });
  }
  const corrupt = (why: string, cause?: unknown) =>
    new InputError(`${name} is truncated or corrupt (${why}): re-export or re-download it`, { code: 'CORRUPT_IMAGE', cause });

  if (format === 'bmp') {
    try {
      const h = readBmpHeader(buf);
      checkPixels(name, h.width, h.height, maxPixels);
      return { image: decodeBmp(buf), bitDepth: 8, format, metadata: {}, warnings: [] };
    } catch (e) {
      throw e instanceof InputError ? e : corrupt(oneLine(e), e);
    }
  }
  if (format === 'png' && !pngIsComplete(buf)) throw corrupt('the PNG ends before its IEND chunk');

  let meta: sharp.Metadata;
  try {
    meta = await sharp(buf, { failOn: 'warning', limitInputPixels: false }).metadata();
  } catch (e) {
    throw corrupt(oneLine(e), e);
  }
  checkPixels(name, meta.width ?? 0, meta.height ?? 0, maxPixels);
  // 16-bit (and deeper) sources are read at 16 bits; everything else at 8.
  const bitDepth: 8 | 16 = meta.depth === 'uchar' || meta.depth === 'char' ? 8 : 16;
  const grey = (meta.channels ?? 3) <= 2 && meta.space !== 'cmyk';
  const source = checkMetadata(metadataFromSharp(meta), grey, name);
  try {
    // failOn 'warning' is the strictest level: truncated JPEG/WebP/TIFF data is an error, not grey rows.
    // A profile that is kept leaves the values as encoded; one that is not (CMYK, broken) converts them to sRGB.
    const ignoreIcc = source.metadata.icc !== undefined;
    const pipeline = sharp(buf, { failOn: 'warning', autoOrient: true, ignoreIcc, limitInputPixels: Math.max(maxPixels, 1) });
    const image = await toImage(pipeline, bitDepth, grey);
    return { image, bitDepth, format, ...source };
  } catch (e) {
    throw corrupt(oneLine(e), e);
  }
}

function checkPixels(name: string, w: number, h: number, maxPixels: number) {
  if (w < 1 || h < 1) throw new InputError(`${name} has no pixels (${w}×${h}): give a valid image`, { code: 'CORRUPT_IMAGE' });
  if (maxPixels > 0 && w * h > maxPixels) {
    const size = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(1)} megapixels` : `${n} pixels`);
    // The fit itself takes any size (tiled within the memory budget); only decoding has a ceiling.
    throw new InputError(
      `${name} is ${w}×${h} (${size(w * h)}), over the decoding limit of ${size(maxPixels)}: downscale or crop it first (below it, any size is fitted, in tiles where memory requires)`,
      {
        code: 'IMAGE_TOO_LARGE',
      },
    );
  }
}

/**
 * Runs a sharp pipeline to raw float pixels. Decoding always goes through sRGB/RGB16 (sharp's
 * 8-bit 'b-w' output drops the alpha of grey+alpha PNGs); grey sources, where R = G = B, are
 * collapsed back to one channel.
 */
async function toImage(pipeline: sharp.Sharp, bitDepth: 8 | 16, grey: boolean): Promise<Image> {
  const { data, info } = await pipeline
    .toColourspace(bitDepth === 16 ? 'rgb16' : 'srgb')
    .raw(bitDepth === 16 ? { depth: 'ushort' } : {})
    .toBuffer({ resolveWithObject: true });
  let samples: Uint8Array | Uint16Array = data;
  if (bitDepth === 16) {
    const bytes = data.byteOffset % 2 === 0 ? data : Buffer.from(data); // Uint16Array needs an even offset
    samples = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  }
  const src = fromSamples(samples, info.width, info.height, info.channels, bitDepth);
  if (!grey || info.channels < 3) return src;
  const c = info.channels;
  const out = createImage(info.width, info.height, c === 4 ? 2 : 1);
  const oc = out.channels;
  for (let i = 0; i < info.width * info.height; i++) {
    out.data[i * oc] = src.data[i * c];
    if (oc === 2) out.data[i * oc + 1] = src.data[i * c + 3];
  }
  return out;
}

/** The output format implied by a file name; no extension means PNG. */
export function formatFromPath(file: string): OutputFormat {
  const ext = path.extname(file).toLowerCase();
  switch (ext) {
    case '':
    case '.png':
      return 'png';
    case '.jpg':
    case '.jpeg':
      return 'jpeg';
    case '.webp':
      return 'webp';
    case '.avif':
      return 'avif';
    case '.tif':
    case '.tiff':
      return 'tiff';
    case '.heic':
    case '.heif':
      throw new InputError(`cannot write ${file}: HEIC output needs the HEVC codec, which is not bundled; use .avif (the same container, AV1-coded) or .jpg`, {
        code: 'UNSUPPORTED_FORMAT',
      });
    default:
      throw new InputError(`cannot write ${file}: unknown extension "${ext}"; use .png, .jpg, .webp, .avif or .tif`, { code: 'UNSUPPORTED_FORMAT' });
  }
}

/** Writes atomically (temporary file + rename), the format chosen by the extension. */
export async function writeImage(file: string, image: Image, opts: WriteOptions = {}): Promise<WriteResult> {
  const { data, warnings } = await encodeImageFile(image, formatFromPath(file), opts, file);
  await writeFileAtomic(file, data);
  return { warnings };
}

/** encodeImageFile without its warnings, for callers that attach no metadata. */
export async function encodeImage(image: Image, format: OutputFormat, opts: WriteOptions = {}): Promise<Buffer> {
  return (await encodeImageFile(image, format, opts)).data;
}

/**
 * Encodes in `format`, attaching opts.metadata where the format can carry it. Metadata that
 * cannot be attached is left out with a warning (starting with `name`); the image is never lost.
 */
export async function encodeImageFile(
  image: Image,
  format: OutputFormat,
  opts: WriteOptions = {},
  name = `the ${format.toUpperCase()} output`,
): Promise<EncodedImage> {
  createImage(image.width, image.height, image.channels, image.data); // validates the value
  const quality = opts.quality ?? DEFAULT_QUALITY;
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) {
    throw new InputError(`quality must be an integer from 1 to 100, got ${quality}`, { code: 'BAD_OPTION' });
  }
  const bitDepth = opts.bitDepth === 16 && (format === 'png' || format === 'tiff') ? 16 : 8;
  // JPEG has no alpha channel: the colour is kept as is (not flattened), alpha is dropped.
  const src = format === 'jpeg' ? splitAlpha(image).color : image;
  const { metadata, warnings } = outputMetadata(opts.metadata, src.channels <= 2, format, name);
  if (format === 'tiff' && bitDepth === 16) return { data: Buffer.from(encodeTiff16(src, metadata)), warnings };
  const encode = (s: sharp.Sharp) => encodeWith(s, format, quality, opts.chromaSubsampling, metadata.density);
  if (!hasMetadata(metadata)) return { data: await encode(toSharp(src, bitDepth)), warnings };
  try {
    return { data: await encode(await carrierPipeline(src, bitDepth, metadata)), warnings };
  } catch (e) {
    warnings.push(`${name}: the metadata is left out (it could not be attached: ${oneLine(e)})`);
    return { data: await encode(toSharp(src, bitDepth)), warnings };
  }
}

async function encodeWith(s: sharp.Sharp, format: OutputFormat, quality: number, chroma: WriteOptions['chromaSubsampling'], density?: number): Promise<Buffer> {
  try {
    switch (format) {
      case 'png':
        return await s.png({ compressionLevel: 6 }).toBuffer();
      case 'jpeg':
        return await s.jpeg({ quality, chromaSubsampling: chroma ?? (quality >= 90 ? '4:4:4' : '4:2:0') }).toBuffer();
      case 'webp':
        return await s.webp({ quality }).toBuffer();
      case 'avif':
        return await s.avif({ quality, chromaSubsampling: chroma ?? '4:4:4' }).toBuffer();
      case 'tiff': {
        const perMm = density === undefined ? {} : { xres: density / 25.4, yres: density / 25.4, resolutionUnit: 'inch' as const };
        return await s.tiff({ compression: 'lzw', ...perMm }).toBuffer();
      }
    }
  } catch (e) {
    throw new RunError(`cannot encode the image as ${format.toUpperCase()}: ${oneLine(e)}`, { code: 'ENCODE_FAILED', cause: e });
  }
}

/**
 * A pipeline over the pixels that also carries `meta`: sharp attaches EXIF and ICC bytes only
 * from its input, so the pixels go through an uncompressed PNG holding them (metadata-node.ts).
 */
async function carrierPipeline(image: Image, bitDepth: 8 | 16, meta: ImageMetadata): Promise<sharp.Sharp> {
  const png = await toSharp(image, bitDepth).png({ compressionLevel: 0 }).toBuffer();
  let s = sharp(pngWithMetadata(png, meta), { limitInputPixels: false }).toColourspace(colourSpace(image, bitDepth));
  if (meta.exif || meta.density) s = s.keepExif(); // libvips writes the JPEG density with the EXIF
  if (meta.icc) s = s.keepIccProfile();
  if (meta.xmp) s = s.keepXmp();
  return s;
}

function colourSpace(image: Image, bitDepth: 8 | 16): 'b-w' | 'grey16' | 'srgb' | 'rgb16' {
  if (image.channels <= 2) return bitDepth === 16 ? 'grey16' : 'b-w';
  return bitDepth === 16 ? 'rgb16' : 'srgb';
}

/** A sharp pipeline over the raw samples, tagged with the right colour space so grey stays grey. */
function toSharp(image: Image, bitDepth: 8 | 16): sharp.Sharp {
  const samples = bitDepth === 16 ? quantize16(image.data) : quantize8(image.data);
  return sharp(samples, { raw: { width: image.width, height: image.height, channels: image.channels } }).toColourspace(colourSpace(image, bitDepth));
}

/**
 * Encodes as JPEG at `quality` and decodes back: the degradation of `degrade --jpeg` and of the
 * deblocking benchmarks (which re-save with PIL; both use libjpeg's IJG tables and 4:2:0 chroma).
 * Alpha passes through untouched; grey stays grey.
 */
export async function jpegRoundTrip(image: Image, quality: number): Promise<Image> {
  const { color, alpha } = splitAlpha(image);
  const buf = await encodeImage(color, 'jpeg', { quality, chromaSubsampling: '4:2:0' });
  const decoded = await toImage(sharp(buf), 8, color.channels === 1);
  return joinAlpha(decoded, alpha);
}

/**
 * Resamples to exactly width × height with sharp (16-bit internally, so float inputs keep ~1e-5
 * precision; results are clipped to [0,1]). Downscaling is antialiased: 'lanczos3' stands in for
 * PIL's ANTIALIAS, which DIP uses to make SR inputs; 'cubic' (Catmull-Rom) gives bicubic baselines.
 */
export async function resizeImage(image: Image, width: number, height: number, kernel: ResizeKernel = 'lanczos3'): Promise<Image> {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new InputError(`resize target must be positive integers, got ${width}×${height}`, { code: 'BAD_OPTION' });
  }
  const s = toSharp(image, 16).resize(width, height, { kernel, fit: 'fill' });
  return toImage(s, 16, image.channels <= 2);
}
