/**
 * What a network costs on the backend in use, measured, not modelled: the median time of a training
 * step at full resolution (a few steps after a first one that pays for allocations) and how much the
 * process's resident memory grew while stepping (where the platform tells it; ONNX Runtime's arena
 * hands large blocks back when a session is released, so each member is measured on its own).
 */
import type { HistoryEntry, RestoreHooks, RestoreResult } from '../options/index.js';
import type { Platform } from '../runtime/engine.js';
import { derivedRequest, type ValidRequest } from '../validate.js';
import type { CohortMember } from '../search/types.js';
import { archChanges } from '../search/width-variants.js';
import { median } from '../util/median.js';

/** Steps timed after the first one. */
export const TIMED_STEPS = 3;

export type MemberCost = CohortMember['cost'];

export type FitFn = (request: ValidRequest, hooks: RestoreHooks) => Promise<RestoreResult>;

/** Median seconds between consecutive history entries, the first `skip` steps left out. */
export function medianStepSeconds(history: readonly HistoryEntry[], skip = 1): number {
  const steps: number[] = [];
  for (let i = Math.max(1, skip); i < history.length; i++) steps.push(history[i].seconds - history[i - 1].seconds);
  if (steps.length === 0) return history.length ? history[0].seconds : Number.NaN;
  return median(steps);
}

/** Samples resident memory at every step of a fit; `grown()` is the peak above the level before it. */
export function memoryMeter(platform: Platform): { sample: () => void; grown: () => number | null } {
  const usage = platform.processUsage;
  if (!usage) return { sample: () => {}, grown: () => null };
  const base = usage().residentBytes;
  let peak = base;
  return {
    sample: () => {
      peak = Math.max(peak, usage().residentBytes);
    },
    grown: () => peak - base,
  };
}

/** The cost of a fit that ran at full resolution (the cohort fit itself when the cohort is not downscaled). */
export function costOfFit(result: RestoreResult, memoryBytes: number | null): MemberCost {
  return { secondsPerStep: medianStepSeconds(result.history), memoryBytes, parameters: Number(result.options.parameters) };
}

/** A short timed fit of `arch` on the full-resolution request: 1 + TIMED_STEPS steps, no stopping rule, no reference. */
export async function measureCost(platform: Platform, valid: ValidRequest, arch: string, fit: FitFn, signal?: AbortSignal): Promise<MemberCost> {
  const request = derivedRequest(valid, { ...archChanges(arch), iterations: 1 + TIMED_STEPS, stop: 'fixed', reference: undefined, referenceBorder: undefined });
  const meter = memoryMeter(platform);
  const result = await fit(request, { signal, onProgress: meter.sample });
  return costOfFit(result, meter.grown());
}
