/**
 * One fit of a whole request: run setup (task problem, network, stopping rule) → training-step
 * graph → engine → starting point → fit loop → result. The plan and tiling layers (index.ts,
 * src/tile/) call it once per image or tile; the request was validated at the edge.
 */
import { fit } from '../fit/fit.js';
import { keptOutputs } from '../fit/state.js';
import type { RestoreHooks, RestoreOptions, RestoreResult } from '../options/index.js';
import { Engine, type Platform } from '../runtime/engine.js';
import { fitConfigOf, fitHooksOf } from './fit-wiring.js';
import { resultOf } from './result.js';
import { setUpRun } from './setup.js';
import { startingPoint } from './start.js';
import { stepGraphOf } from './step.js';

export async function restoreSingle(platform: Platform, request: RestoreOptions, hooks: RestoreHooks = {}): Promise<RestoreResult> {
  const run = await setUpRun(request);
  const engine = await Engine.create(platform, { backend: run.request.backend, threads: run.request.threads, log: hooks.log });
  const step = stepGraphOf(run);
  // Weights and Adam moments stay on the device between steps where the backend has one (WebGPU).
  const program = await engine.compile(step.graph, { keep: keptOutputs(step) });
  try {
    const init = await startingPoint(run, step, hooks);
    const outcome = await fit(program, step, init, fitConfigOf(run, hooks), fitHooksOf(run, hooks));
    return resultOf(run, step, engine, outcome);
  } finally {
    await program.release();
  }
}
