/**
 * One fit of a run that is set up: its training-step graph compiled on the engine, the starting point
 * (drawn, a checkpoint, or the stage before), the loop, the result. A staged fit (stages.ts) runs it
 * once per stage; the loop's final state is handed back for the stage after.
 */
import { fit } from '../fit/fit.js';
import { keptOutputs } from '../fit/state.js';
import type { FitOutcome } from '../fit/types.js';
import type { RestoreHooks, RestoreResult } from '../options/index.js';
import type { Engine, Program } from '../runtime/engine.js';
import type { StepGraph } from '../fit/step-graph.js';
import { fitConfigOf, fitHooksOf } from './fit-wiring.js';
import { resultOf } from './result.js';
import type { RunSetup } from './setup.js';
import { startingPoint, type StageStart } from './start.js';
import { stepGraphOf } from './step.js';

export interface FitRun {
  result: RestoreResult;
  final: FitOutcome['final'];
}

/** How a run's step becomes a program: by default its graph compiled as it is (src/tile/joint.ts runs it tile by tile). */
export type StepCompiler = (step: StepGraph) => Promise<Program>;

export async function fitRun(engine: Engine, run: RunSetup, hooks: RestoreHooks, stage?: StageStart, compile?: StepCompiler): Promise<FitRun> {
  const step = stepGraphOf(run);
  // Weights and Adam moments stay on the device between steps where the backend has one (WebGPU).
  const program = compile ? await compile(step) : await engine.compile(step.graph, { keep: keptOutputs(step) });
  try {
    const init = await startingPoint(run, step, hooks, stage);
    const outcome = await fit(program, step, init, fitConfigOf(run, hooks, stage), fitHooksOf(run, hooks, stage));
    return { result: resultOf(run, step, engine, outcome), final: outcome.final };
  } finally {
    await program.release();
  }
}
