import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage, cropImage, type Image } from '../src/image/image.js';
import { decodeImage, readImage, writeImage } from '../src/image/io-node.js';
import { exifProblem, exifTiffBlock, exifWithUprightOrientation } from '../src/image/exif.js';
import { strippedMetadata, xmpWithUprightOrientation, type ImageMetadata } from '../src/image/metadata.js';
import { pngWithMetadata } from '../src/image/metadata-node.js';
import { psnr } from '../src/image/metrics.js';
import { SHARED_DATA } from './helpers/data.js';
import { greyIccProfile } from './helpers/icc.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deep-prior-meta-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});
const tmp = (name: string) => path.join(dir, name);

const xmpPacket = (orientation: number) =>
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  `<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" tiff:Orientation="${orientation}">` +
  '<dc:creator><rdf:Seq><rdf:li>Jane Doe</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>';
const CAMERA_EXIF = { IFD0: { Make: 'Canon', Model: 'EOS 5D' }, IFD2: { DateTimeOriginal: '2020:01:02 03:04:05' } };

/** A 16×8 frame stored sideways (EXIF orientation 6: turn 90° clockwise), reddish left half, in Display P3. */
function cameraPipeline(bitDepth: 8 | 16): sharp.Sharp {
  const w = 16;
  const h = 8;
  const raw = bitDepth === 16 ? new Uint16Array(w * h * 3) : new Uint8Array(w * h * 3);
  const scale = bitDepth === 16 ? 257 : 1;
  for (let i = 0; i < w * h; i++)
    raw.set(
      (i % w < 8 ? [240, 40, 30] : [20, 60, 220]).map((v) => v * scale + (i % 3)),
      i * 3,
    );
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .toColourspace(bitDepth === 16 ? 'rgb16' : 'srgb')
    .withMetadata({ orientation: 6, density: 300 })
    .withIccProfile('p3')
    .withExif(CAMERA_EXIF)
    .withXmp(xmpPacket(6));
}

/** The orientation libvips reads from an EXIF block (carried in a 1×1 PNG): an independent reader. */
async function orientationOf(exif: Uint8Array): Promise<number | undefined> {
  const png = await sharp({ create: { width: 1, height: 1, channels: 3, background: '#000' } })
    .png()
    .toBuffer();
  return (await sharp(pngWithMetadata(png, { exif: exifTiffBlock(exif) })).metadata()).orientation;
}

function expectCameraExif(exif: Buffer | undefined) {
  const text = exif!.toString('latin1');
  for (const field of ['Canon', 'EOS 5D', '2020:01:02 03:04:05']) expect(text).toContain(field);
}

/** Mean RGB of rows y0 … y0+5 of an RGB image. */
function halfMean(img: Image, y0: number): number[] {
  const sum = [0, 0, 0];
  for (let i = y0 * img.width; i < (y0 + 6) * img.width; i++) for (let c = 0; c < 3; c++) sum[c] += img.data[i * 3 + c] / (6 * img.width);
  return sum;
}

function zebraCrop(w: number, h: number): Promise<Image> {
  return readImage(`${SHARED_DATA}/super_resolution/zebra_GT.png`).then((f) => cropImage(f.image, 200, 100, w, h));
}

describe('reading keeps the source metadata, with upright pixels', () => {
  it('returns upright pixels in the file’s own encoding, its ICC bytes, EXIF, XMP, orientation and density', async () => {
    const src = await cameraPipeline(8).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
    const file = await decodeImage(src, 'camera.jpg');
    expect(file.warnings).toEqual([]);
    expect([file.image.width, file.image.height, file.image.channels]).toEqual([8, 16, 3]); // turned upright
    const stored = await sharp(src, { autoOrient: true, ignoreIcc: true }).raw().toBuffer();
    expect(Array.from(file.image.data, (v) => Math.round(v * 255))).toEqual(Array.from(stored));
    const asSrgb = await sharp(src, { autoOrient: true }).raw().toBuffer();
    expect(asSrgb.equals(stored)).toBe(false); // the values were not converted to sRGB
    expect(file.image.data[0]).toBeGreaterThan(0.7); // the reddish half is on top
    expect(file.image.data[15 * 8 * 3 + 2]).toBeGreaterThan(0.6); // the bluish half at the bottom
    const meta = await sharp(src).metadata();
    expect(meta.orientation).toBe(6);
    expect(Buffer.from(file.metadata.icc!).equals(meta.icc!)).toBe(true);
    expect([file.metadata.orientation, file.metadata.density]).toEqual([6, 300]);
    expect(new TextDecoder().decode(file.metadata.xmp)).toBe(xmpPacket(1));
    expectCameraExif(Buffer.from(file.metadata.exif!));
    expect(await orientationOf(meta.exif!)).toBe(6);
    expect(await orientationOf(file.metadata.exif!)).toBe(1);
  });
});

