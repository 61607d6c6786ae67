/**
 * restore(): request → run setup (task problem, network, stopping rule) → training-step graph →
 * engine → starting point → fit loop → result. Platform-neutral: the ONNX Runtime flavour and
 * anything file-related are injected, so the same function runs in Node (src/node.ts) and in the
 * browser. A request the caller already validated (validateRestoreOptions) is not checked again.
 */
import { fit } from '../fit/fit.js';
import { keptOutputs } from '../fit/state.js';
import type { RestoreHooks, RestoreOptions, RestoreResult } from '../options/index.js';
import { Engine, type Platform } from '../runtime/engine.js';
import { validateRestoreOptions } from '../validate.js';
import { fitConfigOf, fitHooksOf } from './fit-wiring.js';
import { resultOf } from './result.js';
import { setUpRun } from './setup.js';
import { startingPoint } from './start.js';
import { stepGraphOf } from './step.js';

export async function restoreWith(platform: Platform, options: RestoreOptions, hooks: RestoreHooks = {}): Promise<RestoreResult> {
  const run = await setUpRun(validateRestoreOptions(options));
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

export { effectiveSettings } from '../tasks/settings.js';
