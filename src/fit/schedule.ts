/**
 * Learning-rate schedules: the factor on the preset's rate at each step. A schedule is a pure function
 * of the step's index (0 = the first step of the whole fit), so a resumed fit, which restores the
 * index from its checkpoint, continues it exactly; a coarse-to-fine fit runs one schedule over both
 * stages (the full-size stage starts at the index the coarse stage ended at).
 */
import type { LrSchedule } from '../options/index.js';

export interface ScheduleShape {
  /** Steps of the linear warm-up from peak/warmup to peak. */
  warmup: number;
  /** Factor at the end of the warm-up. */
  peak: number;
  /** Step by which a half-cosine has brought the factor back from peak to 1 (constant after). */
  settle: number;
}

/**
 * constant: the preset's rate throughout (the DIP notebooks). warmup: a linear ramp to it over the
 * first 100 steps (Adam's first steps move every weight by about the rate whatever its gradient).
 * boost: the ramp goes to 3× the rate, which then falls back to 1× along a half-cosine by step 500,
 * so the early fit of the coarse content is faster and the late fit, where the stop is decided, is
 * the preset's.
 */
export const SCHEDULES: Record<LrSchedule, ScheduleShape | null> = {
  constant: null,
  warmup: { warmup: 100, peak: 1, settle: 100 },
  boost: { warmup: 50, peak: 3, settle: 500 },
};

/** The factor on the learning rate of step `step` (0-based). */
export function scheduleFactor(shape: ScheduleShape | null, step: number): number {
  if (!shape) return 1;
  const { warmup, peak, settle } = shape;
  if (step < warmup) return (peak * (step + 1)) / warmup;
  if (step >= settle) return 1;
  const progress = (step - warmup) / (settle - warmup);
  return 1 + ((peak - 1) * (1 + Math.cos(Math.PI * progress))) / 2;
}

/** The schedule of a fit whose first step has index `offset` in the whole fit (a later stage's). */
export function learningRateFactor(name: LrSchedule | undefined, offset = 0): (step: number) => number {
  const shape = SCHEDULES[name ?? 'constant'];
  return (step) => scheduleFactor(shape, step + offset);
}