describe('writing attaches the metadata', () => {
  it('JPEG, WebP, AVIF and PNG outputs carry the same ICC bytes, the XMP, the EXIF fields and orientation 1', async () => {
    const src = await cameraPipeline(8).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
    const srcIcc = (await sharp(src).metadata()).icc!;
    const file = await decodeImage(src, 'camera.jpg');
    for (const ext of ['jpg', 'webp', 'avif', 'png']) {
      const out = tmp(`kept.${ext}`);
      expect((await writeImage(out, file.image, { metadata: file.metadata, quality: 95 })).warnings).toEqual([]);
      const m = await sharp(out).metadata();
      expect(Buffer.from(m.icc!).equals(srcIcc), ext).toBe(true);
      expect(m.xmpAsString, ext).toBe(xmpPacket(1));
      expectCameraExif(m.exif);
      expect(await orientationOf(m.exif!), ext).toBe(1);
      if (ext === 'jpg' || ext === 'png') expect(m.density, ext).toBe(300);
      const back = await readImage(out);
      expect([back.image.width, back.image.height], ext).toEqual([8, 16]); // nothing turns it again
      // same encoding, no colour shift: each half's mean colour (away from the edge) is unchanged
      for (const [a, b] of [
        [halfMean(file.image, 0), halfMean(back.image, 0)],
        [halfMean(file.image, 10), halfMean(back.image, 10)],
      ]) {
        for (let c = 0; c < 3; c++) expect(Math.abs(a[c] - b[c]), ext).toBeLessThan(0.015);
      }
      if (ext === 'png') expect(psnr(file.image, back.image)).toBeGreaterThan(99);
    }
  });
  it('16-bit PNG keeps everything; 16-bit and 8-bit TIFF keep ICC, XMP and density and say EXIF is left out', async () => {
    const src = await cameraPipeline(16).png().toBuffer();
    const srcIcc = (await sharp(src).metadata()).icc!;
    const file = await decodeImage(src, 'scan.png');
    expect([file.bitDepth, file.image.width, file.warnings.length]).toEqual([16, 8, 0]);
    const stored = await sharp(src, { autoOrient: true, ignoreIcc: true }).toColourspace('rgb16').raw({ depth: 'ushort' }).toBuffer();
    const stored16 = new Uint16Array(stored.buffer, stored.byteOffset, stored.length / 2);
    expect(Array.from(file.image.data, (v) => Math.round(v * 65535))).toEqual(Array.from(stored16));
    for (const [ext, bitDepth] of [
      ['png', 16],
      ['tif', 16],
      ['tif', 8],
    ] as const) {
      const out = tmp(`scan${bitDepth}.${ext}`);
      const image = bitDepth === 8 ? { ...file.image, data: file.image.data.map((v) => Math.round(v * 255) / 255) } : file.image;
      const { warnings } = await writeImage(out, image, { metadata: file.metadata, bitDepth });
      const back = await readImage(out);
      expect(back.bitDepth).toBe(bitDepth);
      expect(psnr(image, back.image), `${ext} ${bitDepth}`).toBeGreaterThan(bitDepth === 16 ? 120 : 99);
      const m = await sharp(out).metadata();
      expect(Buffer.from(m.icc!).equals(srcIcc), `${ext} ${bitDepth}`).toBe(true);
      expect(m.xmpAsString).toBe(xmpPacket(1));
      expect(m.density).toBe(300);
      if (ext === 'png') {
        expect(warnings).toEqual([]);
        expectCameraExif(m.exif);
      } else {
        expect(warnings).toEqual([`${out}: the EXIF block is left out (TIFF output carries the ICC profile and XMP, not EXIF)`]);
        expect(m.exif).toBeUndefined();
      }
    }
  });
  it('without metadata the output carries none; strippedMetadata keeps only the ICC profile', async () => {
    const src = await cameraPipeline(8).jpeg().toBuffer();
    const file = await decodeImage(src, 'camera.jpg');
    await writeImage(tmp('bare.jpg'), file.image);
    const bare = await sharp(tmp('bare.jpg')).metadata();
    expect([bare.exif, bare.icc, bare.xmp]).toEqual([undefined, undefined, undefined]);
    expect(Object.keys(strippedMetadata(file.metadata))).toEqual(['icc']);
    await writeImage(tmp('stripped.jpg'), file.image, { metadata: strippedMetadata(file.metadata) });
    const stripped = await sharp(tmp('stripped.jpg')).metadata();
    expect(Buffer.from(stripped.icc!).equals(Buffer.from(file.metadata.icc!))).toBe(true);
    expect([stripped.exif, stripped.xmp]).toEqual([undefined, undefined]);
  });
  it('a grey profile travels with grey pixels; a profile that does not fit the pixels is left out', async () => {
    const icc = greyIccProfile();
    const grey = createImage(
      6,
      4,
      1,
      Float32Array.from({ length: 24 }, (_, i) => i / 23),
    );
    expect((await writeImage(tmp('grey.png'), grey, { metadata: { icc } })).warnings).toEqual([]);
    const back = await readImage(tmp('grey.png'));
    expect([back.image.channels, back.warnings]).toEqual([1, []]);
    expect(Buffer.from(back.metadata.icc!).equals(icc)).toBe(true);
    expect(psnr(grey, back.image)).toBeGreaterThan(45); // no conversion through the profile
    const webp = await writeImage(tmp('grey.webp'), grey, { metadata: { icc } });
    expect(webp.warnings).toEqual([`${tmp('grey.webp')}: the ICC profile is left out (WebP stores grey as RGB, which a grey profile does not describe)`]);
    const rgb = await writeImage(tmp('rgb.png'), createImage(4, 4, 3), { metadata: { icc } });
    expect(rgb.warnings).toEqual([`${tmp('rgb.png')}: the ICC profile is left out (a grey profile does not describe RGB pixels)`]);
    expect((await sharp(tmp('rgb.png')).metadata()).icc).toBeUndefined();
  });
  it('a CMYK source is converted to sRGB through its profile, which is left out', async () => {
    const rgb = await zebraCrop(32, 24);
    const cmyk = await sharp(Buffer.from(rgb.data.map((v) => Math.round(v * 255))), { raw: { width: 32, height: 24, channels: 3 } })
      .withIccProfile('cmyk')
      .jpeg({ quality: 100 })
      .toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const file = await decodeImage(cmyk, 'print.jpg');
    expect(file.image.channels).toBe(3);
    expect(file.metadata.icc).toBeUndefined();
    expect(file.warnings).toEqual(['print.jpg: the ICC profile is left out (a CMYK profile does not describe RGB pixels)']);
    expect(psnr(rgb, file.image)).toBeGreaterThan(20); // back near the sRGB original (CMYK's gamut is smaller)
  });
});

