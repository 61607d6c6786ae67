/**
 * restore(): request → run setup (task problem, network, stopping rule) → training-step graph →
 * engine → starting point → fit loop → result. Platform-neutral: the ONNX Runtime flavour and
 * anything file-related are injected, so the same function runs in Node (src/node.ts) and in the
 * browser. A request the caller already validated (validateRestoreOptions) is not checked again.
 */
import { fit } from '../fit/fit.js';
import { ARCH_AUTO, type RestoreHooks, type RestoreOptions, type RestoreResult } from '../options/index.js';
import { restoreWithSearch } from './auto-arch.js';
import { searchWith, type SearchHooks } from '../autoarch/procedure.js';
import type { SearchSummary } from '../search/types.js';
import { Engine, type Platform } from '../runtime/engine.js';
import { validateRestoreOptions } from '../validate.js';
import { fitConfigOf, fitHooksOf } from './fit-wiring.js';
import { resultOf } from './result.js';
import { setUpRun } from './setup.js';
import { startingPoint } from './start.js';
import { stepGraphOf } from './step.js';

export async function restoreWith(platform: Platform, options: RestoreOptions, hooks: RestoreHooks = {}): Promise<RestoreResult> {
  const valid = validateRestoreOptions(options);
  if (valid.arch === ARCH_AUTO) return restoreWithSearch(platform, valid, hooks, (request, h) => restoreWith(platform, request, h));
  const run = await setUpRun(valid);
  const engine = await Engine.create(platform, { backend: run.request.backend, threads: run.request.threads, log: hooks.log });
  const step = stepGraphOf(run);
  const program = await engine.compile(step.graph);
  try {
    const init = await startingPoint(run, step, hooks);
    const outcome = await fit(program, step, init, fitConfigOf(run, hooks), fitHooksOf(run, hooks));
    return resultOf(run, step, engine, outcome);
  } finally {
    await program.release();
  }
}

/**
 * The architecture search alone (`deep-prior search`): the ranking, the cohort and the choice,
 * without the final fit. Search options as for `arch: 'auto'`.
 */
export async function searchArchitectureWith(platform: Platform, options: RestoreOptions, hooks: SearchHooks = {}): Promise<SearchSummary> {
  const valid = validateRestoreOptions(options.arch === ARCH_AUTO ? options : { ...options, arch: ARCH_AUTO });
  return (await searchWith(platform, valid, (request, h) => restoreWith(platform, request, h), hooks)).summary;
}

export { effectiveSettings } from '../tasks/settings.js';
