/**
 * Random points of the search space, as the paper's random search draws them: a cell uniformly among
 * the buildable ones and each of the 25 skips present with probability ½ (the official helper draws
 * the cell from 1–299 and keeps whatever builds; the list it searched spans 0–320).
 */
import type { Rng } from '../util/random.js';
import { BUILDABLE_CELLS } from './cells.js';
import { printGenotype, SKIP_BITS, type Genotype } from './genotype.js';

/** The most candidates one screening takes (the paper screened 5000). */
export const MAX_CANDIDATES = 1_000_000;

export function randomGenotype(rng: Rng): Genotype {
  const cell = BUILDABLE_CELLS[Math.floor(rng.uniform() * BUILDABLE_CELLS.length)];
  // The top 25 bits of one uniform 32-bit draw: 25 independent fair coins.
  const skips = rng.nextU32() >>> (32 - SKIP_BITS);
  return { cell, skips };
}

/** `count` distinct random genotypes; the first k of a longer draw are the draw of k (same seed). */
export function sampleGenotypes(rng: Rng, count: number): Genotype[] {
  const seen = new Set<string>();
  const out: Genotype[] = [];
  while (out.length < count) {
    const g = randomGenotype(rng);
    const key = printGenotype(g);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(g);
  }
  return out;
}
