/** The training-step graph of a run: its network, the task's loss, Adam, reg-noise and monitors. */
import { ADAM_DEFAULTS, buildStepGraph, type StepGraph } from '../fit/step-graph.js';
import type { RunSetup } from './setup.js';

export function stepGraphOf(run: RunSetup): StepGraph {
  const { problem, settings: s } = run;
  return buildStepGraph({
    inputShape: run.inputShape,
    network: run.net.build,
    loss: { inputs: Object.fromEntries(Object.entries(problem.data).map(([k, d]) => [k, d.shape])), loss: problem.loss },
    adam: { ...ADAM_DEFAULTS, lr: s.lr },
    regNoise: s.regNoise > 0,
    monitorReference: !!problem.reference,
    monitors: run.stopper?.needs,
    lipschitz: s.lipschitz,
  });
}
