/**
 * The stopping rule inside the loop: obeyed ('auto'), or only watched ('watch': the whole budget
 * runs and the rule's decision is recorded as if it had been obeyed). Absent for 'fixed'.
 */
import type { StopReason } from '../options/index.js';
import type { Stopper } from '../stop/stopper.js';
import type { FitOutcome } from './types.js';

export class StopControl {
  watched: FitOutcome['watched'] = null;

  constructor(
    readonly stopper: Stopper | undefined,
    private readonly watchOnly: boolean,
  ) {}

  /** What the run ends with when nothing stops it earlier. */
  get budgetReason(): StopReason {
    return this.stopper && !this.watchOnly ? 'ceiling' : 'fixed';
  }

  /** The rule's inputs to the step about to run, iteration `next`. */
  feeds(next: number): Record<string, Float32Array> {
    return this.stopper?.feeds(next) ?? {};
  }

  /** Observes iteration `t`; true = stop now. Sets the entry's statistic for the history. */
  observe(t: number, estimate: Float32Array, outputs: Record<string, Float32Array>, entry: { stopStatistic?: number }): boolean {
    const rule = this.stopper;
    if (!rule) return false;
    // Watching goes on observing after the rule fired, so the history has its statistic throughout.
    const fired = rule.observe({ iteration: t, estimate, outputs });
    if (rule.statistic !== undefined) entry.stopStatistic = rule.statistic;
    if (!fired || !this.watchOnly) return fired;
    if (!this.watched) {
      const pick = rule.best() ?? { iteration: t, output: estimate };
      this.watched = { stoppedAt: t, iteration: pick.iteration, output: pick.output, reason: rule.describe() };
    }
    return false;
  }

  /** The rule's pick (null: the last iterate). */
  pick(): { iteration: number; output: Float32Array } | null {
    return this.watchOnly ? null : (this.stopper?.best() ?? null);
  }
}
