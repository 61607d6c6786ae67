/** Where a fit starts: freshly drawn weights and input code, or a checkpoint of the same run. */
import { fingerprint } from '../fit/fingerprint.js';
import type { FitInit } from '../fit/types.js';
import { makeInputCode } from '../fit/input-code.js';
import type { StepGraph } from '../fit/step-graph.js';
import type { CheckpointData, RestoreHooks } from '../options/index.js';
import { InputError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import type { RunSetup } from './setup.js';

export async function startingPoint(run: RunSetup, step: StepGraph, hooks: RestoreHooks): Promise<FitInit> {
  const rng = new Rng(run.seed);
  const params = step.params.initialize(rng.fork());
  const z = run.problem.inputImage ?? makeInputCode(run.settings.input, run.inputShape, rng.fork());
  const aux = step.params.initialState(rng.fork());
  const resume = await loadCheckpoint(run, hooks);
  await hooks.onStart?.({
    params: resume?.params ?? params,
    paramShapes: step.params.specs.map((p) => [...p.shape]),
    z: resume?.z ?? z,
    inputShape: run.inputShape,
  });
  return { params, aux, z, data: dataFeeds(run), resume };
}

/** The checkpoint to continue from, refused when it belongs to other settings or another image. */
async function loadCheckpoint(run: RunSetup, hooks: RestoreHooks): Promise<CheckpointData | undefined> {
  const loaded = await hooks.checkpoint?.load();
  if (!loaded) return undefined;
  if (loaded.fingerprint !== runFingerprint(run)) {
    throw new InputError('the checkpoint was made with other settings or another input image: resume with the same options and image, or start afresh', {
      code: 'CHECKPOINT_MISMATCH',
    });
  }
  hooks.log?.(`resuming from iteration ${loaded.iteration}`);
  return loaded;
}

export function runFingerprint(run: RunSetup): string {
  return fingerprint(run.request, run.settings);
}

function dataFeeds(run: RunSetup): Record<string, Float32Array> {
  const { problem } = run;
  const data: Record<string, Float32Array> = Object.fromEntries(Object.entries(problem.data).map(([k, d]) => [k, d.values]));
  if (problem.reference) {
    data.reference = problem.reference.values;
    data.reference_weight = problem.reference.weight;
  }
  return data;
}
