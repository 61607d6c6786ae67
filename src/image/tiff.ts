/**
 * Writes 16-bit TIFF. sharp can read 16-bit TIFF but only writes 8-bit (its tiff() bitdepth
 * stops at 8), and archivists scanning at 16 bits expect 16 bits back. Baseline, uncompressed,
 * little-endian, one strip; alpha as an unassociated extra sample. The ICC profile, XMP and
 * density are written as their TIFF tags; EXIF is not (it would need its own IFD, rebased).
 */
import type { Image } from './image.js';
import type { ImageMetadata } from './metadata.js';
import { quantize16 } from './quantize.js';

const BYTE = 1;
const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;
const UNDEFINED = 7;

type Entry = { tag: number; type: number; values: number[] | Uint8Array };

export function encodeTiff16(img: Image, meta: Pick<ImageMetadata, 'icc' | 'xmp' | 'density'> = {}): Uint8Array {
  const { width, height, channels: c } = img;
  const alpha = c === 2 || c === 4;
  const samples = quantize16(img.data);
  const dpi = resolution(meta.density);

  // tags in ascending order, as TIFF requires
  const entries: Entry[] = [
    { tag: 256, type: LONG, values: [width] },
    { tag: 257, type: LONG, values: [height] },
    { tag: 258, type: SHORT, values: new Array(c).fill(16) },
    { tag: 259, type: SHORT, values: [1] }, // no compression
    { tag: 262, type: SHORT, values: [c <= 2 ? 1 : 2] }, // BlackIsZero grey, or RGB
    { tag: 273, type: LONG, values: [0] }, // strip offset, patched below
    { tag: 277, type: SHORT, values: [c] },
    { tag: 278, type: LONG, values: [height] },
    { tag: 279, type: LONG, values: [samples.length * 2] },
    { tag: 282, type: RATIONAL, values: dpi },
    { tag: 283, type: RATIONAL, values: dpi },
    { tag: 284, type: SHORT, values: [1] }, // chunky (interleaved)
    { tag: 296, type: SHORT, values: [2] }, // inches
  ];
  if (alpha) entries.push({ tag: 338, type: SHORT, values: [2] }); // unassociated alpha
  if (meta.xmp) entries.push({ tag: 700, type: BYTE, values: meta.xmp });
  if (meta.icc) entries.push({ tag: 34675, type: UNDEFINED, values: meta.icc });

  const size = (e: Entry) => (e.values instanceof Uint8Array ? 1 : e.type === SHORT ? 2 : 4) * e.values.length;
  const ifdOff = 8;
  let extraOff = ifdOff + 2 + entries.length * 12 + 4;
  const extras = new Map<Entry, number>();
  for (const e of entries) {
    if (size(e) > 4) {
      extras.set(e, extraOff);
      extraOff += size(e) + (size(e) & 1);
    }
  }
  const dataOff = (extraOff + 1) & ~1;
  entries[5].values[0] = dataOff;

  const out = new Uint8Array(dataOff + samples.length * 2);
  const v = new DataView(out.buffer);
  v.setUint8(0, 0x49);
  v.setUint8(1, 0x49); // "II": little-endian
  v.setUint16(2, 42, true);
  v.setUint32(4, ifdOff, true);
  v.setUint16(ifdOff, entries.length, true);
  entries.forEach((e, i) => {
    const p = ifdOff + 2 + i * 12;
    v.setUint16(p, e.tag, true);
    v.setUint16(p + 2, e.type, true);
    v.setUint32(p + 4, e.type === RATIONAL ? e.values.length / 2 : e.values.length, true);
    const at = extras.get(e);
    if (at !== undefined) v.setUint32(p + 8, at, true);
    writeValues(v, at ?? p + 8, e);
  });
  v.setUint32(ifdOff + 2 + entries.length * 12, 0, true); // no next IFD
  for (let i = 0; i < samples.length; i++) v.setUint16(dataOff + 2 * i, samples[i], true);
  return out;
}

/** XResolution/YResolution as a rational, 72 dpi when the density is unknown. */
function resolution(density: number | undefined): number[] {
  if (density === undefined) return [72, 1];
  return Number.isInteger(density) ? [density, 1] : [Math.round(density * 1000), 1000];
}

function writeValues(v: DataView, off: number, e: Entry) {
  if (e.values instanceof Uint8Array) {
    new Uint8Array(v.buffer, v.byteOffset + off, e.values.length).set(e.values);
    return;
  }
  e.values.forEach((x, i) => {
    if (e.type === SHORT) v.setUint16(off + 2 * i, x, true);
    else v.setUint32(off + 4 * i, x, true);
  });
}
