/** The training-step graph of a run: its network, the task's loss, Adam, reg-noise and monitors. */
import { numel, type Value } from '../graph/graph.js';
import { mul, totalVariation } from '../graph/index.js';
import { ADAM_DEFAULTS, buildStepGraph, type StepGraph, type StepGraphSpec, type TrainableSet } from '../fit/step-graph.js';
import type { TaskSettings } from '../tasks/task.js';
import type { RunSetup } from './setup.js';

/** The Deep Random Projector's trained set (Li et al.): batch-norm scales and shifts and the code, drawn N(0, 0.1²). */
const PROJECTOR: TrainableSet = { roles: ['norm-scale', 'norm-shift', 'code'], code: { kind: 'normal', std: 0.1 } };

export function stepGraphOf(run: RunSetup): StepGraph {
  return buildStepGraph(stepSpecOf(run));
}

/** What the run's step graph is made of (the joint tiled fit builds its tile graph from it). */
export function stepSpecOf(run: RunSetup): StepGraphSpec {
  const { problem, settings: s } = run;
  return {
    inputShape: run.inputShape,
    network: run.net.build,
    loss: { inputs: Object.fromEntries(Object.entries(problem.data).map(([k, d]) => [k, d.shape])), loss: problem.loss, regularizer: regularizerOf(s) },
    adam: { ...ADAM_DEFAULTS, lr: s.lr },
    regNoise: s.regNoise > 0,
    monitorReference: !!problem.reference,
    monitors: run.stopper?.needs,
    lipschitz: s.lipschitz,
    trainable: s.trainable === 'projector' ? PROJECTOR : undefined,
  };
}

/** --tv: the isotropic total variation per value of the output (so a weight means the same at any size). */
function regularizerOf(s: TaskSettings): ((output: Value) => Value) | undefined {
  const weight = s.tv ?? 0;
  return weight > 0 ? (output) => mul(totalVariation(output, 0.5), weight / numel(output.shape)) : undefined;
}
