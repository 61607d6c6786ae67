/**
 * Beyond the paper: a choice that weighs quality against cost. Every fitted cohort member has a
 * selection score (PSNR of its output against the cohort's weighted average, higher = closer) and a
 * measured cost per step at full resolution. ISNAS-DIP takes the highest score; a preference accepts
 * a score up to a tolerance below it and takes the cheapest member that stays within it.
 */
import type { SearchPreference } from './types.js';

export const PREFERENCES = ['quality', 'balanced', 'speed'] as const satisfies readonly SearchPreference[];

/** dB of selection score a preference gives up for speed (quality: none, i.e. ISNAS-DIP's choice). */
export const PREFER_TOLERANCE_DB: Readonly<Record<SearchPreference, number>> = { quality: 0, balanced: 0.5, speed: 1.5 };

export interface Tradeoff {
  /** Higher is better (dB). */
  score: number;
  /** Lower is better (seconds per step). */
  cost: number;
}

/** For each item: is no other item at least as good in both and better in one (the quality/cost frontier)? */
export function onFrontier(items: readonly Tradeoff[]): boolean[] {
  return items.map((a, i) => items.every((b, j) => j === i || !(b.score >= a.score && b.cost <= a.cost && (b.score > a.score || b.cost < a.cost))));
}

/**
 * The cheapest item whose score is at least the reference item's minus `toleranceDb` (ties in cost go
 * to the higher score, then the earlier item); the reference itself with tolerance 0.
 */
export function cheapestWithin(items: readonly Tradeoff[], reference: number, toleranceDb: number): number {
  if (toleranceDb <= 0) return reference;
  const floor = items[reference].score - toleranceDb;
  let pick = reference;
  items.forEach((it, i) => {
    if (!(it.score >= floor)) return;
    const p = items[pick];
    if (it.cost < p.cost || (it.cost === p.cost && it.score > p.score)) pick = i;
  });
  return pick;
}