describe('a metadata problem never costs the image', () => {
  /** A JPEG with an APP1 "Exif" segment whose IFD0 claims 65535 entries. */
  async function jpegWithBrokenExif(): Promise<Buffer> {
    const jpg = await sharp({ create: { width: 8, height: 6, channels: 3, background: '#3a7' } })
      .jpeg()
      .toBuffer();
    const payload = Buffer.from('Exif\0\0II*\0\x08\0\0\0\xff\xff\0\0\0\0', 'latin1');
    const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, payload.length + 2]), payload]);
    return Buffer.concat([jpg.subarray(0, 2), app1, jpg.subarray(2)]);
  }
  it('a corrupt EXIF block on input is dropped with a warning; the pixels are read', async () => {
    const bad = await jpegWithBrokenExif();
    await fs.writeFile(tmp('bad-exif.jpg'), bad);
    const file = await readImage(tmp('bad-exif.jpg'));
    expect(file.warnings).toEqual([`${tmp('bad-exif.jpg')}: the EXIF block is left out (corrupt: IFD at 8 (65535 entries) runs past the end)`]);
    expect(file.metadata.exif).toBeUndefined();
    const plain = await sharp(bad).raw().toBuffer();
    expect(Array.from(file.image.data, (v) => Math.round(v * 255))).toEqual(Array.from(plain));
    expect((await writeImage(tmp('from-bad.jpg'), file.image, { metadata: file.metadata })).warnings).toEqual([]);
    expect((await readImage(tmp('from-bad.jpg'))).image.width).toBe(8);
  });
  it('corrupt or oversized metadata handed to writeImage is left out with a warning; the image is written', async () => {
    const img = createImage(8, 8, 3, new Float32Array(192).fill(128 / 255));
    const garbage: ImageMetadata = { exif: new TextEncoder().encode('definitely not EXIF'), icc: new Uint8Array(300), density: -5 };
    const { warnings } = await writeImage(tmp('garbage.png'), img, { metadata: garbage });
    expect(warnings).toEqual([
      `${tmp('garbage.png')}: the EXIF block is left out (corrupt: no II/MM byte-order mark)`,
      `${tmp('garbage.png')}: the ICC profile is left out (no ICC signature)`,
      `${tmp('garbage.png')}: the density is left out (-5 is not a positive number of pixels per inch)`,
    ]);
    expect(psnr(img, (await readImage(tmp('garbage.png'))).image)).toBeGreaterThan(99);
    const xmp = new TextEncoder().encode(xmpPacket(1).replace('Jane Doe', 'x'.repeat(70_000)));
    const jpeg = await writeImage(tmp('big-xmp.jpg'), img, { metadata: { xmp } });
    expect(jpeg.warnings).toEqual([`${tmp('big-xmp.jpg')}: the XMP packet is left out (${xmp.length} bytes, over JPEG's limit of 65504)`]);
    expect((await writeImage(tmp('big-xmp.webp'), img, { metadata: { xmp } })).warnings).toEqual([]);
    expect((await sharp(tmp('big-xmp.webp')).metadata()).xmp!.length).toBe(xmp.length);
  });
});

