/** Where a fit starts: freshly drawn weights and input code, a checkpoint of the same run, or the stage before. */
import { fingerprint } from '../fit/fingerprint.js';
import type { FitInit, OptimizerState } from '../fit/types.js';
import { makeInputCode } from '../fit/input-code.js';
import type { StepGraph } from '../fit/step-graph.js';
import type { CheckpointData, RestoreHooks } from '../options/index.js';
import { InputError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import type { RunSetup } from './setup.js';

/** How one stage of a staged fit (src/restore/stages.ts) starts; a single fit has none. */
export interface StageStart {
  /** Which stage this is; its checkpoints say so. */
  index: number;
  /** The input code, when it is not the one drawn for this run (the coarse stage's: the full one, downscaled). */
  code?: Float32Array;
  /** What the stage before ended with; absent = drawn from the seed. */
  from?: { params: Float32Array[]; aux: Float32Array[]; optimizer: OptimizerState };
  /** Steps of the whole fit before this stage (the learning-rate schedule continues there). */
  offset: number;
  /** Seconds of the stages before (the history's clock continues there). */
  priorSeconds: number;
}

export async function startingPoint(run: RunSetup, step: StepGraph, hooks: RestoreHooks, stage?: StageStart): Promise<FitInit> {
  const drawn = drawnStart(run, step);
  const params = stage?.from?.params ?? drawn.params;
  const z = stage?.code ?? drawn.z;
  const resume = withCode(await loadCheckpoint(run, hooks), z);
  await hooks.onStart?.({
    params: resume?.params ?? params,
    paramShapes: step.params.specs.map((p) => [...p.shape]),
    z: resume?.z ?? z,
    inputShape: run.inputShape,
    ...(stage && { stage: stage.index }),
  });
  return {
    params,
    aux: stage?.from?.aux ?? drawn.aux,
    z,
    data: dataFeeds(run),
    resume,
    moments: stage?.from?.optimizer,
    priorSeconds: stage?.priorSeconds,
  };
}

/**
 * The start a seed draws: the weights, the input code (none when the step trains the code: it is a
 * parameter then) and the Lipschitz vectors, each from its own fork of the seed's generator.
 */
function drawnStart(run: RunSetup, step: StepGraph): { params: Float32Array[]; z: Float32Array; aux: Float32Array[] } {
  const rng = new Rng(run.seed);
  const params = step.params.initialize(rng.fork());
  const z = step.names.z ? drawnCode(run, rng) : new Float32Array(0);
  return { params, z, aux: step.params.initialState(rng.fork()) };
}

/** The run's input code: the task's image input, or drawn from the generator's next fork. */
export function drawnCode(run: RunSetup, rng: Rng = skipParamsFork(run.seed)): Float32Array {
  return run.problem.inputImage ?? makeInputCode(run.settings.input, run.inputShape, rng.fork());
}

/** A seed's generator after the weights' fork: what drawnStart draws the code from. */
function skipParamsFork(seed: number): Rng {
  const rng = new Rng(seed);
  rng.fork();
  return rng;
}

/** A checkpoint without its input code (files omit it: the seed draws it) continues with the drawn one. */
function withCode(saved: CheckpointData | undefined, z: Float32Array): CheckpointData | undefined {
  return saved && saved.z.length === 0 ? { ...saved, z } : saved;
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
