/**
 * The value kind of `arch`: a network by name, `auto` (an image-specific search picks a cross-skip
 * network first, src/search/procedure.ts) or a cross-skip genotype as `deep-prior search` prints it
 * (src/search/genotype.ts). A bad genotype is refused with what is wrong with it.
 */
import { genotypeProblem, looksLikeGenotype, parseGenotype, printGenotype } from '../search/genotype.js';
import { listOr, type Kind } from './kinds.js';
import { ARCHS, type ArchName } from './names.js';

export const ARCH_AUTO = 'auto';

/** A network name, 'auto', or a genotype text such as 'xs1_147_0a3f0c1'. */
export type ArchOption = ArchName | typeof ARCH_AUTO | (string & {});

const NAMES: readonly string[] = [...ARCHS, ARCH_AUTO];

export function isArchName(v: unknown): v is ArchName {
  return (ARCHS as readonly unknown[]).includes(v);
}

export function archKind(): Kind<ArchOption> {
  const describe = `${listOr([...NAMES, 'a cross-skip genotype such as xs1_147_0a3f0c1'])}`;
  return {
    describe,
    problem: (v) => {
      if (typeof v !== 'string') return describe;
      if (NAMES.includes(v)) return null;
      if (!looksLikeGenotype(v)) return describe;
      const problem = genotypeProblem(v);
      return problem && `${describe} (this genotype: ${problem})`;
    },
    // Genotypes become their canonical printed form; anything else is left for problem() to name.
    parse: (text) => {
      const s = text.trim();
      return looksLikeGenotype(s) && genotypeProblem(s) === null ? printGenotype(parseGenotype(s)) : s;
    },
  };
}
