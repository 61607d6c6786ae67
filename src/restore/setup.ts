/**
 * Everything a fit is made of, decided before anything runs: the effective settings, the network,
 * the task's problem on its canvas, the input code's shape and the stopping rule.
 */
import { estimateNoiseSigma } from '../image/noise-level.js';
import { network, type BuiltNetwork } from '../nets/index.js';
import type { RestoreOptions } from '../options/index.js';
import { createStopper, type Stopper } from '../stop/index.js';
import { taskDefinition } from '../tasks/index.js';
import { effectiveSettings, type EffectiveSettings } from '../tasks/settings.js';
import type { Machine } from '../tasks/size-preset.js';
import type { Problem, TaskDefinition } from '../tasks/task.js';

export interface RunSetup {
  request: RestoreOptions;
  task: TaskDefinition;
  settings: EffectiveSettings;
  net: BuiltNetwork;
  problem: Problem;
  inputShape: number[];
  stopper?: Stopper;
  seed: number;
}

/** `machine`: where it will run (the size chooses the preset for it); absent = what the request names. */
export async function setUpRun(request: RestoreOptions, machine?: Machine): Promise<RunSetup> {
  const task = taskDefinition(request.task);
  const settings = effectiveSettings(request, machine);
  const net = network(settings.arch, settings.net, request.image.channels <= 2 ? 1 : 3);
  const problem = await task.prepare(request, { multiple: net.multiple, minSize: net.minSize });
  const inputShape = inputShapeOf(settings, problem, net);
  return { request, task, settings, net, problem, inputShape, stopper: stopperFor(request, settings, problem), seed: request.seed ?? 0 };
}

function inputShapeOf(s: EffectiveSettings, p: Problem, net: BuiltNetwork): number[] {
  const { width, height } = p.canvas;
  if (s.input === 'image') return [1, p.channels, height, width];
  return [1, s.input === 'meshgrid' ? 2 : s.inputDepth, height / net.inputDownscale, width / net.inputDownscale];
}

/** The task's rule (or --stop-rule's) for auto and watch; none for fixed. */
/** The settings' stopping rule for problem `p`; `noiseSigma` replaces the input's estimate (the plan builds blank images). */
export function stopperFor(o: RestoreOptions, s: EffectiveSettings, p: Problem, noiseSigma?: number): Stopper | undefined {
  const rule = s.stopRule;
  if (s.stop === 'fixed') return undefined;
  return createStopper({
    channels: p.channels,
    width: p.canvas.width,
    height: p.canvas.height,
    rule,
    extent: p.extent,
    smoothed: s.returnSmoothed,
    smoothing: s.returnSmoothed ? s.smoothing : 0,
    noiseSigma: rule === 'discrepancy' ? (noiseSigma ?? estimateNoiseSigma(o.image)) : undefined,
    lossScale: lossFraction(p.data.weight?.values),
  });
}

/** The fraction of the loss's mean that counts (padding and masked values weigh 0). */
function lossFraction(weight?: Float32Array): number {
  if (!weight) return 1;
  let sum = 0;
  for (let i = 0; i < weight.length; i++) sum += weight[i];
  return sum / weight.length || 1;
}
