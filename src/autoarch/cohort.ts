/**
 * The cohort (methods.md §2.4 steps 2–4): the best K candidates of each metric, each fitted once
 * (a candidate in several metrics' top K is fitted once) on the cohort copy with the task's
 * automatic stopping, then, per metric, the member closest to the metric-weighted average of that
 * metric's cohort. Every fitted member's PSNR against the first (primary) metric's average is its
 * selection score; so is the preset's own network's when it competes (contender.ts), and so are the
 * chosen genotype's narrower copies' (width-variants.ts), outside every average.
 */
import { splitAlpha, toPlanar } from '../image/image.js';
import type { Progress, RestoreResult } from '../options/index.js';
import type { Platform } from '../runtime/engine.js';
import { AbortError } from '../util/errors.js';
import { derivedRequest, type ValidRequest } from '../validate.js';
import { costOfFit, memoryMeter, type FitFn, type MemberCost } from './cost.js';
import type { ScreenResult } from '../search/screen.js';
import { closestToAverage, planarPsnr, topK, type Selection, type SelectionRule } from '../search/select.js';
import type { CohortCopy } from './small-copy.js';
import { archChanges } from '../search/width-variants.js';

/** Per metric its cohort (candidate indices, best first), and the candidates to fit: the union, primary metric's first. */
export interface CohortPlan {
  perMetric: Record<string, number[]>;
  members: number[];
}

export function planCohort(screen: ScreenResult, metrics: readonly string[], k: number): CohortPlan {
  const perMetric = Object.fromEntries(
    metrics.map((m) => [
      m,
      topK(
        screen.candidates.map((c) => c.scores[m]),
        k,
      ),
    ]),
  );
  const members = [...new Set(metrics.flatMap((m) => perMetric[m]))];
  return { perMetric, members };
}

/** What the cohort phase fits: a screened genotype (its index in the screening), or the preset's own network (null). */
export interface Contestant {
  /** The arch to fit: a printed genotype, or the preset's network's name. */
  name: string;
  candidate: number | null;
  /** A narrower copy (width-variants.ts) of this fitted genotype: not screened, in no average. */
  narrowerOf?: string;
}

export interface FittedMember extends Contestant {
  result: RestoreResult;
  /** Its output's colour channels, planar (what the average is taken over). */
  output: Float32Array;
  /** Its cost at full resolution when the cohort copy is the image itself; measured separately otherwise. */
  cost?: MemberCost;
}

export interface CohortFitOptions {
  platform: Platform;
  valid: ValidRequest;
  copy: CohortCopy;
  ceiling: number;
  fit: FitFn;
  signal?: AbortSignal;
  /** Before member k (0-based) starts, and at each of its steps. */
  onMember?: (k: number, progress?: Progress) => void;
  onFitted?: (k: number, member: FittedMember) => void;
}

/** Fits the contestants one after the other, each on the cohort copy with the same ceiling and automatic stopping. */
export async function fitCohort(contestants: readonly Contestant[], o: CohortFitOptions): Promise<FittedMember[]> {
  const fitted: FittedMember[] = [];
  for (const [k, contestant] of contestants.entries()) {
    const { name } = contestant;
    if (o.signal?.aborted) throw new AbortError('the architecture search was aborted');
    o.onMember?.(k);
    const request = derivedRequest(o.valid, { ...o.copy.images, ...archChanges(name), iterations: o.ceiling, stop: 'auto' });
    const meter = memoryMeter(o.platform);
    const result = await o.fit(request, {
      signal: o.signal,
      onProgress: (p) => {
        meter.sample();
        o.onMember?.(k, p);
      },
    });
    const member: FittedMember = { ...contestant, result, output: toPlanar(splitAlpha(result.image).color) };
    if (!o.copy.downscaled) member.cost = costOfFit(result, meter.grown());
    fitted.push(member);
    o.onFitted?.(k, member);
  }
  return fitted;
}

export interface CohortSelection {
  /** Per metric: the position in `fitted` of its choice. */
  selected: Record<string, number>;
  /** Per fitted member: its selection score under the rule in use (see SelectionRule). */
  scores: number[];
  /** Per fitted member, under each rule: PSNR against the primary metric's weighted average, or (members of that cohort) the others'. */
  scoresByRule: Record<SelectionRule, number[]>;
  /** Per fitted member: its weight in that average, null when it is not in the primary cohort. */
  weights: (number | null)[];
  /** Position in `fitted` of the preset's own network, when it competed (it is in no metric's average). */
  contender: number | null;
  /** The primary metric's weighted average of its cohort's outputs (planar), what every score is measured against. */
  average: Float32Array;
}

/**
 * Luma PSNR for colour super-resolution (the paper's rule), RGB otherwise. Fitted networks outside
 * the primary cohort (the contender, narrower copies) are scored against its whole average under
 * either rule: for them that is the others' average.
 */
export function selectFromCohort(
  plan: CohortPlan,
  fitted: readonly FittedMember[],
  screen: ScreenResult,
  look: { channels: number; channel: 'rgb' | 'y'; rule: SelectionRule },
): CohortSelection {
  const metrics = Object.keys(plan.perMetric);
  const position = new Map(fitted.map((f, i) => [f.candidate, i]));
  const selected: Record<string, number> = {};
  let primary: { members: number[]; selection: Selection } | null = null;
  for (const metric of metrics) {
    const members = plan.perMetric[metric].map((c) => position.get(c)!);
    const values = plan.perMetric[metric].map((c) => screen.candidates[c].scores[metric]);
    const selection = closestToAverage(
      members.map((i) => fitted[i].output),
      values,
      look.channels,
      look.channel,
      look.rule,
    );
    selected[metric] = members[selection.chosen];
    primary ??= { members, selection };
  }
  const { members, selection } = primary!;
  const { average } = selection;
  const byRule = (rule: SelectionRule) =>
    fitted.map((f, i) => (members.includes(i) ? selection.psnrByRule[rule][members.indexOf(i)] : planarPsnr(f.output, average, look.channels, look.channel)));
  const scoresByRule = { average: byRule('average'), 'leave-one-out': byRule('leave-one-out') };
  const weights = fitted.map((_, i) => (members.includes(i) ? selection.weights[members.indexOf(i)] : null));
  const contender = fitted.findIndex((f) => f.candidate === null);
  return { selected, scores: scoresByRule[look.rule], scoresByRule, weights, contender: contender < 0 ? null : contender, average };
}
