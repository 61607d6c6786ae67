/**
 * Beyond the paper: a choice that weighs quality against cost. Every fitted cohort member has a
 * selection score (PSNR of its output against the cohort's weighted average, higher = closer) and a
 * measured cost per step at full resolution. ISNAS-DIP takes the highest score; a preference accepts
 * a score up to a tolerance below it and takes the cheapest member that stays within it.
 */
import { median } from '../util/median.js';
import type { SearchPreference } from './types.js';

export const PREFERENCES = ['quality', 'balanced', 'speed'] as const satisfies readonly SearchPreference[];

/** dB of selection score a preference gives up for speed (quality: none, i.e. ISNAS-DIP's choice). */
export const PREFER_TOLERANCE_DB: Readonly<Record<SearchPreference, number>> = { quality: 0, balanced: 0.5, speed: 1.5 };

export interface Tradeoff {
  /** Higher is better (dB). */
  score: number;
  /** Lower is better (seconds per step). */
  cost: number;
  /** A score at or above which the item is admitted whatever the tolerance (a narrower copy: `tradeoffs`). */
  floor?: number;
}

/** A fitted network as the choice sees it: its selection score, cost, weight in the primary average (null: outside it), and whether it is a narrower copy. */
export interface TradeInput {
  score: number;
  cost: number;
  weight: number | null;
  narrowerOf?: string;
}

/**
 * The trade-offs of the fitted networks. A narrower copy of the choice (width-variants.ts) is also
 * admitted by a preference when its selection score reaches the primary cohort's median member's: its
 * output is measured against an average of wide networks, whose look it does not share, so its score
 * falls with its width whatever its quality (docs/RESULTS.md, the search's narrower copies); being as
 * close to that consensus as the cohort's typical member is the bar, a figure of the image's own cohort.
 */
export function tradeoffs(fitted: readonly TradeInput[]): Tradeoff[] {
  const floor = median(fitted.filter((f) => f.weight !== null).map((f) => f.score));
  const copyFloor = Number.isNaN(floor) ? {} : { floor };
  return fitted.map((f) => ({ score: f.score, cost: f.cost, ...(f.narrowerOf !== undefined && copyFloor) }));
}

/** For each item: is no other item at least as good in both and better in one (the quality/cost frontier)? */
export function onFrontier(items: readonly Tradeoff[]): boolean[] {
  return items.map((a, i) => items.every((b, j) => j === i || !(b.score >= a.score && b.cost <= a.cost && (b.score > a.score || b.cost < a.cost))));
}

/**
 * The cheapest item whose score is at least the reference item's minus `toleranceDb`, or its own floor
 * (ties in cost go to the higher score, then the earlier item); the reference itself with tolerance 0.
 */
export function cheapestWithin(items: readonly Tradeoff[], reference: number, toleranceDb: number): number {
  if (toleranceDb <= 0) return reference;
  const floor = items[reference].score - toleranceDb;
  let pick = reference;
  items.forEach((it, i) => {
    if (!(it.score >= Math.min(floor, it.floor ?? Number.POSITIVE_INFINITY))) return;
    const p = items[pick];
    if (it.cost < p.cost || (it.cost === p.cost && it.score > p.score)) pick = i;
  });
  return pick;
}
