import { promises as fs } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestoreOptions, RestoreResult } from '../src/options/index.js';
import { randomImage, runCli, tempDir, writeRandomPng } from './helpers/cli.js';

/** A restore that returns a noisy image (a flat one would compress the same at any quality). */
const noisyRestore = async (o: RestoreOptions): Promise<RestoreResult> => ({
  image: randomImage(o.image.width, o.image.height, 3, 7),
  iterations: 1,
  stopReason: 'fixed',
  bestIteration: 1,
  history: [{ iteration: 1, loss: 1, seconds: 0 }],
  seconds: 0,
  backend: 'fake',
  options: {},
  recoveries: 0,
});

let dir: string;
let input: string;
beforeAll(async () => {
  dir = await tempDir();
  input = await writeRandomPng(path.join(dir, 'in.png'), 48, 32);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('--quality', () => {
  it('sets the JPEG, WebP and AVIF quality: higher is larger', async () => {
    for (const ext of ['jpg', 'webp', 'avif']) {
      const size = async (q: string) => {
        const out = path.join(dir, `q${q}.${ext}`);
        const r = await runCli(['denoise', input, '-o', out, '--quality', q, '--quiet'], { restore: noisyRestore });
        expect(r.code, r.stderr).toBe(0);
        return (await fs.stat(out)).size;
      };
      expect(await size('20'), ext).toBeLessThan(await size('95'));
    }
  });
  it('is refused out of range and for lossless outputs, before the fit', async () => {
    const bad = await runCli(['denoise', input, '-o', path.join(dir, 'a.jpg'), '--quality', '0'], { restore: noisyRestore });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--quality must be a whole number from 1 to 100, got 0/);
    const png = await runCli(['denoise', input, '-o', path.join(dir, 'a.png'), '--quality', '80'], { restore: noisyRestore });
    expect(png.code).toBe(2);
    expect(png.stderr).toMatch(/--quality applies to \.jpg, \.webp and \.avif outputs; .*a\.png is PNG, which is lossless/);
    await expect(fs.stat(path.join(dir, 'a.png'))).rejects.toThrow();
  });
});

describe('metadata through a fitting command', () => {
  const camera = () =>
    sharp({ create: { width: 32, height: 24, channels: 3, background: '#806040' } })
      .withIccProfile('p3')
      .withExif({ IFD0: { Make: 'Canon', Model: 'EOS 5D' } })
      .withXmp(
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" dc:format="photo-by-jane"/></rdf:RDF></x:xmpmeta>',
      )
      .jpeg()
      .toFile(path.join(dir, 'camera.jpg'));
  it('keeps EXIF, XMP and the ICC profile by default; --strip-metadata keeps only the profile', async () => {
    await camera();
    const src = await sharp(path.join(dir, 'camera.jpg')).metadata();
    const kept = path.join(dir, 'kept.jpg');
    const stripped = path.join(dir, 'stripped.jpg');
    expect((await runCli(['denoise', path.join(dir, 'camera.jpg'), '-o', kept, '--quiet'], { restore: noisyRestore })).code).toBe(0);
    expect((await runCli(['denoise', path.join(dir, 'camera.jpg'), '-o', stripped, '--strip-metadata', '--quiet'], { restore: noisyRestore })).code).toBe(0);
    const k = await sharp(kept).metadata();
    expect(k.exif?.toString('latin1')).toContain('EOS 5D');
    expect(k.xmp?.toString()).toContain('photo-by-jane');
    expect(k.icc?.equals(src.icc!)).toBe(true);
    const s = await sharp(stripped).metadata();
    expect(s.xmp).toBeUndefined();
    expect(s.exif?.toString('latin1') ?? '').not.toContain('EOS 5D');
    expect(s.icc?.equals(src.icc!)).toBe(true);
  });
});
