import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readImage, writeImage } from '../src/image/io-node.js';
import { psnr } from '../src/image/metrics.js';
import { createImage } from '../src/image/image.js';
import { runCli, tempDir, writeRandomPng } from './helpers/cli.js';

let dir: string;
let input: string;
const p = (name: string) => path.join(dir, name);

beforeAll(async () => {
  dir = await tempDir('deep-prior-degrade-');
  const img = createImage(64, 48, 3);
  for (let y = 0; y < 48; y++) for (let x = 0; x < 64; x++) img.data.set([x / 63, y / 47, 0.5], (y * 64 + x) * 3); // smooth ramps
  await writeImage(p('in.png'), img);
  input = p('in.png');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('degrade', () => {
  it('adds noise reproducibly from --seed', async () => {
    const a = await runCli(['degrade', input, '-o', p('n1.png'), '--noise', '25', '--seed', '7']);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout).toMatch(/wrote .*n1\.png \(64×48 RGB, 8-bit\): Gaussian noise σ=25; seed 7\nPSNR against the input: 2\d\.\d\d dB/);
    await runCli(['degrade', input, '-o', p('n2.png'), '--noise', '25', '--seed', '7', '--quiet']);
    await runCli(['degrade', input, '-o', p('n3.png'), '--noise', '25', '--seed', '8', '--quiet']);
    const [n1, n2, n3] = await Promise.all(['n1.png', 'n2.png', 'n3.png'].map((f) => fs.readFile(p(f))));
    expect(n1.equals(n2)).toBe(true);
    expect(n1.equals(n3)).toBe(false);
    const clean = (await readImage(input)).image;
    expect(psnr((await readImage(p('n1.png'))).image, clean)).toBeGreaterThan(19);
    expect(psnr((await readImage(p('n1.png'))).image, clean)).toBeLessThan(22.5);
  });

  it('adding one degradation does not change the damage of another', async () => {
    await runCli(['degrade', input, '-o', p('d1.png'), '--drop', '0.5', '--mask-out', p('m1.png'), '--quiet']);
    await runCli(['degrade', input, '-o', p('d2.png'), '--drop', '0.5', '--salt-pepper', '0.1', '--mask-out', p('m2.png'), '--quiet']);
    expect((await fs.readFile(p('m1.png'))).equals(await fs.readFile(p('m2.png')))).toBe(true);
  });

  it('--drop with --mask-out writes a 1-channel mask of the dropped pixels', async () => {
    const r = await runCli(['degrade', input, '-o', p('drop.png'), '--drop', '0.5', '--mask-out', p('drop-mask.png'), '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ type: 'done', steps: ['dropped 0.5 of the pixels'], seed: 0, width: 64, height: 48 });
    const mask = (await readImage(p('drop-mask.png'))).image;
    const img = (await readImage(p('drop.png'))).image;
    expect(mask.channels).toBe(1);
    const known = mask.data.reduce((s, v) => s + v, 0) / mask.data.length;
    expect(known).toBeGreaterThan(0.4);
    expect(known).toBeLessThan(0.6);
    for (let i = 0; i < mask.data.length; i++) if (mask.data[i] === 0) expect(img.data[i * 3 + 2]).toBe(0);
  });

  it('--downscale uses Lanczos to floor(size / factor)', async () => {
    const r = await runCli(['degrade', input, '-o', p('lr.png'), '--downscale', '4', '--quiet']);
    expect(r.code).toBe(0);
    const lr = (await readImage(p('lr.png'))).image;
    expect([lr.width, lr.height]).toEqual([16, 12]);
  });

  it('--jpeg and --text, in the documented order', async () => {
    const r = await runCli(['degrade', input, '-o', p('tj.png'), '--text', 'HELLO', '--jpeg', '10', '--mask-out', p('tj-mask.png')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/JPEG quality 10, text "HELLO"/);
    const mask = (await readImage(p('tj-mask.png'))).image;
    expect(mask.data.some((v) => v === 0)).toBe(true);
  });

  it('refuses bad values and nothing to do', async () => {
    const bad = async (args: string[], re: RegExp) => {
      const r = await runCli(['degrade', input, '-o', p('bad.png'), ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(re);
    };
    await bad([], /nothing to do: give at least one of --noise/);
    await bad(['--noise', '-3'], /--noise must be a sigma from 0 to 255/);
    await bad(['--jpeg', '0'], /--jpeg must be a whole number from 1 to 100/);
    await bad(['--drop', '1.5'], /--drop must be a fraction from 0 to 1/);
    await bad(['--downscale', '0.5'], /--downscale must be a factor ≥ 1/);
    await bad(['--noise', '5', '--mask-out', p('mm.png')], /--mask-out needs --drop or --text/);
    await bad(['--downscale', '100'], /leaves no pixels/);
    const same = await runCli(['degrade', input, '-o', input, '--noise', '5']);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/output path is the input file/);
  });
});

describe('metrics', () => {
  it('prints PSNR and SSIM; identical images are infinite', async () => {
    let r = await runCli(['metrics', input, input]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('PSNR ∞ (identical)\nSSIM 1.0000\n');
    await runCli(['degrade', input, '-o', p('m-noisy.png'), '--noise', '10', '--quiet']);
    r = await runCli(['metrics', p('m-noisy.png'), input, '--json']);
    const j = JSON.parse(r.stdout);
    const expected = psnr((await readImage(p('m-noisy.png'))).image, (await readImage(input)).image);
    expect(j.psnr).toBeCloseTo(expected, 10);
    expect(j).toMatchObject({ channel: 'rgb', border: 0, identical: false });
    expect(j.ssim).toBeGreaterThan(0);
    expect(j.ssim).toBeLessThan(1);
  });

  it('--channel y and --border follow the SR protocol', async () => {
    const r = await runCli(['metrics', p('m-noisy.png'), input, '--channel', 'y', '--border', '4', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    const a = (await readImage(p('m-noisy.png'))).image;
    const b = (await readImage(input)).image;
    expect(j.psnr).toBeCloseTo(psnr(a, b, { channel: 'y', border: 4 }), 10);
  });

  it('refuses images of different sizes (exit 2) and bad options', async () => {
    const other = await writeRandomPng(p('other.png'), 32, 32);
    let r = await runCli(['metrics', input, other]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^deep-prior: .*in\.png is 64×48 but .*other\.png is 32×32: metrics compares images of the same size\n$/);
    r = await runCli(['metrics', input, input, '--channel', 'lab']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--channel must be rgb or y, got "lab"/);
    r = await runCli(['metrics', input, input, '--border', '30']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--border 30 leaves nothing/);
  });

  it('SSIM is n/a for images under 11×11', async () => {
    const tiny = await writeRandomPng(p('tiny.png'), 8, 8);
    const r = await runCli(['metrics', tiny, tiny, '--json']);
    expect(JSON.parse(r.stdout)).toMatchObject({ psnr: null, identical: true, ssim: null });
  });
});
