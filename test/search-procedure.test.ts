/**
 * The whole search on tiny images with tiny counts: screening → cohort fits → selection → costs →
 * choice (with the choice's narrower copies), checked against an independent re-computation of the selection; then --arch auto fits the
 * chosen genotype from scratch (or returns the very cohort fit when the cohort ran on the image itself).
 */
import { describe, expect, it } from 'vitest';
import { createImage, splitAlpha, toPlanar, type Image } from '../src/image/image.js';
import type { RestoreOptions } from '../src/options/index.js';
import { restoreWith } from '../src/restore/index.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { cheapestWithin, PREFER_TOLERANCE_DB } from '../src/search/cost-aware.js';
import { TIMED_STEPS } from '../src/autoarch/cost.js';
import { searchWith } from '../src/autoarch/procedure.js';
import { cohortCopy } from '../src/autoarch/small-copy.js';
import type { SearchProgress } from '../src/search/types.js';
import { Rng } from '../src/util/random.js';
import { derivedRequest, validateRestoreOptions, type ValidRequest } from '../src/validate.js';
import { effectiveSettings } from '../src/tasks/settings.js';
import { archChanges } from '../src/search/width-variants.js';

function noisy(w: number, h: number, seed: number): Image {
  const rng = new Rng(seed);
  const img = createImage(w, h, 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < 3; c++)
        img.data[(y * w + x) * 3 + c] = Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(x / 5 + c) * Math.cos(y / 7) + 0.1 * rng.normal()));
  return img;
}

const fit = (r: ValidRequest, h: object) => restoreWith(nodePlatform, r, h);
const tiny = (image: Image, extra: Partial<RestoreOptions> = {}): RestoreOptions => ({
  task: 'denoise',
  image,
  arch: 'auto',
  channels: 16,
  threads: 1,
  seed: 2,
  ...extra,
});

/**
 * Selection recomputed in float64 from the members' outputs: weights (max − m)/(max − min), PSNR
 * against the weighted average, of each member and of any `others` (outputs outside the average).
 */
/** The cohort weights (max − m)/(max − min), equal where all values are. */
function referenceWeights(metric: number[]): number[] {
  const [lo, hi] = [Math.min(...metric), Math.max(...metric)];
  return metric.map((m) => (hi > lo ? (hi - m) / (hi - lo) : 1));
}

function selectionScores(outputs: Float32Array[], metric: number[], others: Float32Array[] = []): number[] {
  const w = referenceWeights(metric);
  const total = w.reduce((a, b) => a + b, 0);
  return [...outputs, ...others].map((o) => {
    let se = 0;
    for (let i = 0; i < o.length; i++) {
      let avg = 0;
      outputs.forEach((p, k) => {
        avg += (w[k] * p[i]) / total;
      });
      se += (o[i] - Math.fround(avg)) ** 2;
    }
    return se === 0 ? Infinity : -10 * Math.log10(se / o.length);
  });
}
const planar = (r: { image: Image }) => toPlanar(splitAlpha(r.image).color);

