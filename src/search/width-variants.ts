/**
 * Beyond the paper: narrower copies of the chosen network for the cost-aware choice. The screened
 * genotypes all have the request's width, so their costs per step are close and the cheapest member
 * within a preference's tolerance is rarely cheaper than ISNAS-DIP's choice (docs/RESULTS.md). Width
 * is where the cost is: a convolution's multiply-adds go with its channels squared. So after the
 * selection the chosen genotype is fitted again at half its width, a quarter, … (`widthVariants`
 * halvings, never under the cells' 16 channels), each scored against the same cohort average and
 * open to `--prefer` only (with its own admission bar, cost-aware.ts `tradeoffs`): ISNAS-DIP's own
 * choice stays among the screened members.
 */
import { looksLikeGenotype, parseGenotype, printGenotype, WIDTH_MULTIPLE, withGenotypeWidth } from './genotype.js';

/** Half of `width`, a quarter, … (`halvings` of them at most), while the cells can divide it; widest first. */
export function narrowerWidths(width: number, halvings: number): number[] {
  const widths: number[] = [];
  for (let w = width / 2; widths.length < halvings && w >= WIDTH_MULTIPLE && w % WIDTH_MULTIPLE === 0; w /= 2) widths.push(w);
  return widths;
}

/** The narrower copies of a printed genotype of `width` channels, each printed with its width, widest first. */
export function narrowerCopies(genotype: string, width: number, halvings: number): string[] {
  const g = parseGenotype(genotype);
  return narrowerWidths(width, halvings).map((w) => printGenotype(withGenotypeWidth(g, w)));
}

/**
 * The request changes that fit `arch` in place of the search: a genotype with its own width drops
 * the request's --channels (which set the width of the screened ones), as validation would refuse both.
 */
export function archChanges(arch: string): { arch: string; channels?: undefined } {
  return looksLikeGenotype(arch) && parseGenotype(arch).width !== undefined ? { arch, channels: undefined } : { arch };
}
