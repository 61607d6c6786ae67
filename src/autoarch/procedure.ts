/**
 * ISNAS-DIP's image-specific search as a product feature (methods.md §2.4), for a validated request:
 *   1. screen: N random cross-skip genotypes, one untrained forward pass each, scored by the metrics;
 *   2. cohort: the best K per metric fitted on the cohort copy (small-copy.ts) with automatic stopping,
 *      and the preset's own network beside them with defaultNet 'compete' (contender.ts); per
 *      metric the member closest to the weighted average of its cohort's outputs (cohort.ts);
 *   3. cost: each member's time per step and memory at full resolution on the backend in use (cost.ts);
 *   4. choice: ISNAS-DIP's (the primary metric's selection), or the competing preset's network where
 *      it scores higher; with widthVariants, that genotype's narrower copies fitted and scored too
 *      (width-variants.ts); with a preference for speed, the cheapest member whose selection score is within a
 *      tolerance of that (cost-aware.ts).
 * The caller then fits the chosen genotype from scratch at full resolution (restore/auto-arch.ts).
 * Fits go through an injected `fit` so the core does not depend on restoreWith.
 */
import { splitAlpha } from '../image/image.js';
import { DEFAULT_CANDIDATES, DEFAULT_COHORT, DEFAULT_METRICS } from '../options/table.js';
import type { Platform } from '../runtime/engine.js';
import { effectiveSettings } from '../tasks/settings.js';
import { taskDefinition } from '../tasks/index.js';
import type { ValidRequest } from '../validate.js';
import { fitCohort, planCohort, selectFromCohort, type CohortPlan, type CohortSelection, type Contestant, type FittedMember } from './cohort.js';
import { referenceChoice } from '../search/contender.js';
import { cheapestWithin, onFrontier, PREFER_TOLERANCE_DB, tradeoffs } from '../search/cost-aware.js';
import { measureCost, TIMED_STEPS, type FitFn, type MemberCost } from './cost.js';
import { SearchEta } from './eta.js';
import { describeGenotype, parseGenotype } from '../search/genotype.js';
import { screenWith, type ScreenResult } from '../search/screen.js';
import { planarPsnr } from '../search/select.js';
import { narrowerCopies, narrowerWidths } from '../search/width-variants.js';
import { CROSS_SKIP_CHANNELS } from '../nets/cross-skip.js';
import { cohortCopy, type CohortCopy } from './small-copy.js';
import type { CohortMember, PhaseCost, SearchPhase, SearchPreference, SearchProgress, SearchSummary } from '../search/types.js';

