/** The RestoreResult of a finished fit: the image, how the fit went, and every effective setting. */
import type { FitOutcome } from '../fit/types.js';
import type { StepGraph } from '../fit/step-graph.js';
import { RESTORE_OPTIONS, type OptionSpec, type RestoreResult } from '../options/index.js';
import type { Engine } from '../runtime/engine.js';
import { printGenotype } from '../search/genotype.js';
import type { RunSetup } from './setup.js';

export function resultOf(run: RunSetup, step: StepGraph, engine: Engine, outcome: FitOutcome): RestoreResult {
  const finish = run.problem.finish;
  return {
    image: finish(outcome.output),
    iterations: outcome.iterations,
    stopReason: outcome.stopReason,
    bestIteration: outcome.bestIteration,
    history: outcome.history,
    seconds: outcome.seconds,
    backend: engine.backend,
    recoveries: outcome.recoveries,
    options: effectiveOptions(run, step, engine),
    ...(outcome.oracle && { oracle: { iteration: outcome.oracle.iteration, image: finish(outcome.oracle.output) } }),
    ...(outcome.watched && {
      watched: {
        stoppedAt: outcome.watched.stoppedAt,
        iteration: outcome.watched.iteration,
        image: finish(outcome.watched.output),
        reason: outcome.watched.reason,
      },
    }),
  };
}

/** Every setting the fit used, for reports: the effective settings and the task's own options. */
function effectiveOptions(run: RunSetup, step: StepGraph, engine: Engine): Record<string, unknown> {
  const { settings: s, request: o, problem } = run;
  return {
    task: o.task,
    preset: s.preset,
    // A cross-skip net is reported by its genotype, which --arch takes back.
    arch: s.net.crossSkip && s.arch === 'cross-skip' ? printGenotype(s.net.crossSkip.genotype) : s.arch,
    network: run.net.description,
    parameters: step.params.count,
    input: s.input,
    inputDepth: run.inputShape[1],
    canvas: problem.canvas,
    lr: s.lr,
    iterations: s.iterations,
    stop: s.stop,
    stopRule: run.stopper?.describe(),
    regNoise: s.regNoise,
    smoothing: s.smoothing,
    backtracking: s.backtracking,
    returnSmoothed: s.returnSmoothed,
    tv: s.tv ?? 0,
    lipschitz: s.lipschitz ?? 0,
    lrSchedule: s.lrSchedule ?? 'constant',
    widthProfile: s.widthProfile ?? 'as the network says',
    coarseIterations: s.coarseIterations ?? 0,
    trained: s.trainable === 'projector' ? 'batch norm and input code (weights frozen)' : 'every weight',
    ...taskOptions(run),
    seed: run.seed,
    backend: engine.backend,
    threads: engine.threads,
  };
}

/** The scalar options the task accepts, as given or at the table's default. */
function taskOptions(run: RunSetup): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of run.task.options) {
    const spec: OptionSpec = RESTORE_OPTIONS[key];
    if (spec.kind.image) continue;
    const value = run.request[key] ?? spec.kind.choices?.find((c) => String(c) === spec.default);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
