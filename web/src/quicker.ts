/**
 * For a fit that this device would take long over: the largest smaller copy that it fits in a few
 * minutes, found by the command line's own search (src/plan/quicker-run.ts: the same thresholds, the
 * same sizes, down to a quarter of the long side), each size planned like the fit itself (its step
 * graph's footprint at that size, timed by this device's measured speed). The app offers it as a
 * one-click downscale; the preset is the one the plan chose, so the copy keeps the same network.
 */
import type { RestoreOptions } from '../../src/index.js';
import { quickerRun } from '../../src/plan/quicker-run.js';
import type { QuickerRun } from '../../src/plan/types.js';
import { stepSeconds, type DeviceSpeed } from './calibrate.js';
import { planFit, type FitPlan } from './plan-estimate.js';

export { LONG_RUN_SECONDS } from '../../src/plan/quicker-run.js';

/** Seconds of the fit run to its ceiling on a device of `speed` (what the plan shows as "at most"), every tile's. */
export const fitSeconds = (speed: DeviceSpeed, plan: FitPlan) => stepSeconds(speed, plan) * plan.iterations * plan.tiles;

/** The quicker copy for `request` (already planned as `plan`), or null when the fit is not long or no copy is quick enough. */
export function quickerCopy(request: RestoreOptions, plan: FitPlan, speed: DeviceSpeed): Promise<QuickerRun | null> {
  const fixed = { ...request, preset: plan.preset as RestoreOptions['preset'] };
  // quickerRun hands over blank copies at each size (src/plan/step-cost.ts blankRequest): shapes are all a plan reads.
  const planAt = async (r: RestoreOptions) => ({ totalSeconds: fitSeconds(speed, await planFit(r)) });
  return quickerRun(fixed, { totalSeconds: fitSeconds(speed, plan) }, planAt);
}
