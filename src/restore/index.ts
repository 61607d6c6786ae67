/**
 * restore(): validated request → preview copy (maxSize) → plan (memory, time, tiles; printed before
 * anything is fitted) → one fit of the whole image (single.ts), or one per tile (src/tile/) when the
 * image does not fit the memory budget → result, with the plan. Platform-neutral: the ONNX Runtime
 * flavour, the machine's memory and the calibration cache are injected, so the same function runs
 * in Node (src/node.ts) and in the browser. A request the caller already validated is not checked again.
 */
import {
  ARCH_AUTO,
  LIBRARY_NAMING,
  type CheckpointData,
  type CheckpointStore,
  type RestoreHooks,
  type RestoreOptions,
  type RestoreResult,
} from '../options/index.js';
import { planSearch } from '../autoarch/plan.js';
import { searchWith, type SearchHooks } from '../autoarch/procedure.js';
import type { PlanEnvironment } from '../plan/environment.js';
import type { Plan } from '../plan/types.js';
import { planLines } from '../plan/format.js';
import { planRestore, type PlanOptions } from '../plan/plan.js';
import type { Platform } from '../runtime/engine.js';
import type { SearchSummary } from '../search/types.js';
import { restoreTiled } from '../tile/tiled.js';
import { restoreWithSearch } from './auto-arch.js';
import { validateRestoreOptions } from '../validate.js';
import { previewOf, searchTarget } from './preview.js';
import { restoreSingle } from './single.js';

export async function restoreWith(platform: Platform, options: RestoreOptions, hooks: RestoreHooks = {}, env: PlanEnvironment = {}): Promise<RestoreResult> {
  const naming = hooks.naming ?? LIBRARY_NAMING;
  const request = validateRestoreOptions(options, naming);
  // --arch auto: the search chooses a genotype, then restoreWith fits it (planned and tiled as any other).
  if (request.arch === ARCH_AUTO) {
    const searchPlan = await planSearch(platform, request, { env, log: hooks.log, naming });
    for (const line of planLines(searchPlan.plan, naming)) hooks.log?.(line);
    return restoreWithSearch(platform, request, hooks, (r, h) => restoreWith(platform, r, h, env));
  }
  const preview = previewOf(request, naming, hooks.log);
  const saved = (await hooks.checkpoint?.load()) ?? null;
  const resume: PlanOptions['resume'] = saved ? { layout: saved.tiles?.layout ?? null } : undefined;
  const run = await planRestore(platform, preview.request, { env, log: hooks.log, naming, resume });
  for (const line of planLines(run.plan, naming)) hooks.log?.(line);
  hooks.onPlan?.(run.plan);
  const result = run.layout
    ? await restoreTiled(platform, run.request, run, hooks, saved)
    : await restoreSingle(platform, run.request, { ...hooks, checkpoint: hooks.checkpoint && loaded(hooks.checkpoint, saved) });
  return preview.finish({ ...result, plan: run.plan });
}

export interface PlanHooks {
  log?: (message: string) => void;
  naming?: RestoreHooks['naming'];
  /** Measure the calibration again even when one is cached. */
  recalibrate?: boolean;
}

/** The plan of a restoration alone (`deep-prior plan`): what restoreWith would print, without fitting. */
export async function planWith(platform: Platform, options: RestoreOptions, hooks: PlanHooks = {}, env: PlanEnvironment = {}): Promise<Plan> {
  const naming = hooks.naming ?? LIBRARY_NAMING;
  const valid = validateRestoreOptions(options, naming);
  const opts = { env, log: hooks.log, naming, recalibrate: hooks.recalibrate };
  if (valid.arch === ARCH_AUTO) return (await planSearch(platform, valid, opts)).plan;
  const preview = previewOf(valid, naming, hooks.log);
  return (await planRestore(platform, preview.request, opts)).plan;
}

/** The caller's store, its checkpoint already read (the plan needed it). */
function loaded(store: CheckpointStore, data: CheckpointData | null): CheckpointStore {
  let first: CheckpointData | null = data;
  return {
    load: async () => {
      const d = first;
      first = null;
      return d;
    },
    save: (d) => store.save(d),
  };
}

/**
 * The architecture search alone (`deep-prior search`): the ranking, the cohort and the choice,
 * without the final fit. Search options as for `arch: 'auto'`.
 */
export async function searchArchitectureWith(platform: Platform, options: RestoreOptions, hooks: SearchHooks = {}): Promise<SearchSummary> {
  const valid = validateRestoreOptions(options.arch === ARCH_AUTO ? options : { ...options, arch: ARCH_AUTO });
  return (await searchWith(platform, searchTarget(valid), (request, h) => restoreWith(platform, request, h), hooks)).summary;
}

export { effectiveSettings } from '../tasks/settings.js';
