import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createImage, cropImage, splitAlpha, type Image } from '../src/image/image.js';
import { LOSSY_FORMATS, decodeImage, encodeImage, formatFromPath, jpegRoundTrip, readImage, resizeImage, writeImage } from '../src/image/io-node.js';
import { psnr } from '../src/image/metrics.js';
import { resampleAntialiased } from '../src/image/resample.js';
import { decodeBmp } from '../src/image/bmp.js';
import { encodeTiff16 } from '../src/image/tiff.js';
import { pngIsComplete, sniffFormat } from '../src/image/sniff.js';
import { writeFileAtomic } from '../src/util/atomic-write-node.js';
import { InputError } from '../src/util/errors.js';
import { Rng } from '../src/util/random.js';
import { SHARED_DATA } from './helpers/data.js';

const DATA = SHARED_DATA;
let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deep-prior-io-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});
const tmp = (name: string) => path.join(dir, name);

/** Random values on the 16-bit grid, so a 16-bit round trip must be exact. */
function random16(w: number, h: number, c: 1 | 2 | 3 | 4, seed: number): Image {
  const rng = new Rng(seed);
  const img = createImage(w, h, c);
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.floor(rng.uniform() * 65536) / 65535;
  return img;
}
function random8(w: number, h: number, c: 1 | 2 | 3 | 4, seed: number): Image {
  const img = random16(w, h, c, seed);
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.round(img.data[i] * 255) / 255;
  return img;
}
function maxDiff(a: Image, b: Image): number {
  expect([b.width, b.height, b.channels]).toEqual([a.width, a.height, a.channels]);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i] - b.data[i]));
  return m;
}
async function expectInputError(p: Promise<unknown>, code: string, text: RegExp) {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(InputError);
  expect((e as InputError).code).toBe(code);
  expect((e as InputError).exitCode).toBe(2);
  expect((e as Error).message).toMatch(text);
  expect((e as Error).message).not.toContain('\n');
}

describe('reading real files', () => {
  it('reads an RGB PNG, a grey PNG and a JPEG with their channel counts', async () => {
    const zebra = await readImage(`${DATA}/super_resolution/zebra_GT.png`);
    expect([zebra.image.width, zebra.image.height, zebra.image.channels, zebra.bitDepth, zebra.format]).toEqual([584, 388, 3, 8, 'png']);
    const barbara = await readImage(`${DATA}/restoration/barbara.png`);
    expect([barbara.image.channels, barbara.format]).toEqual([1, 'png']);
    const snail = await readImage(`${DATA}/jpeg_artifacts/snail.jpg`);
    expect([snail.image.width, snail.image.height, snail.image.channels, snail.format]).toEqual([400, 261, 3, 'jpeg']);
    for (const v of zebra.image.data.subarray(0, 3000)) expect(Math.abs(v * 255 - Math.round(v * 255))).toBeLessThan(1e-4);
  });
  it('reads BMP (8-bit palette grey and 24-bit) with its own decoder', async () => {
    const b = await readImage(`${DATA}/spectral_bias/deblocking_classic5/barbara.bmp`);
    expect([b.image.width, b.image.height, b.image.channels, b.format]).toEqual([512, 512, 1, 'bmp']);
    const t = await readImage(`${DATA}/spectral_bias/enhancement/tulips.bmp`);
    expect([t.image.width, t.image.height, t.image.channels]).toEqual([800, 1200, 3]);
  });
});