describe('architecture search', () => {
  it('on the image itself (short side ≤ 64): ranks, fits the union of the cohorts, selects as ISNAS-DIP does, costs from the cohort fits', async () => {
    const events: SearchProgress[] = [];
    const metrics = ['psd-db-strip-mse', 'psd-strip-hist-emd'];
    const valid = validateRestoreOptions(tiny(noisy(48, 40, 1), { candidates: 4, cohort: 3, metrics, iterations: 5, prefer: 'speed' }));
    const out = await searchWith(nodePlatform, valid, fit, { onProgress: (p) => events.push(p) });
    const s = out.summary;
    expect(s.ranking.map((r) => r.scores[metrics[0]])).toEqual([...s.ranking.map((r) => r.scores[metrics[0]])].sort((a, b) => a - b));
    const top = (m: string) =>
      [...s.ranking]
        .sort((a, b) => a.scores[m] - b.scores[m])
        .slice(0, 3)
        .map((r) => r.genotype);
    expect(new Set(s.cohort.map((m) => m.genotype))).toEqual(new Set([...top(metrics[0]), ...top(metrics[1])]));
    for (const m of s.cohort) expect(m.cohortOf).toEqual(metrics.filter((x) => top(x).includes(m.genotype)));

    const primary = top(metrics[0]);
    const outputs = primary.map((g) => toPlanar(splitAlpha(out.fits.get(g)!.result.image).color));
    const expected = selectionScores(
      outputs,
      primary.map((g) => s.cohort.find((m) => m.genotype === g)!.scores[metrics[0]]),
    );
    primary.forEach((g, i) => expect(s.cohort.find((m) => m.genotype === g)!.selectionScore).toBeCloseTo(expected[i], 3));
    expect(s.selected[metrics[0]]).toBe(primary[expected.indexOf(Math.max(...expected))]);

    const trade = s.cohort.map((m) => ({ score: m.selectionScore, cost: m.cost.secondsPerStep }));
    const isnas = s.cohort.findIndex((m) => m.genotype === s.selected[metrics[0]]);
    expect(s.chosen).toBe(s.cohort[cheapestWithin(trade, isnas, PREFER_TOLERANCE_DB.speed)].genotype);
    for (const m of s.cohort) {
      expect(m.fit.iterations).toBeLessThanOrEqual(5);
      expect(m.cost.secondsPerStep).toBeGreaterThan(0);
      expect(m.cost.parameters).toBeGreaterThan(0);
    }
    expect(s.defaultNet).toBe('exclude');
    expect(s.contender).toBeNull();
    expect(s.cohortImage).toEqual({ width: 48, height: 40 });
    expect(s.phases.screen.units).toBe(4);
    expect(s.phases.cohort.units).toBe(s.cohort.reduce((n, m) => n + m.fit.iterations, 0));
    expect(s.phases.cost.units).toBe(0);
    expect(s.phases.cohort.cpuSeconds).toBeGreaterThan(0);

    expect(events.filter((e) => e.phase === 'screen').map((e) => e.index)).toEqual([1, 2, 3, 4]);
    const phases = events.map((e) => e.phase);
    expect(phases.indexOf('cohort')).toBeGreaterThan(phases.lastIndexOf('screen'));
    expect(events.every((e) => Number.isFinite(e.etaSeconds) && e.etaSeconds >= 0 && e.count >= e.index)).toBe(true);
    expect(events.some((e) => e.fit !== undefined)).toBe(true);
  }, 300_000);

  it("--selection leave-one-out: each member against the others' weighted average, recomputed independently; both rules' scores kept", async () => {
    const valid = validateRestoreOptions(tiny(noisy(48, 40, 3), { candidates: 4, cohort: 3, iterations: 5, prefer: 'quality', selection: 'leave-one-out' }));
    const out = await searchWith(nodePlatform, valid, fit);
    const s = out.summary;
    const metric = s.metrics[0];
    expect(s.selection).toBe('leave-one-out');
    const cohort = s.cohort.filter((m) => m.cohortOf.includes(metric));
    const outputs = cohort.map((m) => planar(out.fits.get(m.genotype)!.result));
    const metricValues = cohort.map((m) => m.scores[metric]);
    const full = selectionScores(outputs, metricValues);
    // The cohort's own weights (max − m)/(max − min), member k's left out of its average.
    const w = referenceWeights(metricValues);
    const loo = outputs.map((o, k) => {
      const rest = w.reduce((a, b, j) => a + (j === k ? 0 : b), 0);
      let se = 0;
      for (let i = 0; i < o.length; i++) {
        let avg = 0;
        outputs.forEach((p, j) => {
          if (j !== k) avg += rest > 0 ? (w[j] * p[i]) / rest : p[i] / (outputs.length - 1);
        });
        se += (o[i] - Math.fround(avg)) ** 2;
      }
      return -10 * Math.log10(se / o.length);
    });
    cohort.forEach((m, k) => {
      expect(m.scoreByRule.average).toBeCloseTo(full[k], 3);
      expect(m.scoreByRule['leave-one-out']).toBeCloseTo(loo[k], 3);
      expect(m.selectionScore).toBe(m.scoreByRule['leave-one-out']);
    });
    expect(s.selected[metric]).toBe(cohort[loo.indexOf(Math.max(...loo))].genotype);
    expect(s.chosen).toBe(s.selected[metric]);
  }, 300_000);

  it("the preset's own network competes: fitted beside the cohort, outside its average, and the choice starts from it when it is closer", async () => {
    const valid = validateRestoreOptions(tiny(noisy(48, 40, 5), { candidates: 3, cohort: 2, iterations: 5, prefer: 'quality', defaultNet: 'compete' }));
    const out = await searchWith(nodePlatform, valid, fit);
    const s = out.summary;
    const metric = s.metrics[0];
    expect(s.defaultNet).toBe('compete');
    expect(s.contender?.arch).toBe('skip');
    const member = s.cohort.find((m) => m.genotype === 'skip')!;
    expect(member).toMatchObject({ scores: {}, cohortOf: [], weight: null });
    expect(out.fits.get('skip')!.result.options.arch).toBe('skip');

    const cohort = s.cohort.filter((m) => m.cohortOf.includes(metric)).map((m) => m.genotype);
    const expected = selectionScores(
      cohort.map((g) => planar(out.fits.get(g)!.result)),
      cohort.map((g) => s.cohort.find((m) => m.genotype === g)!.scores[metric]),
      [planar(out.fits.get('skip')!.result)],
    );
    expect(member.selectionScore).toBeCloseTo(expected[cohort.length], 3);
    const isnasScore = s.cohort.find((m) => m.genotype === s.selected[metric])!.selectionScore;
    expect(s.contender!.preferred).toBe(member.selectionScore > isnasScore);
    expect(s.chosen).toBe(s.contender!.preferred ? 'skip' : s.selected[metric]);
  }, 300_000);

  it("narrower copies of the choice: fitted after the selection, scored against the cohort's average, open to --prefer", async () => {
    const events: SearchProgress[] = [];
    const valid = validateRestoreOptions(tiny(noisy(48, 40, 5), { candidates: 3, cohort: 2, iterations: 5, channels: 32, widthVariants: 2, prefer: 'speed' }));
    const out = await searchWith(nodePlatform, valid, fit, { onProgress: (p) => events.push(p) });
    const s = out.summary;
    const metric = s.metrics[0];
    const isnas = s.selected[metric];
    // 32 channels halve once to the cells' floor of 16: one copy.
    const copies = s.cohort.filter((m) => m.narrowerOf);
    expect(copies.map((m) => m.genotype)).toEqual([`${isnas}_w16`]);
    expect(copies[0]).toMatchObject({ narrowerOf: isnas, scores: {}, cohortOf: [], weight: null, description: expect.stringContaining('16 channels') });
    const copy = out.fits.get(`${isnas}_w16`)!.result;
    expect(copy.options.arch).toBe(`${isnas}_w16`);
    expect(copies[0].cost.parameters).toBeLessThan(s.cohort.find((m) => m.genotype === isnas)!.cost.parameters / 2);

    const cohort = s.cohort.filter((m) => m.cohortOf.includes(metric)).map((m) => m.genotype);
    const expected = selectionScores(
      cohort.map((g) => planar(out.fits.get(g)!.result)),
      cohort.map((g) => s.cohort.find((m) => m.genotype === g)!.scores[metric]),
      [planar(copy)],
    );
    expect(copies[0].selectionScore).toBeCloseTo(expected[cohort.length], 3);
    // ISNAS-DIP's choice is among the screened members only; the cost-aware one among all.
    expect(cohort).toContain(isnas);
    // The copy is also admitted at the cohort's median member's score (a cohort of two: their mean).
    const scores = s.cohort.filter((m) => m.weight !== null).map((m) => m.selectionScore);
    const median = (scores[0] + scores[1]) / 2;
    const trade = s.cohort.map((m) => ({ score: m.selectionScore, cost: m.cost.secondsPerStep, ...(m.narrowerOf && { floor: median }) }));
    const from = s.cohort.findIndex((m) => m.genotype === isnas);
    expect(s.chosen).toBe(s.cohort[cheapestWithin(trade, from, PREFER_TOLERANCE_DB.speed)].genotype);
    expect(s.phases.cohort.units).toBe(s.cohort.reduce((n, m) => n + m.fit.iterations, 0));
    const cohortEvents = events.filter((e) => e.phase === 'cohort');
    expect(new Set(cohortEvents.map((e) => e.count))).toEqual(new Set([3]));
    expect(cohortEvents.at(-1)!.index).toBe(3);
    // Fitted in place of the search, the copy's width wins over the request's --channels 32.
    expect(effectiveSettings(derivedRequest(valid, archChanges(`${isnas}_w16`))).net.crossSkip?.channels).toBe(16);
  }, 300_000);

  it('on a downscaled copy: costs timed at full size, then the chosen genotype fitted from scratch, as a direct --arch fit would', async () => {
    const image = noisy(80, 72, 3);
    const o = tiny(image, { candidates: 2, cohort: 1, iterations: 4, prefer: 'quality' });
    const result = await restoreWith(nodePlatform, o, {});
    const s = result.search!;
    expect(s.cohortImage).toEqual({ width: 71, height: 64 });
    expect(s.phases.cost.units).toBe(s.cohort.length * (1 + TIMED_STEPS));
    expect(s.contender).toBeNull();
    expect(s.chosen).toBe(s.selected['psd-db-strip-mse']);
    expect(result.options.arch).toBe(s.chosen);
    expect(result.image).toMatchObject({ width: 80, height: 72 });
    const direct = await restoreWith(nodePlatform, { ...o, arch: s.chosen, candidates: undefined, cohort: undefined, prefer: undefined }, {});
    expect(Array.from(result.image.data)).toEqual(Array.from(direct.image.data));
  }, 300_000);

  it('the cohort copy keeps a resolved mask (thresholded) and is validated without resolving it again', () => {
    const image = noisy(128, 96, 4);
    for (let i = 0; i < 40 * 3; i++) image.data[i] = 1; // a white run on the first row: the colour to fill
    const valid = validateRestoreOptions({ task: 'inpaint', image, maskColor: 'white', arch: 'auto' });
    const copy = cohortCopy(valid);
    expect(copy).toMatchObject({ width: 85, height: 64, downscaled: true });
    expect(copy.images.mask!.data.every((v) => v === 0 || v === 1)).toBe(true);
    const derived = derivedRequest(valid, { ...copy.images, arch: 'xs1_3_0000000' });
    expect(derived.mask).toBe(copy.images.mask);
    expect(derived.image).toMatchObject({ width: 85, height: 64 });
  });
});
