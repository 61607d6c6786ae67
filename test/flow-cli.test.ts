/**
 * The HCFlow commands end to end, in process, on tiny models the test trains itself with train-flow
 * (a few steps on 64² crops): rescale down/up sizes and --original, sample files and temperatures,
 * an exact resume (stopped by --until or by a signal, then --resume, against one uninterrupted run),
 * and the one-line refusals of bad weights and options.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StopSignal } from '../src/cli/deps.js';
import { readWeightsFile } from '../src/flow/weights-node.js';
import { cropImage } from '../src/image/image.js';
import { readImage, writeImage } from '../src/image/io-node.js';
import { psnr } from '../src/image/metrics.js';
import { capture, runCli, tempDir } from './helpers/cli.js';

const shared = path.resolve(import.meta.dirname, '../../shared/data');
let dir: string;
const p = (name: string) => path.join(dir, name);
const TRAIN = ['--hold-out', '1', '--size', 'tiny', '--batch', '2', '--patch', '16', '--threads', '1', '--quiet'];

async function train(args: string[], deps = {}) {
  const r = await runCli(['train-flow', '--data', p('data'), ...TRAIN, ...args], deps);
  expect(r.code, r.stderr).toBe(0);
  return r;
}

beforeAll(async () => {
  dir = await tempDir('deep-prior-flow-cli-');
  await fs.mkdir(p('data'));
  const sources = ['T91/t1.png', 'T91/t2.png', 'T91/t3.png'];
  for (const [i, src] of sources.entries()) {
    const img = (await readImage(path.join(shared, 'sr_train', src))).image;
    await writeImage(p(`data/img${i}.png`), cropImage(img, 0, 0, 64, 64));
  }
  const butterfly = (await readImage(path.join(shared, 'sr_benchmarks/Set5/butterfly.png'))).image;
  await writeImage(p('photo.png'), cropImage(butterfly, 60, 60, 45, 38)); // odd sizes: padding and --original
  await train(['--scale', '2', '--steps', '6', '-o', p('rescale.hcflow')]);
  await train(['--task', 'sr', '--steps', '4', '-o', p('sr.hcflow')]);
}, 300_000);
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('rescale down and up', () => {
  it('down writes the ⌈size/2⌉ image, up restores the original size with --original', async () => {
    const w = ['--weights', p('rescale.hcflow'), '--scale', '2', '--threads', '1'];
    const down = await runCli(['rescale', 'down', p('photo.png'), '-o', p('small.png'), ...w]);
    expect(down.code, down.stderr).toBe(0);
    expect(down.stdout).toContain(`to restore it: deep-prior rescale up ${p('small.png')} -o restored.png --scale 2 --original 45x38`);
    const small = (await readImage(p('small.png'))).image;
    expect([small.width, small.height]).toEqual([23, 19]);
    const up = await runCli(['rescale', 'up', p('small.png'), '-o', p('big.png'), '--original', '45x38', ...w]);
    expect(up.code, up.stderr).toBe(0);
    const big = (await readImage(p('big.png'))).image;
    expect([big.width, big.height]).toEqual([45, 38]);
    expect(psnr(big, (await readImage(p('photo.png'))).image)).toBeGreaterThan(18);
    const plain = await runCli(['rescale', 'up', p('small.png'), '-o', p('big2.png'), ...w]);
    expect((await readImage(p('big2.png'))).image.width, plain.stderr).toBe(46);
  });

  it('refuses a missing --scale, an --original that does not fit, and an existing output', async () => {
    const noScale = await runCli(['rescale', 'down', p('photo.png'), '-o', p('x.png'), '--weights', p('rescale.hcflow')]);
    expect(noScale.code).toBe(2);
    expect(noScale.stderr).toBe('deep-prior: rescale down needs --scale 2 or 4\n');
    const bad = await runCli(['rescale', 'up', p('small.png'), '-o', p('x.png'), '--scale', '2', '--original', '99x38', '--weights', p('rescale.hcflow')]);
    expect(bad.stderr).toMatch(/^deep-prior: --original 99x38 does not fit a 23×19 image made by rescale down --scale 2\n$/);
    const exists = await runCli(['rescale', 'down', p('photo.png'), '-o', p('small.png'), '--scale', '2', '--weights', p('rescale.hcflow')]);
    expect(exists.stderr).toMatch(/already exists: add --force/);
  });
});

describe('sample', () => {
  it('writes OUT-1 … OUT-n at 4× the size; τ = 0 samples agree, τ = 0.9 samples differ', async () => {
    const w = ['--weights', p('sr.hcflow'), '--threads', '1'];
    const lr = p('lr.png');
    await writeImage(lr, cropImage((await readImage(p('photo.png'))).image, 0, 0, 13, 10));
    const mean = await runCli(['sample', lr, '-o', p('mean.png'), '--temperature', '0', '--count', '2', ...w]);
    expect(mean.code, mean.stderr).toBe(0);
    const [m1, m2] = await Promise.all(['mean-1.png', 'mean-2.png'].map(async (f) => (await readImage(p(f))).image));
    expect([m1.width, m1.height]).toEqual([52, 40]);
    expect(Array.from(m1.data)).toEqual(Array.from(m2.data));
    const warm = await runCli(['sample', lr, '-o', p('warm.png'), '--count', '3', ...w]);
    expect(warm.stdout).toMatch(/warm-1\.png … .*warm-3\.png .*τ = 0\.9/);
    const [s1, s2] = await Promise.all(['warm-1.png', 'warm-2.png'].map(async (f) => (await readImage(p(f))).image));
    expect(psnr(s1, s2)).toBeLessThan(60);
    await expect(fs.stat(p('warm.png'))).rejects.toThrow();
  });
});

describe('bad weights', () => {
  it('a missing, foreign, corrupt or mismatched weights file is one line naming --weights', async () => {
    await fs.writeFile(p('junk.hcflow'), 'not weights');
    const bytes = await fs.readFile(p('rescale.hcflow'));
    bytes[bytes.length - 5] ^= 0xff;
    await fs.writeFile(p('flipped.hcflow'), bytes);
    const cases: [string, string[], RegExp][] = [
      ['missing', ['rescale', 'down', p('photo.png'), '--scale', '2', '--weights', p('none.hcflow')], /--weights .*none\.hcflow: no such file/],
      ['foreign', ['rescale', 'down', p('photo.png'), '--scale', '2', '--weights', p('junk.hcflow')], /is not a deep-prior HCFlow weights file/],
      ['corrupt', ['rescale', 'down', p('photo.png'), '--scale', '2', '--weights', p('flipped.hcflow')], /is corrupt \(checksum mismatch\)/],
      [
        'SR for rescale',
        ['rescale', 'up', p('photo.png'), '--scale', '2', '--weights', p('sr.hcflow')],
        /holds a ×4 sr model; this needs a ×2 rescaling model/,
      ],
      [
        '×2 for ×4',
        ['rescale', 'down', p('photo.png'), '--scale', '4', '--weights', p('rescale.hcflow')],
        /holds a ×2 rescaling model; this needs a ×4 rescaling model/,
      ],
    ];
    for (const [what, args, pattern] of cases) {
      const r = await runCli([...args, '-o', p(`bad-${what}.png`)]);
      expect(r.code, what).toBe(2);
      expect(r.stderr, what).toMatch(pattern);
      expect(r.stderr.trim().split('\n'), what).toHaveLength(1);
    }
  });
});

describe('train-flow', () => {
  const run = ['--scale', '2', '--steps', '6', '--validate-every', '2'];
  const tensors = async (file: string) => (await readWeightsFile(file)).tensors.map((t) => Array.from(t));

  it('a training stopped by --until and resumed ends with the weights and curve of an uninterrupted one', async () => {
    await train([...run, '-o', p('straight.hcflow')]);
    await train([...run, '--until', '3', '-o', p('staged.hcflow'), '--curve', p('staged.svg')]);
    const stage = await readWeightsFile(p('staged.hcflow'));
    expect(stage.manifest.training).toMatchObject({ steps: 3, totalSteps: 6, trainImages: 2, validationImages: ['data/img1.png'], size: 'tiny' });
    await train([...run, '-o', p('staged.hcflow'), '--curve', p('staged.svg'), '--resume']);
    expect(await tensors(p('staged.hcflow'))).toEqual(await tensors(p('straight.hcflow')));
    const [a, b] = await Promise.all([readWeightsFile(p('staged.hcflow')), readWeightsFile(p('straight.hcflow'))]);
    expect(a.manifest.training.curve).toEqual(b.manifest.training.curve);
    expect(a.manifest.training.curve!.map((c) => c.step)).toEqual([0, 2, 4, 6]);
    expect(await fs.readFile(p('staged.svg'), 'utf8')).toMatch(/^<svg/);
  }, 300_000);

  it('a signal stops it after the current step with a checkpoint; the printed command continues it exactly', async () => {
    // --json reports every step: the signal comes while step 2 is reported, so the training stops after it.
    let handler: ((s: StopSignal) => void) | null = null;
    const stdout = capture();
    const write = stdout.write.bind(stdout);
    stdout.write = (s: string) => {
      if (s.includes('"type":"progress","iteration":2,')) handler?.('SIGTERM');
      return write(s);
    };
    const args = ['train-flow', '--data', p('data'), ...TRAIN.filter((a) => a !== '--quiet'), ...run, '-o', p('signal.hcflow'), '--json'];
    const code = await (await import('../src/cli/main.js')).main(args, {
      stdout,
      stderr: capture(),
      onInterrupt: (h) => {
        handler = h;
        return () => {};
      },
      invocation: () => ['deep-prior'],
    });
    expect(code, stdout.text).toBe(143);
    expect((await readWeightsFile(p('signal.hcflow'))).manifest.training.steps).toBe(2);
    expect(stdout.text).toMatch(/"message":"interrupted by SIGTERM: stopping after this step/);
    expect(stdout.text).toMatch(/"message":"deep-prior: to continue, run: deep-prior train-flow .* -o .*signal\.hcflow --json --resume"/);
    await train([...run, '-o', p('signal.hcflow'), '--resume']);
    expect(await tensors(p('signal.hcflow'))).toEqual(await tensors(p('straight.hcflow')));
  }, 300_000);

  it('refuses a resume with other settings or without a checkpoint, and a checkpoint it would overwrite', async () => {
    const other = await runCli(['train-flow', '--data', p('data'), ...TRAIN, ...run, '--batch', '4', '-o', p('straight.hcflow'), '--resume']);
    expect(other.stderr).toBe("deep-prior: --resume: --batch 4 differs from the checkpoint's --batch 2; drop --batch (or give 2) to continue that training\n");
    const none = await runCli(['train-flow', '--data', p('data'), ...TRAIN, ...run, '-o', p('fresh.hcflow'), '--resume']);
    expect(none.stderr).toMatch(/^deep-prior: --resume: there is no checkpoint .*fresh\.hcflow\.dpckpt/);
    const again = await runCli(['train-flow', '--data', p('data'), ...TRAIN, ...run, '-o', p('again.hcflow'), '--checkpoint', p('straight.hcflow.dpckpt')]);
    expect(again.stderr).toMatch(/straight\.hcflow\.dpckpt already exists: it holds a training: add --resume to continue it, or --force/);
    const sr2 = await runCli(['train-flow', '--data', p('data'), '--task', 'sr', '--scale', '2', '--hold-out', '1', '-o', p('x.hcflow')]);
    expect(sr2.stderr).toBe('deep-prior: --scale: the sr model is ×4 only, got 2\n');
    const noVal = await runCli(['train-flow', '--data', p('data'), '--scale', '2', '-o', p('x.hcflow')]);
    expect(noVal.stderr).toBe('deep-prior: train-flow needs --val DIR or --hold-out N\n');
  });
});
