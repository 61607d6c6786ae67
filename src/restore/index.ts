/**
 * restore(): request → run setup (task problem, network, stopping rule) → engine → one fit
 * (fit-run.ts: training-step graph, starting point, loop, result), or a coarse-to-fine fit of two
 * stages around it (stages.ts). Platform-neutral: the ONNX Runtime flavour and anything file-related
 * are injected, so the same function runs in Node (src/node.ts) and in the browser. A request the
 * caller already validated (validateRestoreOptions) is not checked again.
 */
import type { RestoreHooks, RestoreOptions, RestoreResult } from '../options/index.js';
import { Engine, type Platform } from '../runtime/engine.js';
import { validateRestoreOptions } from '../validate.js';
import { fitRun } from './fit-run.js';
import { setUpRun } from './setup.js';
import { restoreCoarseToFine } from './stages.js';
import { presetSettings } from '../tasks/settings.js';
import { describePlan } from '../tasks/size-preset.js';

export async function restoreWith(platform: Platform, options: RestoreOptions, hooks: RestoreHooks = {}): Promise<RestoreResult> {
  const request = validateRestoreOptions(options);
  const engine = await Engine.create(platform, { backend: request.backend, threads: request.threads, log: hooks.log });
  const machine = { backend: engine.backend, threads: engine.threads };
  const run = await setUpRun(request, machine);
  hooks.log?.(describePlan(request, run.settings, machine, (p) => presetSettings(request, p)));
  if (run.settings.coarseIterations) return restoreCoarseToFine(engine, run, hooks);
  return (await fitRun(engine, run, hooks)).result;
}

export { effectiveSettings } from '../tasks/settings.js';
