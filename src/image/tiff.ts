/**
 * Writes 16-bit TIFF. sharp can read 16-bit TIFF but only writes 8-bit (its tiff() bitdepth
 * stops at 8), and archivists scanning at 16 bits expect 16 bits back. Baseline, uncompressed,
 * little-endian, one strip; alpha as an unassociated extra sample.
 */
import type { Image } from './image.js';
import { quantize16 } from './quantize.js';

const SHORT = 3;
const LONG = 4;
const RATIONAL = 5;

export function encodeTiff16(img: Image): Uint8Array {
  const { width, height, channels: c } = img;
  const alpha = c === 2 || c === 4;
  const samples = quantize16(img.data);

  type Entry = { tag: number; type: number; values: number[] };
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
    { tag: 282, type: RATIONAL, values: [72, 1] },
    { tag: 283, type: RATIONAL, values: [72, 1] },
    { tag: 284, type: SHORT, values: [1] }, // chunky (interleaved)
    { tag: 296, type: SHORT, values: [2] }, // inches
  ];
  if (alpha) entries.push({ tag: 338, type: SHORT, values: [2] }); // unassociated alpha

  const size = (e: Entry) => (e.type === SHORT ? 2 : 4) * e.values.length;
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

function writeValues(v: DataView, off: number, e: { type: number; values: number[] }) {
  e.values.forEach((x, i) => {
    if (e.type === SHORT) v.setUint16(off + 2 * i, x, true);
    else v.setUint32(off + 4 * i, x, true);
  });
}
