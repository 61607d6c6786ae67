/**
 * What ISNAS-DIP's search reports: its progress while it runs and, at the end, the whole ranking with
 * each phase's cost (the `search` key of a --report, and `deep-prior search --json`). Plain data.
 */

import type { DefaultNetMode } from './contender.js';
import type { SelectionRule } from './select.js';

export type SearchPhase = 'screen' | 'cohort' | 'cost';

/** The cost-aware choice's trade: quality = ISNAS-DIP's own choice; balanced and speed accept a lower selection score for a cheaper network. */
export type SearchPreference = 'quality' | 'balanced' | 'speed';

export interface SearchProgress {
  phase: SearchPhase;
  /** 1-based: candidate k of N (screen), cohort member k of K (cohort, cost). */
  index: number;
  count: number;
  /** The cohort fit under way (cohort phase): its iteration, ceiling, loss and speed. */
  fit?: { iteration: number; total: number; loss: number; iterationsPerSecond: number };
  /** Seconds since the search started. */
  elapsedSeconds: number;
  /** Seconds left for the whole search at the speeds seen so far (cohort fits counted to their ceiling). */
  etaSeconds: number;
}

/** Wall and process CPU seconds of one phase (CPU is all threads of the process; null where not measured, e.g. in a browser). */
export interface PhaseCost {
  seconds: number;
  cpuSeconds: number | null;
  /** Work units done: candidates screened, cohort fit iterations, timed steps. */
  units: number;
}

export interface CohortMember {
  /** The printed genotype; for the competing default, the preset's network's name (e.g. skip). */
  genotype: string;
  /** For a narrower copy of the choice (width-variants.ts): the genotype it narrows. It is in no cohort and no average. */
  narrowerOf?: string;
  description: string;
  /** Its training-free metric values (lower = better). */
  scores: Record<string, number>;
  /** The metrics whose top K it is in. */
  cohortOf: string[];
  /** PSNR (dB) of its fitted output against the metric-weighted average of the primary metric's cohort: ISNAS-DIP's selection score. */
  selectionScore: number;
  /** Its score under each selection rule (the one in use is `selectionScore`). */
  scoreByRule: Record<SelectionRule, number>;
  /** Its weight in that average (null when it is not in the primary metric's cohort). */
  weight: number | null;
  /** The fit on the cohort copy: iterations done, why it stopped, seconds. */
  fit: { iterations: number; stopReason: string; seconds: number };
  /** Full-resolution cost on the backend in use: median seconds per step, RSS growth while stepping (null where not measurable), parameters. */
  cost: { secondsPerStep: number; memoryBytes: number | null; parameters: number };
  /** Not beaten by another member in both selection score and cost. */
  onFrontier: boolean;
}

export interface SearchSummary {
  /** The genotype the fit uses (`--arch auto`: the cost-aware choice). */
  chosen: string;
  prefer: SearchPreference;
  /** Largest selection-score deficit (dB) the preference accepts against ISNAS-DIP's choice. */
  toleranceDb: number;
  /** ISNAS-DIP's choice per metric (the member closest to that metric's weighted average); the first metric is the primary. */
  selected: Record<string, string>;
  /** Whether the preset's own network competed with the cohort (contender.ts). */
  defaultNet: DefaultNetMode;
  /** What each member was compared with: the cohort's average, or the others' (select.ts). */
  selection: SelectionRule;
  /** The preset's own network when it competed: its selection score, and whether it beat ISNAS-DIP's choice (the choice then starts from it). */
  contender: { arch: string; selectionScore: number; preferred: boolean } | null;
  metrics: string[];
  candidates: number;
  cohortSize: number;
  /** Size the cohort was fitted at (the downscaled copy, or the image itself) and the full canvas the costs were measured at. */
  cohortImage: { width: number; height: number };
  /** Every screened candidate's scores, in screening order. */
  ranking: { genotype: string; scores: Record<string, number> }[];
  /** The fitted members (the contender among them), best selection score first. */
  cohort: CohortMember[];
  phases: Record<SearchPhase, PhaseCost>;
  seconds: number;
  backend: string;
  threads: number;
}
