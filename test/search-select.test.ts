/** Cohort selection of ISNAS-DIP: top-K, metric weights, weighted average, closest to the average. */
import { describe, expect, it } from 'vitest';
import { fromPlanar } from '../src/image/image.js';
import { psnr } from '../src/image/metrics.js';
import { closestToAverage, cohortWeights, leaveOneOutScores, planarPsnr, topK, weightedAverage } from '../src/search/select.js';
import { Rng } from '../src/util/random.js';

describe('cohort selection', () => {
  it('top-K keeps the lowest values best first, NaN last, ties by position', () => {
    expect(topK([0.5, 0.1, Number.NaN, 0.3, 0.1, 2], 4)).toEqual([1, 4, 3, 0]);
    expect(topK([3, Number.NaN, 1], 3)).toEqual([2, 0, 1]);
    expect(topK([1, 2], 5)).toEqual([0, 1]);
  });

  it('weights are (max − m)/(max − min): 1 for the best, 0 for the worst, linear between; equal values weigh alike', () => {
    expect(cohortWeights([2, 4, 3, 6])).toEqual([1, 0.5, 0.75, 0]);
    expect(cohortWeights([0.7, 0.7])).toEqual([1, 1]);
  });

  it('the weighted average is Σ w·o / Σ w', () => {
    const avg = weightedAverage([Float32Array.from([1, 2]), Float32Array.from([3, 6]), Float32Array.from([10, 10])], [1, 0.5, 0]);
    expect(avg[0]).toBeCloseTo((1 + 1.5) / 1.5, 6);
    expect(avg[1]).toBeCloseTo((2 + 3) / 1.5, 6);
  });

  it('picks the output closest to the average of the cohort, the worst metric not pulling it', () => {
    const rng = new Rng(3);
    const base = rng.fillUniform(new Float32Array(3 * 16));
    const e = rng.fillUniform(new Float32Array(base.length), -1, 1);
    const shifts = [0.0, 0.1, 0.35, 0.2, 5.0];
    const metrics = [1, 2, 3, 1.5, 9]; // weights 1, .875, .75, .9375, 0
    const outputs = shifts.map((d) => base.map((v, i) => v + d * e[i]));
    const sel = closestToAverage(outputs, metrics, 3);
    // Average = base + d̄·e with d̄ the weighted mean shift; the nearest shift wins.
    const w = [1, 0.875, 0.75, 0.9375, 0];
    const mean = shifts.reduce((s, d, i) => s + w[i] * d, 0) / w.reduce((a, b) => a + b, 0);
    const nearest = shifts.map((d) => Math.abs(d - mean)).reduce((best, v, i, all) => (v < all[best] ? i : best), 0);
    expect(sel.weights).toEqual(w);
    expect(sel.chosen).toBe(nearest);
    expect(sel.chosen).toBe(3);
    for (let i = 0; i < base.length; i++) expect(sel.average[i]).toBeCloseTo(base[i] + mean * e[i], 5);
  });

  it("leave-one-out scores each output against the others' weighted average, computed directly", () => {
    const rng = new Rng(5);
    const outputs = [0, 1, 2, 3].map(() => rng.fillUniform(new Float32Array(3 * 9)));
    const weights = [1, 0.25, 0.5, 0];
    const scores = leaveOneOutScores(outputs, weights, 3);
    outputs.forEach((o, k) => {
      const others = outputs.filter((_, j) => j !== k);
      const w = weights.filter((_, j) => j !== k);
      expect(scores[k]).toBeCloseTo(planarPsnr(o, weightedAverage(others, w), 3), 4);
    });
    // Two members: each against the other alone; where the others weigh nothing, they count alike.
    const [a, b] = outputs;
    expect(leaveOneOutScores([a, b], [1, 0], 3)).toEqual([planarPsnr(a, b, 3), planarPsnr(b, a, 3)].map((v) => expect.closeTo(v, 4)));
    expect(leaveOneOutScores([a], [1], 3)).toEqual([Infinity]);
  });

  it("leave-one-out does not follow the heaviest member: an outlier with the best metric wins the cohort's average, not the others'", () => {
    const rng = new Rng(6);
    const base = rng.fillUniform(new Float32Array(3 * 16));
    const e = rng.fillUniform(new Float32Array(base.length), -1, 1);
    // Member 0 screened best (weight 1) but its output lies apart; members 1–2 agree (weights 0.4 each); member 3 weighs 0.
    const shifts = [1.0, 0.02, -0.02, 3.0];
    const metrics = [1, 2.8, 2.8, 4]; // weights 1, 0.4, 0.4, 0
    const outputs = shifts.map((d) => base.map((v, i) => v + d * e[i]));
    const full = closestToAverage(outputs, metrics, 3);
    const loo = closestToAverage(outputs, metrics, 3, 'rgb', 'leave-one-out');
    expect(full.psnrByRule).toEqual(loo.psnrByRule);
    // The whole average sits at shift 1/1.8 ≈ 0.56, pulled by the outlier's own weight: it is the nearest (0.44 away).
    expect(full.chosen).toBe(0);
    // Left out of it, the outlier is 1.0 from the others' average (0), the agreeing members about 0.7 from theirs.
    expect(loo.chosen).toBe(1);
    expect(loo.psnr[0]).toBeLessThan(Math.min(loo.psnr[1], loo.psnr[2]));
    expect(loo.average).toEqual(full.average);
  });

  it('PSNR on RGB and on luma Y matches the image metrics module', () => {
    const rng = new Rng(4);
    const [w, h] = [5, 4];
    const a = rng.fillUniform(new Float32Array(3 * w * h));
    const b = a.map((v) => v + 0.05 * (rng.uniform() - 0.5));
    const [ia, ib] = [fromPlanar(a, w, h, 3), fromPlanar(b, w, h, 3)];
    expect(planarPsnr(a, b, 3)).toBeCloseTo(psnr(ia, ib), 4);
    expect(planarPsnr(a, b, 3, 'y')).toBeCloseTo(psnr(ia, ib, { channel: 'y' }), 4);
    expect(planarPsnr(a, a, 3)).toBe(Infinity);
  });
});
