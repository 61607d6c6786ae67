/**
 * Beyond the paper: the preset's own network as a contender (`defaultNet: 'compete'`). ISNAS-DIP
 * chooses among the cohort only, so on an image where no screened genotype beats the default network
 * it still picks a genotype. Competing, the preset's network is fitted on the cohort copy beside the
 * members, takes no part in the cohort's average (which stays ISNAS-DIP's), is chosen when its output
 * is closer to that average than ISNAS-DIP's choice, and is open to the cost-aware choice. Measured
 * (docs/RESULTS.md, bench:search): it was never closer, its output lying furthest from the
 * cross-skip cohort's average on the four denoising images, so it is off by default. (With a cohort
 * of one the average is that member, which no contender can be closer to.)
 */

export const DEFAULT_NET_MODES = ['compete', 'exclude'] as const;
export type DefaultNetMode = (typeof DEFAULT_NET_MODES)[number];

/**
 * Where the choice starts from (before any cost-aware trade): ISNAS-DIP's choice, or the contender
 * when its selection score is higher. `scores` are every fitted member's; `contender` is its position, if fitted.
 */
export function referenceChoice(scores: readonly number[], isnas: number, contender: number | null): number {
  return contender !== null && scores[contender] > scores[isnas] ? contender : isnas;
}