describe('round trips', () => {
  it('8-bit RGB, grey and grey+alpha PNG are exact and keep channel counts', async () => {
    for (const c of [1, 2, 3, 4] as const) {
      const img = random8(9, 7, c, c);
      await writeImage(tmp(`rt8-${c}.png`), img);
      const back = await readImage(tmp(`rt8-${c}.png`));
      expect(back.bitDepth).toBe(8);
      expect(maxDiff(img, back.image)).toBeLessThan(1e-6);
    }
  });
  it('16-bit PNG keeps 16-bit precision for every channel count', async () => {
    for (const c of [1, 2, 3, 4] as const) {
      const img = random16(9, 7, c, 10 + c);
      img.data[0] = 1000 / 65535; // not representable in 8 bits
      await writeImage(tmp(`rt16-${c}.png`), img, { bitDepth: 16 });
      const back = await readImage(tmp(`rt16-${c}.png`));
      expect(back.bitDepth).toBe(16);
      expect(maxDiff(img, back.image)).toBeLessThan(1e-7);
    }
  });
  it('16-bit TIFF (own encoder) and 8-bit TIFF (sharp) read back exactly', async () => {
    for (const c of [1, 3, 4] as const) {
      const img = random16(5, 6, c, 20 + c);
      await writeImage(tmp(`rt16-${c}.tif`), img, { bitDepth: 16 });
      const back = await readImage(tmp(`rt16-${c}.tif`));
      expect([back.bitDepth, back.format]).toEqual([16, 'tiff']);
      expect(maxDiff(img, back.image)).toBeLessThan(1e-7);
      const img8 = random8(5, 6, c, 30 + c);
      await writeImage(tmp(`rt8-${c}.tiff`), img8);
      const back8 = await readImage(tmp(`rt8-${c}.tiff`));
      expect(back8.bitDepth).toBe(8);
      expect(maxDiff(img8, back8.image)).toBeLessThan(1e-6);
    }
    expect(sniffFormat(encodeTiff16(random16(2, 2, 2, 1)))).toBe('tiff');
  });
  it('JPEG: grey stays grey, alpha is dropped, quality matters', async () => {
    const zebra = cropImage((await readImage(`${DATA}/super_resolution/zebra_GT.png`)).image, 100, 100, 64, 48);
    await writeImage(tmp('z.jpg'), zebra, { quality: 95 });
    const hi = (await readImage(tmp('z.jpg'))).image;
    await writeImage(tmp('z10.jpeg'), zebra, { quality: 10 });
    const lo = (await readImage(tmp('z10.jpeg'))).image;
    expect(psnr(zebra, hi)).toBeGreaterThan(psnr(zebra, lo) + 5);
    const grey = createImage(16, 16, 1, new Float32Array(256).fill(0.5));
    await writeImage(tmp('g.jpg'), grey);
    expect((await readImage(tmp('g.jpg'))).image.channels).toBe(1);
    const rgba = createImage(16, 16, 4, new Float32Array(1024).fill(0.5));
    await writeImage(tmp('rgba.jpg'), rgba);
    expect((await readImage(tmp('rgba.jpg'))).image.channels).toBe(3);
  });
  it('WebP keeps alpha', async () => {
    const img = random8(16, 16, 4, 3);
    for (let i = 0; i < 256; i++) img.data[i * 4 + 3] = i < 128 ? 1 : 0.5;
    await writeImage(tmp('a.webp'), img, { quality: 100 });
    const back = await readImage(tmp('a.webp'));
    expect([back.format, back.image.channels]).toEqual(['webp', 4]);
    expect(back.image.data[3]).toBeCloseTo(1, 2);
    expect(back.image.data[255 * 4 + 3]).toBeCloseTo(0.5, 1);
  });
  it('decodeImage works on buffers; encodeImage picks the format', async () => {
    const img = random8(4, 3, 3, 8);
    const png = await encodeImage(img, 'png');
    expect(sniffFormat(png)).toBe('png');
    expect(maxDiff(img, (await decodeImage(png, 'mem.png')).image)).toBeLessThan(1e-6);
    expect(sniffFormat(await encodeImage(img, 'jpeg'))).toBe('jpeg');
    await expect(encodeImage(img, 'jpeg', { quality: 0 })).rejects.toThrow(/quality must be an integer from 1 to 100/);
  });
  it('honours EXIF orientation', async () => {
    // 4×2 image, red left half; orientation 6 = rotate 90° clockwise for display → 2×4, red on top
    const raw = Buffer.alloc(4 * 2 * 3);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) raw[(y * 4 + x) * 3] = 255;
    await sharp(raw, { raw: { width: 4, height: 2, channels: 3 } })
      .withMetadata({ orientation: 6 })
      .png()
      .toFile(tmp('exif.png'));
    const { image } = await readImage(tmp('exif.png'));
    expect([image.width, image.height]).toEqual([2, 4]);
    expect(image.data[0]).toBeCloseTo(1);
    expect(image.data[(3 * 2 + 1) * 3]).toBeCloseTo(0);
  });
});

