/** The cost-aware choice and the quality/cost frontier on synthetic scores and costs, and the search's ETA. */
import { describe, expect, it } from 'vitest';
import { cheapestWithin, onFrontier, PREFER_TOLERANCE_DB, tradeoffs } from '../src/search/cost-aware.js';
import { medianStepSeconds } from '../src/autoarch/cost.js';
import { SearchEta } from '../src/autoarch/eta.js';
import { Rng } from '../src/util/random.js';

// score (dB, higher better), cost (s/step, lower better)
const items = [
  { score: 30.0, cost: 2.0 }, // 0: the best score
  { score: 29.8, cost: 1.0 }, // 1: 0.2 dB lower, 2× cheaper
  { score: 29.2, cost: 0.5 }, // 2: 0.8 dB lower, 4× cheaper
  { score: 28.0, cost: 0.6 }, // 3: dominated by 2
  { score: 29.8, cost: 1.0 }, // 4: a tie with 1
  { score: 27.0, cost: 0.2 }, // 5: 3 dB lower, cheapest
];

describe('cost-aware choice', () => {
  it('takes the cheapest member within the tolerance of the reference (ISNAS-DIP’s choice); ties go to the earlier one', () => {
    expect(cheapestWithin(items, 0, 0)).toBe(0);
    expect(cheapestWithin(items, 0, 0.2)).toBe(1);
    expect(cheapestWithin(items, 0, 0.5)).toBe(1);
    expect(cheapestWithin(items, 0, 1.5)).toBe(2);
    expect(cheapestWithin(items, 0, 3)).toBe(5);
    // The reference need not be the best score: the floor is relative to it.
    expect(cheapestWithin(items, 3, 0.1)).toBe(2);
    expect(cheapestWithin([{ score: Number.POSITIVE_INFINITY, cost: 3 }, ...items], 0, 1)).toBe(0);
  });

  it('agrees with a brute-force definition on random sets', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 200; trial++) {
      const set = Array.from({ length: 1 + Math.floor(rng.uniform() * 8) }, () => ({ score: 25 + 5 * rng.uniform(), cost: 0.1 + rng.uniform() }));
      const ref = Math.floor(rng.uniform() * set.length);
      const tol = rng.uniform() * 2;
      const pick = cheapestWithin(set, ref, tol);
      const eligible = set.filter((s) => s.score >= set[ref].score - tol);
      expect(set[pick].score).toBeGreaterThanOrEqual(set[ref].score - tol);
      expect(set[pick].cost).toBe(Math.min(...eligible.map((s) => s.cost)));
      const front = onFrontier(set);
      set.forEach((a, i) => {
        const dominated = set.some((b) => b.score >= a.score && b.cost <= a.cost && (b.score > a.score || b.cost < a.cost));
        expect(front[i]).toBe(!dominated);
      });
    }
  });

  it("admits a narrower copy at the cohort's median member's score, beyond the tolerance; members keep the tolerance alone", () => {
    // Members (weights) score 40, 39, 37, 36, 35 (median 37); the copies score 37.5 and 36.5.
    const fitted = [
      ...[40, 39, 37, 36, 35].map((score, k) => ({ score, cost: 1 + k / 100, weight: 1 - k / 4 })),
      { score: 36.9, cost: 0.9, weight: null }, // a competing default, outside the average: no floor
      { score: 37.5, cost: 0.4, weight: null, narrowerOf: 'xs1_1_0000001' },
      { score: 36.5, cost: 0.1, weight: null, narrowerOf: 'xs1_1_0000001' },
    ];
    const trade = tradeoffs(fitted);
    expect(trade.map((t) => t.floor)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, 37, 37]);
    expect(cheapestWithin(trade, 0, 0)).toBe(0);
    expect(cheapestWithin(trade, 0, 0.5)).toBe(6); // 2.5 dB below the choice, above the median
    expect(cheapestWithin(trade, 0, 3.5)).toBe(7); // the tolerance alone admits the cheaper copy
    // Without the copies, the tolerance decides as before.
    expect(cheapestWithin(trade.slice(0, 6), 0, 3.2)).toBe(5);
    // An even cohort's median is the mean of its middle two.
    expect(tradeoffs([...fitted.slice(0, 4), fitted[6]]).at(-1)!.floor).toBe(38);
  });

  it('marks the frontier: no member both better and cheaper; equal members both stay', () => {
    expect(onFrontier(items)).toEqual([true, true, true, false, true, true]);
  });

  it('preferences: quality is ISNAS-DIP’s choice, speed gives up more than balanced', () => {
    expect(PREFER_TOLERANCE_DB.quality).toBe(0);
    expect(PREFER_TOLERANCE_DB.balanced).toBeGreaterThan(0);
    expect(PREFER_TOLERANCE_DB.speed).toBeGreaterThan(PREFER_TOLERANCE_DB.balanced);
  });
});

describe('search timing', () => {
  it('the median step leaves out the first one (it pays for allocations)', () => {
    // Steps took 5 (the first), then 1, 2, 1.5, 1.5 s.
    const h = [5, 6, 8, 9.5, 11].map((seconds, i) => ({ iteration: i + 1, loss: 0, seconds }));
    expect(medianStepSeconds(h)).toBe(1.5);
    expect(medianStepSeconds(h.slice(0, 3))).toBe(1.5); // 1 and 2: the mean of the middle two
    expect(medianStepSeconds(h.slice(0, 1))).toBe(5); // one step: all there is
  });

  it('ETA: screening at its mean, cohort fits at the running one’s speed, then at the finished ones’ mean', () => {
    const eta = new SearchEta({ candidates: 10, members: 3, costRuns: 3, ceiling: 100, pixelRatio: 0.25 });
    eta.screened(2, 0.5);
    eta.screened(4, 0.5);
    // 8 candidates at 3 s; 3 fits guessed at 100 · 3 · 0.5 · 0.25 = 37.5 s; 3 cost runs at 4 · 3 · 0.5 + 2 · 3 = 12 s.
    expect(eta.secondsLeft({ phase: 'screen', index: 2, count: 10 })).toBeCloseTo(8 * 3 + 3 * 37.5 + 3 * 12);
    // Fit 1 at 10 it/s, 40 done: 6 s left for it, 10 s for each of the 2 others.
    const fit = { iteration: 40, total: 100, loss: 0, iterationsPerSecond: 10 };
    expect(eta.secondsLeft({ phase: 'cohort', index: 1, count: 3, fit })).toBeCloseTo(6 + 2 * 10 + 3 * 12);
    eta.fitted(20);
    expect(eta.secondsLeft({ phase: 'cohort', index: 2, count: 3 })).toBeCloseTo(2 * 20 + 3 * 12);
    eta.costed(5);
    expect(eta.secondsLeft({ phase: 'cost', index: 2, count: 3 })).toBeCloseTo(2 * 5);
  });
});
