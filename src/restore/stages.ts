/**
 * A coarse-to-fine fit, as two stages of the one-fit pipeline (fit-run.ts). Stage 0 fits a copy of
 * the image box-downscaled by 2 for `coarseIterations` steps (no stopping rule: the stop is a decision
 * about the full-size fit); stage 1 is the ordinary full-size fit, its rule and its ceiling, starting
 * from stage 0's weights and Adam state (the nets are fully convolutional: the same weights run at
 * both sizes; batch norm normalises with each step's own statistics, so it adapts to the size).
 *
 * The input code is drawn at full size, as a single fit draws it; stage 0 fits on its 2×2 averages,
 * rescaled to the code's spread (src/fit/input-code.ts), so at full size the net sees a code whose
 * local averages are the code it was fitted on. The learning-rate schedule runs over both stages.
 * Checkpoints say their stage: a resume in stage 1 skips stage 0.
 */
import { coarseCode } from '../fit/input-code.js';
import { resampleAntialiased } from '../image/resample.js';
import type { CheckpointData, RestoreHooks, RestoreOptions, RestoreResult } from '../options/index.js';
import type { Engine } from '../runtime/engine.js';
import { Rng } from '../util/random.js';
import { fitRun, type FitRun } from './fit-run.js';
import { setUpRun, type RunSetup } from './setup.js';
import { drawnCode, type StageStart } from './start.js';

export async function restoreCoarseToFine(engine: Engine, run: RunSetup, hooks: RestoreHooks): Promise<RestoreResult> {
  const coarse = await setUpRun(coarseRequest(run));
  const saved = (await hooks.checkpoint?.load()) ?? undefined;
  const sizes = [coarse, run].map((r) => `${r.request.image.width}×${r.request.image.height}`);
  let first: FitRun | undefined;
  if ((saved?.stage ?? 0) === 0) {
    hooks.log?.(`coarse to fine: ${sizes[0]} for ${coarse.settings.iterations} iterations, then ${sizes[1]} from its weights`);
    const code = coarseCode(run.settings.input, drawnCode(run), run.inputShape, coarse.inputShape, new Rng(run.seed));
    first = await fitRun(engine, coarse, stageHooks(hooks, 0, saved), { index: 0, code, offset: 0, priorSeconds: 0 });
    if (first.result.stopReason === 'aborted') return atFullSize(first.result, run);
  }
  const final = first?.final;
  const from = final && { params: final.params, aux: final.aux ?? [], optimizer: optimizerOf(final) };
  const start: StageStart = { index: 1, from, offset: coarse.settings.iterations, priorSeconds: first?.result.seconds ?? 0 };
  const fine = await fitRun(engine, run, stageHooks(hooks, 1, saved), start);
  const stages = [coarse, run].map((r, k) => ({
    width: r.request.image.width,
    height: r.request.image.height,
    iterations: k ? fine.result.iterations : coarse.settings.iterations,
  }));
  return { ...fine.result, stages };
}

/** Stage 0's request: the image at half size, a fixed budget, the preset already chosen (the size no longer picks it). */
function coarseRequest(run: RunSetup): RestoreOptions {
  const { request: o, settings: s } = run;
  const image = resampleAntialiased(o.image, Math.ceil(o.image.width / 2), Math.ceil(o.image.height / 2), 'box');
  const { reference: _r, referenceBorder: _b, ...rest } = o;
  return { ...rest, image, preset: s.preset as RestoreOptions['preset'], iterations: s.coarseIterations, stop: 'fixed', coarseIterations: 0 };
}

function optimizerOf(final: NonNullable<FitRun['final']>): NonNullable<StageStart['from']>['optimizer'] {
  return { m: final.m, v: final.v, adamStep: final.adamStep ?? final.iteration, lrScale: final.lrScale ?? 1 };
}

/**
 * A stage's view of the hooks: the checkpoint it may resume from (a stage-0 checkpoint, or one of a
 * single fit, which stage 0's fingerprint then refuses, belongs to stage 0); snapshots only of the
 * full-size stage (onStart hears of both starts, each with its stage).
 */
function stageHooks(hooks: RestoreHooks, index: number, saved: CheckpointData | undefined): RestoreHooks {
  const store = hooks.checkpoint;
  const checkpoint = store && { load: async () => (saved && (saved.stage ?? 0) === index ? saved : null), save: (d: CheckpointData) => store.save(d) };
  return index === 0 ? { ...hooks, checkpoint, onSnapshot: undefined } : { ...hooks, checkpoint };
}

/** An interrupted stage 0 still returns an image of the requested size: its estimate, upscaled. */
function atFullSize(result: RestoreResult, run: RunSetup): RestoreResult {
  const { width, height } = run.request.image;
  const stages = [{ width: result.image.width, height: result.image.height, iterations: result.iterations }];
  return { ...result, image: resampleAntialiased(result.image, width, height, 'lanczos3'), stages };
}
