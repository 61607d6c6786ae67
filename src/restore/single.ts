/**
 * One fit of a whole request: engine → run setup (task problem, network, stopping rule; the preset
 * chosen for the image size on this engine's backend and threads) → one fit (fit-run.ts), or a
 * coarse-to-fine fit of two stages around it (stages.ts). The plan and tiling layers (index.ts,
 * src/tile/) call it once per image or tile; the request was validated at the edge.
 */
import type { RestoreHooks, RestoreOptions, RestoreResult } from '../options/index.js';
import { Engine, type Platform } from '../runtime/engine.js';
import { fitRun } from './fit-run.js';
import { setUpRun } from './setup.js';
import { restoreCoarseToFine } from './stages.js';

export async function restoreSingle(platform: Platform, request: RestoreOptions, hooks: RestoreHooks = {}): Promise<RestoreResult> {
  const engine = await Engine.create(platform, { backend: request.backend, threads: request.threads, log: hooks.log });
  const run = await setUpRun(request, { backend: engine.backend, threads: engine.threads });
  if (run.settings.coarseIterations) return restoreCoarseToFine(engine, run, hooks);
  return (await fitRun(engine, run, hooks)).result;
}
