/**
 * The per-step policy: the DIP notebooks' backtracking (a loss jump of more than 5 dB sends the
 * weights back to the last saved copy, the bad step's Adam update still applied) and divergence
 * recovery (a non-finite loss: back to the last good weights, fresh moments, half the step; given
 * up after MAX_CONSECUTIVE_FAILURES in a row). The saved weights may be device arrays: the policy
 * holds a reference to them and copies them to the host only on a backtracking step.
 */
import { release, releaseAll, retain, toHost, type StateArray } from '../runtime/device-array.js';

/** A drop of more than 5 dB in fit quality (loss × 10^0.5) triggers the notebooks' backtracking. */
const BACKTRACK_FACTOR = 10 ** 0.5;
/** The notebooks check only when their step counter is not a multiple of show_every (100). */
const BACKTRACK_SKIP_EVERY = 100;
export const MAX_CONSECUTIVE_FAILURES = 5;

/**
 * The weights after a backtracking step, as the official loop leaves them: the saved weights plus the
 * Adam update just computed from the bad step's gradient (Adam's update does not depend on the weights
 * themselves, so it is next − current). A JS loop, but it runs only on the rare blow-up steps.
 */
export function backtrackedParams(saved: Float32Array[], current: Float32Array[], next: Float32Array[]): Float32Array[] {
  return saved.map((s, i) => {
    const out = new Float32Array(s.length);
    const c = current[i];
    const x = next[i];
    for (let k = 0; k < s.length; k++) out[k] = s[k] + (x[k] - c[k]);
    return out;
  });
}

export class StepPolicy {
  /** Retries of the current step after non-finite losses. */
  failures = 0;
  recoveries = 0;
  private saved: { params: StateArray[]; loss: number };
  // The notebooks' counter: it decides which steps are checked and does not advance on a fallback.
  private counter: number;

  constructor(
    private readonly backtracking: boolean,
    params: StateArray[],
    iteration: number,
  ) {
    this.saved = { params: params.map(retain), loss: Number.POSITIVE_INFINITY };
    this.counter = iteration;
  }

  /** A non-finite loss: the weights to go back to, or null when the fit has diverged for good. */
  onNonFinite(): StateArray[] | null {
    this.failures++;
    this.recoveries++;
    return this.failures > MAX_CONSECUTIVE_FAILURES ? null : this.saved.params;
  }

  /** A finite loss: the weights to continue with (the step's, or the backtracked ones). */
  async onFinite(loss: number, current: StateArray[], next: StateArray[]): Promise<StateArray[]> {
    this.failures = 0;
    const check = this.backtracking && this.counter % BACKTRACK_SKIP_EVERY !== 0;
    if (check && loss > this.saved.loss * BACKTRACK_FACTOR) {
      this.recoveries++;
      const host = (a: StateArray[]) => Promise.all(a.map(toHost));
      return backtrackedParams(await host(this.saved.params), await host(current), await host(next));
    }
    // Without backtracking every step is saved (the weights NaN recovery returns to).
    if (check || !this.backtracking) this.save(current, loss);
    this.counter++;
    return next;
  }

  /** Lets go of the saved weights (the fit is over). */
  dispose(): void {
    releaseAll(this.saved.params);
  }

  private save(params: StateArray[], loss: number): void {
    params.forEach(retain);
    this.saved.params.forEach(release);
    this.saved = { params, loss };
  }
}