export interface SearchHooks {
  onProgress?: (p: SearchProgress) => void;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

export interface SearchOutcome {
  summary: SearchSummary;
  /** The cohort copy the members were fitted on. */
  copy: CohortCopy;
  /** The cohort fits by genotype (on the cohort copy), e.g. to reuse when the copy is the image itself. */
  fits: ReadonlyMap<string, FittedMember>;
  /** The cohort fits' iteration ceiling. */
  ceiling: number;
}

interface Run {
  platform: Platform;
  valid: ValidRequest;
  fit: FitFn;
  hooks: SearchHooks;
  eta: SearchEta;
  started: number;
}

/** Times a phase: wall seconds, and CPU seconds where the platform tells them. */
function phaseTimer(platform: Platform): (units: number) => PhaseCost {
  const t0 = performance.now();
  const cpu0 = platform.processUsage?.().cpuSeconds;
  return (units) => {
    const cpu1 = platform.processUsage?.().cpuSeconds;
    return { seconds: (performance.now() - t0) / 1000, cpuSeconds: cpu0 === undefined || cpu1 === undefined ? null : cpu1 - cpu0, units };
  };
}

function report(run: Run, p: Omit<SearchProgress, 'etaSeconds' | 'elapsedSeconds'>): void {
  run.hooks.onProgress?.({ ...p, elapsedSeconds: (performance.now() - run.started) / 1000, etaSeconds: run.eta.secondsLeft(p) });
}

async function screenPhase(run: Run, metrics: string[]): Promise<ScreenResult> {
  const { valid } = run;
  const scale = taskDefinition(valid.task).outputScale?.(valid) ?? 1;
  const count = valid.candidates ?? DEFAULT_CANDIDATES;
  return screenWith(
    run.platform,
    {
      image: valid.image,
      mask: valid.mask,
      scale,
      candidates: count,
      metrics,
      seed: valid.seed,
      channels: valid.channels,
      backend: valid.backend,
      threads: valid.threads,
    },
    {
      signal: run.hooks.signal,
      onCandidate: (c, i, n) => {
        run.eta.screened(c.seconds.setup + c.seconds.forward + c.seconds.metrics, c.seconds.forward);
        report(run, { phase: 'screen', index: i + 1, count: n });
      },
    },
  );
}

async function costPhase(run: Run, fitted: FittedMember[]): Promise<MemberCost[]> {
  const costs: MemberCost[] = [];
  for (const [k, member] of fitted.entries()) {
    if (member.cost) {
      costs.push(member.cost);
      continue;
    }
    report(run, { phase: 'cost', index: k + 1, count: fitted.length });
    const t0 = performance.now();
    costs.push(await measureCost(run.platform, run.valid, member.name, run.fit, run.hooks.signal));
    run.eta.costed((performance.now() - t0) / 1000);
  }
  return costs;
}

/**
 * The cohort a request asks for, known before the screening: how many networks are fitted at most
 * (the union of the metrics' top K may be smaller), and each one's iteration ceiling. The search's
 * ETA and its plan (plan.ts) both start from it.
 */
export function cohortShape(valid: ValidRequest): { members: number; ceiling: number } {
  const metrics = new Set(valid.metrics ?? DEFAULT_METRICS).size;
  const narrower = narrowerWidths(valid.channels ?? CROSS_SKIP_CHANNELS, valid.widthVariants ?? 0).length;
  const screened = Math.min((valid.cohort ?? DEFAULT_COHORT) * metrics, valid.candidates ?? DEFAULT_CANDIDATES);
  return { members: screened + (valid.defaultNet === 'compete' ? 1 : 0) + narrower, ceiling: valid.cohortIterations ?? effectiveSettings(valid).iterations };
}

export async function searchWith(platform: Platform, valid: ValidRequest, fit: FitFn, hooks: SearchHooks = {}): Promise<SearchOutcome> {
  const metrics = [...new Set(valid.metrics ?? DEFAULT_METRICS)];
  const copy = cohortCopy(valid);
  const { members: guessMembers, ceiling } = cohortShape(valid);
  const k = valid.cohort ?? DEFAULT_COHORT;
  const compete = valid.defaultNet === 'compete';
  const width = valid.channels ?? CROSS_SKIP_CHANNELS;
  const narrower = narrowerWidths(width, valid.widthVariants ?? 0).length;
  const pixelRatio = (copy.width * copy.height) / (valid.image.width * valid.image.height);
  const plan = { candidates: valid.candidates ?? DEFAULT_CANDIDATES, members: guessMembers, costRuns: copy.downscaled ? guessMembers : 0, ceiling, pixelRatio };
  const run: Run = { platform, valid, fit, hooks, eta: new SearchEta(plan), started: performance.now() };
  const phases = {} as Record<SearchPhase, PhaseCost>;

  let done = phaseTimer(platform);
  const screen = await screenPhase(run, metrics);
  phases.screen = done(screen.candidates.length);
  hooks.log?.(`search: screened ${screen.candidates.length} networks in ${phases.screen.seconds.toFixed(1)} s`);

  const cohort = planCohort(screen, metrics, k);
  const contestants: Contestant[] = cohort.members.map((i) => ({ name: screen.candidates[i].name, candidate: i }));
  if (compete) contestants.push({ name: effectiveSettings(valid).arch, candidate: null });
  const count = contestants.length + narrower;
  run.eta.setMembers(count);
  done = phaseTimer(platform);
  const members = await cohortPhase(run, copy, ceiling, contestants, { offset: 0, count });
  const channels = splitAlpha(valid.image).color.channels;
  const channel = (taskDefinition(valid.task).outputScale?.(valid) ?? 1) > 1 && channels === 3 ? 'y' : 'rgb';
  const score = (output: Float32Array, average: Float32Array) => planarPsnr(output, average, channels, channel);
  const selected = selectFromCohort(cohort, members, screen, { channels, channel, rule: valid.selection ?? 'average' });
  const { fitted, selection } = await withNarrowerCopies(run, { copy, ceiling, width, count, primary: metrics[0] }, members, selected, score);
  phases.cohort = done(fitted.reduce((s, f) => s + f.result.iterations, 0));

  done = phaseTimer(platform);
  const costs = await costPhase(run, fitted);
  phases.cost = done(copy.downscaled ? fitted.length * (1 + TIMED_STEPS) : 0);

  const summary = summarise({ valid, screen, metrics, cohort, fitted, selection, costs, copy, phases, started: run.started, k });
  const fits = new Map(fitted.map((f) => [f.name, f]));
  return { summary, copy, fits, ceiling };
}

/**
 * After the selection: the narrower copies of the genotype the choice starts from (none when that is
 * the preset's own network), fitted like the members and scored against the same average, with no weight.
 */
async function withNarrowerCopies(
  run: Run,
  at: { copy: CohortCopy; ceiling: number; width: number; count: number; primary: string },
  members: FittedMember[],
  selected: CohortSelection,
  score: (output: Float32Array, average: Float32Array) => number,
): Promise<{ fitted: FittedMember[]; selection: CohortSelection }> {
  const reference = members[referenceChoice(selected.scores, selected.selected[at.primary], selected.contender)];
  const names = reference.candidate === null ? [] : narrowerCopies(reference.name, at.width, run.valid.widthVariants ?? 0);
  const copies = names.map((name) => ({ name, candidate: null, narrowerOf: reference.name }));
  const extra = await cohortPhase(run, at.copy, at.ceiling, copies, { offset: members.length, count: at.count });
  const extraScores = extra.map((f) => score(f.output, selected.average));
  const scoresByRule = {
    average: [...selected.scoresByRule.average, ...extraScores],
    'leave-one-out': [...selected.scoresByRule['leave-one-out'], ...extraScores],
  };
  const scores = [...selected.scores, ...extraScores];
  return { fitted: [...members, ...extra], selection: { ...selected, scores, scoresByRule, weights: [...selected.weights, ...extra.map(() => null)] } };
}

/** Fits contestants as members `offset + 1` … of `count` (what the progress says). */
async function cohortPhase(
  run: Run,
  copy: CohortCopy,
  ceiling: number,
  contestants: Contestant[],
  at: { offset: number; count: number },
): Promise<FittedMember[]> {
  let started = performance.now();
  return fitCohort(contestants, {
    platform: run.platform,
    valid: run.valid,
    copy,
    ceiling,
    fit: run.fit,
    signal: run.hooks.signal,
    onMember: (k, p) => {
      if (!p) started = performance.now();
      const fit = p && { iteration: p.iteration, total: p.total, loss: p.loss, iterationsPerSecond: p.iterationsPerSecond };
      report(run, { phase: 'cohort', index: at.offset + k + 1, count: at.count, ...(fit && { fit }) });
    },
    onFitted: () => run.eta.fitted((performance.now() - started) / 1000),
  });
}

interface SummaryInput {
  valid: ValidRequest;
  screen: ScreenResult;
  metrics: string[];
  cohort: CohortPlan;
  fitted: FittedMember[];
  selection: CohortSelection;
  costs: MemberCost[];
  copy: CohortCopy;
  phases: Record<SearchPhase, PhaseCost>;
  started: number;
  k: number;
}

function summarise(s: SummaryInput): SearchSummary {
  const prefer: SearchPreference = s.valid.prefer ?? 'balanced';
  const toleranceDb = PREFER_TOLERANCE_DB[prefer];
  const trade = tradeoffs(
    s.fitted.map((f, i) => ({ score: s.selection.scores[i], cost: s.costs[i].secondsPerStep, weight: s.selection.weights[i], narrowerOf: f.narrowerOf })),
  );
  const frontier = onFrontier(trade);
  const isnas = s.selection.selected[s.metrics[0]];
  const { contender } = s.selection;
  const reference = referenceChoice(s.selection.scores, isnas, contender);
  const chosen = cheapestWithin(trade, reference, toleranceDb);
  const name = (i: number) => s.fitted[i].name;
  const members = s.fitted.map((f, i) => member(s, f, i, frontier[i]));
  const primary = s.metrics[0];
  const ranking = [...s.screen.candidates]
    .sort((a, b) => (a.scores[primary] ?? Infinity) - (b.scores[primary] ?? Infinity))
    .map((c) => ({ genotype: c.name, scores: c.scores }));
  return {
    chosen: name(chosen),
    prefer,
    toleranceDb,
    selected: Object.fromEntries(Object.entries(s.selection.selected).map(([m, i]) => [m, name(i)])),
    defaultNet: s.valid.defaultNet ?? 'exclude',
    selection: s.valid.selection ?? 'average',
    contender: contender === null ? null : { arch: name(contender), selectionScore: s.selection.scores[contender], preferred: reference === contender },
    metrics: s.metrics,
    candidates: s.screen.candidates.length,
    cohortSize: s.k,
    cohortImage: { width: s.copy.width, height: s.copy.height },
    ranking,
    cohort: members.sort((a, b) => b.selectionScore - a.selectionScore),
    phases: s.phases,
    seconds: (performance.now() - s.started) / 1000,
    backend: s.screen.backend,
    threads: s.screen.threads,
  };
}

function member(s: SummaryInput, f: FittedMember, i: number, frontier: boolean): CohortMember {
  const c = f.candidate === null ? null : s.screen.candidates[f.candidate];
  return {
    genotype: f.name,
    ...(f.narrowerOf && { narrowerOf: f.narrowerOf }),
    description: c
      ? describeGenotype(parseGenotype(c.name))
      : f.narrowerOf
        ? `${describeGenotype(parseGenotype(f.name))}: a narrower copy of the choice, not screened`
        : `the ${effectiveSettings(s.valid).preset} preset's own network (${f.name}), not screened`,
    scores: c?.scores ?? {},
    cohortOf: s.metrics.filter((m) => f.candidate !== null && s.cohort.perMetric[m].includes(f.candidate)),
    selectionScore: s.selection.scores[i],
    scoreByRule: { average: s.selection.scoresByRule.average[i], 'leave-one-out': s.selection.scoresByRule['leave-one-out'][i] },
    weight: s.selection.weights[i],
    fit: { iterations: f.result.iterations, stopReason: f.result.stopReason, seconds: f.result.seconds },
    cost: s.costs[i],
    onFrontier: frontier,
  };
}
