/** Screening: one untrained forward pass per candidate, scored against the observation, ranked. */
import { describe, expect, it } from 'vitest';
import { createImage } from '../src/image/image.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { parseGenotype } from '../src/search/genotype.js';
import { evaluateMetric, parseMetric } from '../src/search/metrics.js';
import { observe } from '../src/search/observation.js';
import { screenWith, type ScreenRequest } from '../src/search/screen.js';
import type { Planar } from '../src/search/spectra.js';
import { Spectra } from '../src/search/spectra.js';
import { InputError } from '../src/util/errors.js';
import { Rng } from '../src/util/random.js';

function noisyImage(w: number, h: number, channels: 1 | 3, seed: number) {
  const rng = new Rng(seed);
  const img = createImage(w, h, channels);
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(i / 17) + 0.1 * rng.normal()));
  return img;
}

const metrics = ['psd-db-strip-mse', 'psd-strip-hist-emd', 'psd-99-per-bw', 'random'];

describe('screening', () => {
  it('scores every candidate from its own untrained output, ranks best first, and is seeded and prefix-stable', async () => {
    const image = noisyImage(64, 48, 3, 1);
    const outputs: Planar[] = [];
    const request: ScreenRequest = { image, candidates: 3, metrics, seed: 4, threads: 1 };
    const result = await screenWith(nodePlatform, request, { onCandidate: (_c, _i, _n, out) => outputs.push(out) });
    expect(result.canvas).toEqual({ width: 64, height: 64 });
    expect(result.candidates).toHaveLength(3);
    const target = new Spectra(observe({ image }).target);
    result.candidates.forEach((c, i) => {
      expect(outputs[i]).toMatchObject({ channels: 3, width: 64, height: 48 });
      expect(outputs[i].data.every((v) => v > 0 && v < 1)).toBe(true);
      for (const m of metrics.slice(0, 3)) expect(c.scores[m]).toBe(evaluateMetric(parseMetric(m), target, new Spectra(outputs[i]), new Rng(0)));
      expect(parseGenotype(c.name)).toEqual(c.genotype);
    });
    for (const m of metrics) {
      const order = result.rankings[m];
      expect([...order].sort()).toEqual([0, 1, 2]);
      for (let k = 1; k < order.length; k++) expect(result.candidates[order[k]].scores[m]).toBeGreaterThanOrEqual(result.candidates[order[k - 1]].scores[m]);
    }
    const shorter = await screenWith(nodePlatform, { ...request, candidates: 2 });
    expect(shorter.candidates.map((c) => c.scores)).toEqual(result.candidates.slice(0, 2).map((c) => c.scores));
  });

  it('super-resolution: the network draws the ×4 canvas and is compared at the low resolution', async () => {
    const image = noisyImage(20, 12, 1, 2);
    const sizes: number[][] = [];
    const genotypes = [parseGenotype('xs1_320_1ffffff'), parseGenotype('xs1_77_0000000')];
    const result = await screenWith(
      nodePlatform,
      { image, scale: 4, candidates: 1, genotypes, metrics: ['psd-db-strip-mse'], threads: 1 },
      { onCandidate: (_c, _i, _n, out) => sizes.push([out.channels, out.width, out.height]) },
    );
    expect(result.canvas).toEqual({ width: 96, height: 64 });
    expect(result.candidates.map((c) => c.name)).toEqual(['xs1_320_1ffffff', 'xs1_77_0000000']);
    expect(sizes).toEqual([
      [1, 20, 12],
      [1, 20, 12],
    ]);
  });

  it('the observation zeroes the holes of a mask and keeps the known pixels', () => {
    const image = noisyImage(6, 5, 3, 3);
    const mask = createImage(6, 5, 1);
    for (let i = 0; i < 30; i++) mask.data[i] = i % 4 === 0 ? 0 : 1;
    const { target } = observe({ image, mask });
    for (let i = 0; i < 30; i++) for (let c = 0; c < 3; c++) expect(target.data[c * 30 + i]).toBe(i % 4 === 0 ? 0 : image.data[i * 3 + c]);
  });

  it('bad requests are one-line InputErrors', async () => {
    const image = noisyImage(8, 8, 1, 4);
    const cases: [Partial<ScreenRequest>, RegExp][] = [
      [{ candidates: 0 }, /--candidates must be a whole number from 1/],
      [{ candidates: 2.5 }, /--candidates must be a whole number/],
      [{ metrics: ['psd-wrong'] }, /metric "psd-wrong" is unknown/],
      [{ scale: 3 }, /--scale must be 2, 4 or 8/],
      [{ mask: createImage(4, 4, 1) }, /--mask is 4×4 but the image is 8×8/],
      [{ genotypes: [{ cell: 250, skips: 0 }] }, /cell 250 .* cannot be built/],
    ];
    for (const [change, message] of cases) {
      const attempt = screenWith(nodePlatform, { image, candidates: 1, threads: 1, ...change });
      await expect(attempt).rejects.toThrow(InputError);
      await expect(attempt).rejects.toThrow(message);
    }
  });
});