describe('read errors', () => {
  it('missing file, directory', async () => {
    await expectInputError(readImage(tmp('nope.png')), 'FILE_NOT_FOUND', /nope\.png: no such file/);
    await expectInputError(readImage(dir), 'NOT_A_FILE', /is a directory, not an image/);
  });
  it('a text file renamed .png, an empty file, an SVG and a GIF', async () => {
    await fs.writeFile(tmp('notes.png'), 'hello, I am text\n');
    await expectInputError(readImage(tmp('notes.png')), 'NOT_AN_IMAGE', /notes\.png is not an image/);
    await fs.writeFile(tmp('empty.png'), '');
    await expectInputError(readImage(tmp('empty.png')), 'NOT_AN_IMAGE', /empty \(0 bytes\)/);
    await fs.writeFile(tmp('v.png'), '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>');
    await expectInputError(readImage(tmp('v.png')), 'UNSUPPORTED_FORMAT', /is a SVG file/);
    await sharp({ create: { width: 4, height: 4, channels: 3, background: '#f00' } })
      .gif()
      .toFile(tmp('a.gif'));
    await expectInputError(readImage(tmp('a.gif')), 'UNSUPPORTED_FORMAT', /a\.gif is a GIF file.*convert it/);
  });
  it('truncated PNG (a real PNG cut in half, or missing only its IEND) and truncated JPEG', async () => {
    const png = await fs.readFile(`${DATA}/inpainting/vase.png`);
    await fs.writeFile(tmp('half.png'), png.subarray(0, png.length >> 1));
    await expectInputError(readImage(tmp('half.png')), 'CORRUPT_IMAGE', /half\.png is truncated or corrupt/);
    expect(pngIsComplete(png)).toBe(true);
    await fs.writeFile(tmp('noend.png'), png.subarray(0, png.length - 12));
    await expectInputError(readImage(tmp('noend.png')), 'CORRUPT_IMAGE', /IEND/);
    const jpg = await fs.readFile(`${DATA}/feature_inversion/monkey.jpg`);
    await fs.writeFile(tmp('half.jpg'), jpg.subarray(0, Math.floor(jpg.length * 0.9)));
    await expectInputError(readImage(tmp('half.jpg')), 'CORRUPT_IMAGE', /half\.jpg is truncated or corrupt/);
  });
  it('refuses absurd sizes with a suggestion to downscale', async () => {
    await expectInputError(
      decodeImage(await encodeImage(createImage(40, 30, 3), 'png'), 'big.png', { maxPixels: 1000 }),
      'IMAGE_TOO_LARGE',
      /big\.png is 40×30 \(1200 pixels\), over the decoding limit of 1000 pixels: downscale or crop it first/,
    );
    // the default limit is 50 megapixels, decided from the header alone: a 1×1 PNG whose IHDR
    // claims 10000×6000 (CRC fixed) is refused without decoding anything
    const png = Buffer.from(await encodeImage(createImage(1, 1, 1), 'png'));
    png.writeUInt32BE(10000, 16);
    png.writeUInt32BE(6000, 20);
    png.writeUInt32BE(zlib.crc32(png.subarray(12, 29)), 29);
    await expectInputError(
      decodeImage(png, 'huge.png'),
      'IMAGE_TOO_LARGE',
      /huge\.png is 10000×6000 \(60\.0 megapixels\), over the decoding limit of 50\.0 megapixels: downscale or crop it first \(below it, any size is fitted/,
    );
  });
});

describe('writing', () => {
  it('is atomic: no temporary file is left behind, existing files are replaced', async () => {
    const sub = await fs.mkdtemp(path.join(dir, 'w-'));
    await writeImage(path.join(sub, 'out.png'), random8(3, 3, 3, 1));
    await writeImage(path.join(sub, 'out.png'), random8(5, 5, 3, 2));
    expect(await fs.readdir(sub)).toEqual(['out.png']);
    expect((await readImage(path.join(sub, 'out.png'))).image.width).toBe(5);
    await fs.mkdir(path.join(sub, 'taken.png'));
    await expectInputError(writeImage(path.join(sub, 'taken.png'), random8(3, 3, 3, 1)), 'OUTPUT_IS_DIR', /is a directory/);
    expect((await fs.readdir(sub)).sort()).toEqual(['out.png', 'taken.png']);
  });
  it('rejects unknown extensions and missing folders', async () => {
    await expectInputError(writeImage(tmp('x.bmpx'), random8(3, 3, 3, 1)), 'UNSUPPORTED_FORMAT', /unknown extension "\.bmpx"; use \.png/);
    await expectInputError(writeImage(tmp('no/such/dir/x.png'), random8(3, 3, 3, 1)), 'OUTPUT_DIR_MISSING', /does not exist/);
    expect(formatFromPath('a/b')).toBe('png');
    expect(formatFromPath('A.JPG')).toBe('jpeg');
    expect(formatFromPath('a.TIFF')).toBe('tiff');
  });
  it('writeFileAtomic writes text', async () => {
    await writeFileAtomic(tmp('r.json'), '{"a":1}');
    expect(await fs.readFile(tmp('r.json'), 'utf8')).toBe('{"a":1}');
  });
});

describe('jpegRoundTrip', () => {
  it('degrades deterministically, keeps alpha and grey', async () => {
    const zebra = cropImage((await readImage(`${DATA}/super_resolution/zebra_GT.png`)).image, 200, 100, 64, 64);
    const q10 = await jpegRoundTrip(zebra, 10);
    const q90 = await jpegRoundTrip(zebra, 90);
    expect(q10.channels).toBe(3);
    expect(psnr(zebra, q10)).toBeLessThan(psnr(zebra, q90));
    expect(psnr(zebra, q10)).toBeGreaterThan(15);
    expect(await jpegRoundTrip(zebra, 10)).toEqual(q10);
    const rgba = createImage(16, 16, 4, new Float32Array(1024).fill(0.25));
    const back = await jpegRoundTrip(rgba, 50);
    expect(back.channels).toBe(4);
    expect(splitAlpha(back).alpha!.data.every((v) => v === 0.25)).toBe(true);
    expect((await jpegRoundTrip(createImage(16, 16, 1, new Float32Array(256).fill(0.5)), 30)).channels).toBe(1);
    await expect(jpegRoundTrip(zebra, 101)).rejects.toThrow(InputError);
  });
});

describe('resizeImage', () => {
  it('downscales to the exact size; constants stay constant with 16-bit precision', async () => {
    const img = createImage(64, 48, 3, new Float32Array(64 * 48 * 3).fill(0.123456));
    for (const k of ['lanczos3', 'cubic', 'nearest'] as const) {
      const out = await resizeImage(img, 16, 12, k);
      expect([out.width, out.height, out.channels]).toEqual([16, 12, 3]);
      for (const v of out.data) expect(Math.abs(v - 0.123456)).toBeLessThan(2e-5);
    }
  });
  it('nearest ×2 replicates pixels; grey stays grey', async () => {
    const img = createImage(2, 2, 1, new Float32Array([0, 0.25, 0.5, 1]));
    const out = await resizeImage(img, 4, 4, 'nearest');
    expect(out.channels).toBe(1);
    expect(Array.from(out.data).map((v) => Math.round(v * 4))).toEqual([0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 4, 4, 2, 2, 4, 4]);
  });
  it('treats alpha as alpha (uniform colour survives varying alpha)', async () => {
    const img = createImage(8, 8, 4);
    for (let i = 0; i < 64; i++) img.data.set([0.2, 0.6, 0.8, (i % 8) / 7], i * 4);
    const out = await resizeImage(img, 4, 4, 'lanczos3');
    expect(out.channels).toBe(4);
    for (let i = 0; i < 16; i++) {
      if (out.data[i * 4 + 3] < 0.05) continue;
      expect(out.data[i * 4]).toBeCloseTo(0.2, 2);
      expect(out.data[i * 4 + 1]).toBeCloseTo(0.6, 2);
    }
    const ga = await resizeImage(createImage(8, 8, 2, new Float32Array(128).fill(0.5)), 3, 5);
    expect([ga.width, ga.height, ga.channels]).toEqual([3, 5, 2]);
  });
  it('lanczos3 downscaling is close to (not identical with) PIL ANTIALIAS', async () => {
    const hr = cropImage((await readImage(`${DATA}/super_resolution/zebra_GT.png`)).image, 0, 0, 256, 192);
    const sharpLr = await resizeImage(hr, 64, 48, 'lanczos3');
    const pilLr = resampleAntialiased(hr, 64, 48, 'lanczos3');
    const p = psnr(sharpLr, pilLr);
    expect(p).toBeGreaterThan(40);
    expect(p).toBeLessThan(70); // libvips box-shrinks part of the way: use resampleAntialiased for paper protocols
  });
  it('validates the target size', async () => {
    await expect(resizeImage(createImage(4, 4, 3), 0, 2)).rejects.toThrow(InputError);
  });
});

describe('BMP decoder', () => {
  it('decodes a hand-made bottom-up 24-bit BMP with row padding', () => {
    // 2×2: bottom row stored first; each row 6 bytes + 2 padding
    const px = [
      [0, 0, 255, 0, 255, 0, 0, 0], // bottom row: red, green (BGR order)
      [255, 0, 0, 255, 255, 255, 0, 0], // top row: blue, white
    ];
    const bmp = Buffer.alloc(54 + 16);
    bmp.write('BM', 0, 'latin1');
    bmp.writeUInt32LE(bmp.length, 2);
    bmp.writeUInt32LE(54, 10);
    bmp.writeUInt32LE(40, 14);
    bmp.writeInt32LE(2, 18);
    bmp.writeInt32LE(2, 22);
    bmp.writeUInt16LE(1, 26);
    bmp.writeUInt16LE(24, 28);
    Buffer.from(px.flat()).copy(bmp, 54);
    const img = decodeBmp(bmp);
    expect(img.channels).toBe(3);
    expect(Array.from(img.data)).toEqual([0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0]);
    expect(() => decodeBmp(bmp.subarray(0, 60))).toThrow(/truncated/);
  });
});

describe('quality', () => {
  it('JPEG, WebP and AVIF: a higher quality gives a larger, closer file', async () => {
    const img = cropImage((await readImage(`${DATA}/super_resolution/zebra_GT.png`)).image, 200, 100, 96, 64);
    for (const format of LOSSY_FORMATS) {
      const sizes: number[] = [];
      const scores: number[] = [];
      for (const quality of [10, 40, 70, 95]) {
        const buf = await encodeImage(img, format, { quality });
        sizes.push(buf.length);
        scores.push(psnr(img, (await decodeImage(buf, `q${quality}`)).image));
      }
      for (let i = 1; i < sizes.length; i++) {
        expect(sizes[i], `${format} size ${sizes}`).toBeGreaterThan(sizes[i - 1]);
        expect(scores[i], `${format} PSNR ${scores}`).toBeGreaterThan(scores[i - 1]);
      }
    }
  });
  it('refuses a quality that is not an integer from 1 to 100, for every format, and writes nothing', async () => {
    const img = createImage(4, 4, 3);
    for (const ext of ['jpg', 'webp', 'avif', 'png', 'tif']) {
      for (const quality of [0, 101, 2.5, -3, Number.NaN]) {
        const e = await writeImage(tmp(`badq.${ext}`), img, { quality }).catch((err: unknown) => err);
        expect(e).toBeInstanceOf(InputError);
        expect((e as InputError).code).toBe('BAD_OPTION');
        expect((e as Error).message).toBe(`quality must be an integer from 1 to 100, got ${quality}`);
      }
      await expect(fs.access(tmp(`badq.${ext}`))).rejects.toThrow();
    }
  });
  it('PNG and TIFF are lossless: a valid quality changes nothing', async () => {
    const img = cropImage((await readImage(`${DATA}/super_resolution/zebra_GT.png`)).image, 200, 100, 16, 12);
    for (const format of ['png', 'tiff'] as const) {
      expect((await encodeImage(img, format, { quality: 10 })).equals(await encodeImage(img, format))).toBe(true);
    }
  });
});

describe('AVIF', () => {
  it('round-trips RGB within a PSNR bound and keeps alpha', async () => {
    const img = cropImage((await readImage(`${DATA}/super_resolution/zebra_GT.png`)).image, 200, 100, 128, 96);
    await writeImage(tmp('zebra.avif'), img);
    const back = await readImage(tmp('zebra.avif'));
    expect([back.format, back.bitDepth, back.image.channels]).toEqual(['avif', 8, 3]);
    expect(psnr(img, back.image)).toBeGreaterThan(40);
    const rgba = createImage(16, 16, 4);
    for (let i = 0; i < 256; i++) rgba.data.set([0.8, 0.3, 0.1, i < 128 ? 1 : 0.5], i * 4);
    const alpha = (await decodeImage(await encodeImage(rgba, 'avif'), 'a.avif')).image;
    expect(alpha.channels).toBe(4);
    expect(alpha.data[3]).toBeCloseTo(1, 1);
    expect(alpha.data[255 * 4 + 3]).toBeCloseTo(0.5, 1);
  });
  it('is told from HEIC by its brand; HEIC is refused in and out with what to do instead', async () => {
    expect(sniffFormat(await encodeImage(createImage(4, 4, 3), 'avif'))).toBe('avif');
    expect(formatFromPath('photo.AVIF')).toBe('avif');
    const heic = Buffer.alloc(64);
    heic.writeUInt32BE(24, 0);
    heic.write('ftypheic\0\0\0\0mif1heic', 4, 'latin1');
    expect(sniffFormat(heic)).toBe('heif');
    const e = await decodeImage(heic, 'IMG_0001.HEIC').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(InputError);
    expect((e as InputError).code).toBe('UNSUPPORTED_FORMAT');
    expect((e as Error).message).toMatch(/^IMG_0001\.HEIC is a HEIC file, which deep-prior cannot decode .*: convert it to JPEG, PNG or AVIF$/);
    expect(() => formatFromPath('out.heic')).toThrow(/cannot write out\.heic: HEIC output needs the HEVC codec.*use \.avif/);
  });
});