describe('EXIF and XMP helpers', () => {
  /** A big-endian EXIF block: IFD0 with Orientation (SHORT) = 6 and Make = "Nikon" (stored after the IFD). */
  function bigEndianExif(): Uint8Array {
    const b = Buffer.alloc(8 + 2 + 2 * 12 + 4 + 6);
    b.write('MM\0*', 0, 'latin1');
    b.writeUInt32BE(8, 4);
    b.writeUInt16BE(2, 8);
    b.writeUInt16BE(0x010f, 10); // Make, ASCII, 6 bytes at offset 38
    b.writeUInt16BE(2, 12);
    b.writeUInt32BE(6, 14);
    b.writeUInt32BE(38, 18);
    b.writeUInt16BE(0x0112, 22); // Orientation, SHORT, 1 value
    b.writeUInt16BE(3, 24);
    b.writeUInt32BE(1, 26);
    b.writeUInt16BE(6, 30);
    b.write('Nikon\0', 38, 'latin1');
    return new Uint8Array(b);
  }
  it('exifProblem accepts real blocks (with or without the JPEG prefix) and names what is broken', async () => {
    const exif = (await sharp(await cameraPipeline(8).jpeg().toBuffer()).metadata()).exif!;
    expect(exifProblem(exif)).toBeNull();
    expect(exifProblem(exif.subarray(6))).toBeNull();
    expect(exifProblem(bigEndianExif())).toBeNull();
    expect(exifProblem(exif.subarray(0, 30))).toMatch(/runs past the end|points past the end|outside the block/);
    const loop = bigEndianExif();
    new DataView(loop.buffer).setUint32(8 + 2 + 24, 8); // IFD0's next-IFD pointer back to itself
    expect(exifProblem(loop)).toBe('IFD at 8 is reached twice');
    const far = bigEndianExif();
    new DataView(far.buffer).setUint32(18, 1000); // Make's value beyond the block
    expect(exifProblem(far)).toBe('tag 0x10f points past the end');
    expect(exifProblem(new Uint8Array(4))).toBe('4 bytes, shorter than a TIFF header');
  });
  it('exifWithUprightOrientation sets IFD0 orientation to 1 and nothing else', async () => {
    const src = bigEndianExif();
    const upright = exifWithUprightOrientation(src);
    const changed = Array.from(upright.keys()).filter((i) => upright[i] !== src[i]);
    expect(changed).toEqual([31]); // the low byte of the big-endian value 6 → 1
    expect(upright[31]).toBe(1);
    expect(await orientationOf(src)).toBe(6);
    expect(await orientationOf(upright)).toBe(1);
  });
  it('xmpWithUprightOrientation rewrites attribute and element forms only', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const dec = (b: Uint8Array) => new TextDecoder().decode(b);
    expect(dec(xmpWithUprightOrientation(enc(xmpPacket(8))))).toBe(xmpPacket(1));
    expect(dec(xmpWithUprightOrientation(enc('<a><tiff:Orientation>3</tiff:Orientation><b>3</b></a>')))).toBe(
      '<a><tiff:Orientation>1</tiff:Orientation><b>3</b></a>',
    );
    const latin = new Uint8Array([0x3c, 0xff, 0xfe, 0x3e]); // not UTF-8: left as is
    expect(xmpWithUprightOrientation(latin)).toBe(latin);
  });
});
