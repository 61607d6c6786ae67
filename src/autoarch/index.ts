/** The architecture search behind `arch: 'auto'` and `deep-prior search` (ISNAS-DIP's procedure, with a cost-aware choice). */
export { searchWith, type SearchHooks, type SearchOutcome } from './procedure.js';
export { cohortCopy, COHORT_SHORT_SIDE } from './small-copy.js';
