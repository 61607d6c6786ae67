/**
 * For a plan that would run long: the quicker run that this machine fits in a few minutes (a cheaper
 * preset, or a --max-size preview), planned like the run itself (the preset --preset auto would choose at that size, its tiles, its
 * expected stop), so the suggestion is a figure of this backend's calibration, not a rule of thumb.
 */
import type { Preset, RestoreOptions } from '../options/index.js';
import { taskDefinition } from '../tasks/index.js';
import { previewSize } from '../restore/preview.js';
import { InputError } from '../util/errors.js';
import { blankRequest } from './step-cost.js';
import type { Plan, QuickerRun } from './types.js';

/** A plan longer than this gets a preview suggestion. */
export const LONG_RUN_SECONDS = 30 * 60;
/** What the suggested preview may take at most. */
export const PREVIEW_SECONDS = 10 * 60;
/** The most a preview is downscaled: beyond, it shows too little of the photo to judge the result by. */
export const MAX_PREVIEW_FACTOR = 4;
/** Long sides (output side) tried, largest first: the largest that fits the preview time is offered. */
const SIDES = [4096, 3072, 2048, 1536, 1024, 768, 512, 384, 256, 128];

/**
 * The first of: the whole image with a cheaper preset, then ever smaller copies down to a quarter of
 * the long side (each with the request's preset, then the cheaper ones) that fits PREVIEW_SECONDS.
 * Where none does (a very large photo), the quickest of them that is not itself a long run, so the
 * plan still names the way to a result today. `planAt` plans a request as the run would (without a
 * hint of its own): the command line's calibrated plan, or the browser app's estimate on its device.
 */
export async function quickerRun(
  o: RestoreOptions,
  plan: Pick<Plan, 'totalSeconds'>,
  planAt: (request: RestoreOptions) => Promise<Pick<Plan, 'totalSeconds'>>,
): Promise<QuickerRun | null> {
  if (plan.totalSeconds <= LONG_RUN_SECONDS) return null;
  let quickest: QuickerRun | null = null;
  for (const candidate of candidates(o)) {
    const small = await planAt(candidate.request).catch(unlessRefused);
    if (!small) continue;
    const run = { ...candidate.run, totalSeconds: small.totalSeconds };
    if (small.totalSeconds <= PREVIEW_SECONDS) return run;
    if (small.totalSeconds <= LONG_RUN_SECONDS && (!quickest || small.totalSeconds < quickest.totalSeconds)) quickest = run;
  }
  return quickest;
}

/** The runs tried, in order of preference: the whole image with a cheaper preset, then the copies by size. */
function* candidates(o: RestoreOptions): Generator<{ request: RestoreOptions; run: Omit<QuickerRun, 'totalSeconds'> }> {
  const presets = presetsToTry(o);
  for (const side of [null, ...SIDES]) {
    const size = side === null ? { width: o.image.width, height: o.image.height, factor: 1 } : previewSize(o, side);
    if (!size) continue;
    if (size.factor > MAX_PREVIEW_FACTOR) return;
    const copy = side === null ? o : blankRequest(o, size.width, size.height);
    for (const preset of side === null ? presets.slice(1) : presets) {
      const run = { ...(side !== null && { maxSize: side }), ...(preset && { preset }), width: size.width, height: size.height, factor: size.factor };
      yield { request: preset ? { ...copy, preset } : copy, run };
    }
  }
}

/**
 * The request's own preset first (undefined); where --preset auto chooses by size, also the task's
 * cheaper presets, so a larger copy with a cheaper fit is preferred to a tiny one with the best.
 */
function presetsToTry(o: RestoreOptions): (Preset | undefined)[] {
  const bySize = !o.preset || o.preset === 'auto' ? (taskDefinition(o.task).bySize ?? []) : [];
  return [undefined, ...bySize.slice(1)];
}

/** A size the budget refuses is no suggestion; anything else is a defect and propagates. */
function unlessRefused(e: unknown): null {
  if (e instanceof InputError) return null;
  throw e;
}
