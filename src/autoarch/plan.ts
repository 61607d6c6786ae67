/**
 * The plan of a run with `arch: 'auto'`, before the search starts: what each phase of the search
 * (procedure.ts) costs here and the final fit after it. Which network the search chooses is not
 * known yet, and cross-skip networks differ in cost by their cell and skips, so the phases and the
 * final fit are planned for a typical member — the DIP-like cell (bilinear, 3×3 conv, LeakyReLU)
 * with the same-level skips — by the ordinary planner (the calibration, tiles, expected stop); the
 * chosen network's own plan is printed when it is chosen.
 */
import { DEFAULT_CANDIDATES } from '../options/table.js';
import { searchTarget } from '../restore/preview.js';
import type { RunPlan, PlanOptions } from '../plan/plan.js';
import { planRestore } from '../plan/plan.js';
import { blankRequest } from '../plan/step-cost.js';
import type { Plan, SearchPlanned } from '../plan/types.js';
import type { Platform } from '../runtime/engine.js';
import { genotypeFromMatrix, LEVELS, printGenotype } from '../search/genotype.js';
import { archChanges } from '../search/width-variants.js';
import { derivedRequest, type ValidRequest } from '../validate.js';
import { TIMED_STEPS } from './cost.js';
import { STEP_PER_FORWARD } from './eta.js';
import { cohortShape } from './procedure.js';
import { cohortSize } from './small-copy.js';

/** Cell 5: bilinear ×2, then a 3×3 conv and LeakyReLU — the DIP skip net's upsampling. */
const TYPICAL_CELL = 5;
/**
 * Building and loading one candidate's forward graph, beside its forward pass: about 0.2 s on this
 * project's 2-core reference machine (bench:search's screening at 64², one thread: 33–37 CPU s for
 * 128 candidates, of which the forward passes, a third of a 0.3 s step each, are about 13).
 */
const SCREEN_SETUP_SECONDS = 0.2;

/** The typical member at the request's width (the genotype's own width only where channels are given). */
export function typicalGenotype(valid: ValidRequest): string {
  const sameLevel = Array.from({ length: LEVELS }, (_, d) => Array.from({ length: LEVELS }, (_, s) => d === s));
  const g = genotypeFromMatrix(TYPICAL_CELL, sameLevel);
  return printGenotype(valid.channels === undefined ? g : { ...g, width: valid.channels });
}

/** The search's phases and the final fit, planned; the plan returned is the final fit's with `search` added. */
export async function planSearch(platform: Platform, valid: ValidRequest, opts: PlanOptions): Promise<RunPlan> {
  // The search and the final fit both run on the --max-size copy, where one is asked for.
  const target = searchTarget(valid);
  const genotype = typicalGenotype(target);
  const final = await planRestore(platform, derivedRequest(target, archChanges(genotype)), { ...opts, resume: undefined });
  const search = await searchPhases(platform, target, genotype, final.plan, opts);
  const { quickerRun: _, ...plan } = final.plan;
  const withSearch: Plan = {
    ...plan,
    preset: { name: plan.preset.name, chosenForSize: plan.preset.chosenForSize },
    totalSeconds: search.seconds + plan.totalSeconds,
    search,
  };
  return { ...final, plan: withSearch };
}

async function searchPhases(platform: Platform, valid: ValidRequest, genotype: string, final: Plan, opts: PlanOptions): Promise<SearchPlanned> {
  const candidates = valid.candidates ?? DEFAULT_CANDIDATES;
  const { members, ceiling } = cohortShape(valid);
  const copy = cohortSize(valid);
  const memberRequest = derivedRequest(valid, { ...archChanges(genotype), iterations: ceiling });
  const member = copy ? (await planRestore(platform, blankRequest(memberRequest, copy.width, copy.height), { ...opts, resume: undefined })).plan : final;
  const fullStep = final.whole.secondsPerIteration;
  const screenSeconds = candidates * (SCREEN_SETUP_SECONDS + fullStep / STEP_PER_FORWARD);
  const cohortSeconds = members * member.secondsPerIteration * member.iterations * member.tiles;
  const costSeconds = copy ? members * (1 + TIMED_STEPS) * fullStep : 0;
  return {
    genotype,
    candidates,
    screenSeconds,
    members,
    cohortImage: copy ?? { width: valid.image.width, height: valid.image.height },
    cohortIterations: member.iterations,
    cohortSeconds,
    costSeconds,
    seconds: screenSeconds + cohortSeconds + costSeconds,
  };
}
