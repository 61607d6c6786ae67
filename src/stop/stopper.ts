/**
 * A stopping rule watches a fit (never the ground truth) and says when to stop and which iterate to
 * return. Rules live in this folder; the fit loop only knows this interface. The statistics they need
 * are computed inside the step graph (metrics-graph.ts) and arrive as `outputs`.
 */
import type { MonitorSpec } from './metrics-graph.js';

export interface StepView {
  iteration: number;
  /** The estimate the run would return now (smoothed or raw), canvas-planar. */
  estimate: Float32Array;
  /** Every output of the step graph this iteration (loss, output, blur, sharp, wmv_*). */
  outputs: Record<string, Float32Array>;
}

export interface Stopper {
  readonly name: string;
  /** Which in-graph statistics the rule needs. */
  readonly needs: MonitorSpec;
  /** Extra inputs the rule feeds to the step about to run, iteration `next` (wmv window state, the change rule's snapshots). */
  feeds(next: number): Record<string, Float32Array>;
  /** Called after every iteration; true = stop now. */
  observe(step: StepView): boolean;
  /** The iterate to return, or null for "the last one". */
  best(): { iteration: number; output: Float32Array } | null;
  /** The rule's statistic at the last observed iteration (ratio, window variance), for the history. */
  readonly statistic?: number;
  /** Why and when it stopped, for the report. */
  describe(): string;
}

/**
 * A rule that returns the iterate it stops at (discrepancy, ratio): it keeps the last observed estimate
 * and decides from the step's statistics alone (`shouldStop`), recording where it fired.
 */
export abstract class StopAtCurrent implements Stopper {
  abstract readonly name: string;
  abstract readonly needs: Stopper['needs'];
  statistic?: number;
  /** The iteration the rule fired at (0 = not yet). */
  protected stoppedAt = 0;
  private last: { iteration: number; output: Float32Array } | null = null;

  feeds(_next: number): Record<string, Float32Array> {
    return {};
  }

  observe(step: StepView): boolean {
    this.last = { iteration: step.iteration, output: step.estimate };
    if (!this.shouldStop(step)) return false;
    this.stoppedAt = step.iteration;
    return true;
  }

  best(): { iteration: number; output: Float32Array } | null {
    return this.last;
  }

  /** Updates `statistic` from this step; true = the rule fires here. */
  protected abstract shouldStop(step: StepView): boolean;
  abstract describe(): string;
}
