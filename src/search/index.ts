/** ISNAS-DIP: the cross-skip search space, training-free metrics, screening and cohort selection. */
export { BUILDABLE_CELLS, CELL_COUNT, cellAt, describeCell, type UpsampleCell } from './cells.js';
export { describeGenotype, genotypeFromMatrix, hasSkip, officialName, parseGenotype, printGenotype, type Genotype } from './genotype.js';
export { LOWPASS_METRICS, PAPER_METRICS, parseMetric, type MetricSpec } from './metrics.js';
export { closestToAverage, cohortWeights, planarPsnr, topK, weightedAverage, type Selection } from './select.js';
export { screeningGraph, screenWith, type ScreenedCandidate, type ScreenHooks, type ScreenRequest, type ScreenResult } from './screen.js';
export { randomGenotype, sampleGenotypes } from './space.js';
export { cheapestWithin, onFrontier, PREFER_TOLERANCE_DB, PREFERENCES } from './cost-aware.js';
export type { CohortMember, PhaseCost, SearchPhase, SearchPreference, SearchProgress, SearchSummary } from './types.js';
export { DEFAULT_NET_MODES, referenceChoice, type DefaultNetMode } from './contender.js';
