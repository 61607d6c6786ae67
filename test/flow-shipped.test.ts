/**
 * The weights shipped in weights/, used by default. Each loads as the model its command needs, with
 * a manifest that records its training; a `rescale down` then `rescale up` round trip of one small
 * image never trained on (Set5 bird) beats bicubic down/up in Y-PSNR with the papers' border, at ×2
 * and ×4; `sample` at τ = 0 is deterministic and consistent with its input (its bicubic downscale is
 * the LR it came from). A copy of a shipped file that is truncated, corrupt or of another format
 * version is refused in one line naming --weights.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bicubicDown, bicubicUp, modcrop } from '../src/flow/evaluate.js';
import { loadFlowModel, shippedWeightsPath } from '../src/flow/shipped-node.js';
import { encodeWeights } from '../src/flow/weights.js';
import type { Image } from '../src/image/image.js';
import { readImage, writeImage } from '../src/image/io-node.js';
import { psnr } from '../src/image/metrics.js';
import { resampleAntialiased } from '../src/image/resample.js';
import { runCli, tempDir } from './helpers/cli.js';

const bird = path.resolve(import.meta.dirname, '../../shared/data/sr_benchmarks/Set5/bird.png');
const SHIPPED = [
  ['rescaling', 2],
  ['rescaling', 4],
  ['sr', 4],
] as const;
let dir: string;
let hr: Image;
const p = (name: string) => path.join(dir, name);
const yPsnr = (a: Image, s: number) => psnr(a, hr, { channel: 'y', border: s });
const QUIET = ['--threads', '1', '--quiet'];

beforeAll(async () => {
  dir = await tempDir('deep-prior-flow-shipped-');
  hr = modcrop((await readImage(bird)).image, 4);
  await writeImage(p('bird.png'), hr);
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the shipped weights', () => {
  for (const [kind, scale] of SHIPPED) {
    it(`${kind} ×${scale} loads as that model, with its training in the manifest`, async () => {
      const { weights } = await loadFlowModel(undefined, kind, scale);
      expect(weights.manifest.model).toMatchObject({ kind, scale });
      expect(weights.manifest.training.steps).toBeGreaterThan(0);
      expect(weights.manifest.training.curve?.length).toBeGreaterThan(1);
      expect(weights.tensors.every((t) => t.every(Number.isFinite))).toBe(true);
    });
  }

  for (const scale of [2, 4] as const) {
    it(`rescale ×${scale}: up(down(bird)) beats bicubic down/up by more than 1 dB`, async () => {
      const opts = ['--scale', String(scale), ...QUIET];
      const down = await runCli(['rescale', 'down', p('bird.png'), '-o', p(`small${scale}.png`), ...opts]);
      expect(down.code, down.stderr).toBe(0);
      const up = await runCli(['rescale', 'up', p(`small${scale}.png`), '-o', p(`up${scale}.png`), ...opts]);
      expect(up.code, up.stderr).toBe(0);
      const flow = yPsnr((await readImage(p(`up${scale}.png`))).image, scale);
      const bicubic = yPsnr(bicubicUp(bicubicDown(hr, scale), scale), scale);
      expect(flow, `bicubic ${bicubic.toFixed(2)} dB`).toBeGreaterThan(bicubic + 1);
    }, 120_000);
  }

  it('sample ×4 at τ = 0: the same twice, and its bicubic downscale is its input (≥ 35 dB)', async () => {
    const lr = bicubicDown(hr, 4);
    await writeImage(p('lr.png'), lr);
    const samples: Image[] = [];
    for (const seed of ['1', '2']) {
      const r = await runCli(['sample', p('lr.png'), '-o', p(`sr${seed}.png`), '--temperature', '0', '--seed', seed, ...QUIET]);
      expect(r.code, r.stderr).toBe(0);
      samples.push((await readImage(p(`sr${seed}.png`))).image);
    }
    expect(samples[0].width).toBe(hr.width);
    expect(Array.from(samples[1].data)).toEqual(Array.from(samples[0].data));
    const consistency = psnr(resampleAntialiased(samples[0], lr.width, lr.height, 'bicubic'), lr);
    expect(consistency).toBeGreaterThan(35);
  }, 120_000);
});

describe('a broken copy of a shipped file', () => {
  it('truncated, corrupt or of another format version: one line naming --weights', async () => {
    const bytes = await fs.readFile(shippedWeightsPath('rescaling', 2));
    await fs.writeFile(p('truncated.hcflow'), bytes.subarray(0, bytes.length - 100));
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 7] ^= 0x10;
    await fs.writeFile(p('flipped.hcflow'), flipped);
    const { weights } = await loadFlowModel(undefined, 'rescaling', 2);
    await fs.writeFile(p('v2.hcflow'), encodeWeights({ ...weights, manifest: { ...weights.manifest, version: 2 } }));
    const cases: [string, RegExp][] = [
      ['truncated', /is truncated or corrupt/],
      ['flipped', /is corrupt \(checksum mismatch\)/],
      ['v2', /is format version 2; this deep-prior reads version 1/],
    ];
    for (const [name, pattern] of cases) {
      const r = await runCli(['rescale', 'down', p('bird.png'), '-o', p(`bad-${name}.png`), '--scale', '2', '--weights', p(`${name}.hcflow`), ...QUIET]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(pattern);
      expect(r.stderr, name).toContain(`--weights ${p(`${name}.hcflow`)}`);
      expect(r.stderr.trim().split('\n'), name).toHaveLength(1);
    }
  });
});
