/**
 * ES-WMV (Wang et al., "Early stopping for deep image prior"): the variance of the outputs over a
 * sliding window of W iterations falls while the fit approaches the image and rises once it starts
 * fitting the noise. Track its minimum; stop when no new minimum came for `patience` iterations and
 * return the estimate at the minimum. The window sums are updated inside the step graph.
 */
import type { StepView, Stopper } from './stopper.js';

export class WmvStopper implements Stopper {
  readonly name = 'wmv';
  readonly needs = { wmv: true };
  private readonly window: Float32Array[] = [];
  private readonly squares: number[] = [];
  private sum: Float32Array;
  private squareSum = 0;
  private minVar = Infinity;
  private pick: { iteration: number; output: Float32Array } | null = null;
  private stoppedAt = 0;
  readonly variances: { iteration: number; variance: number }[] = [];
  statistic?: number;

  constructor(
    size: number,
    private readonly w = 100,
    private readonly patience = 500,
  ) {
    this.sum = new Float32Array(size);
  }

  feeds(_next: number): Record<string, Float32Array> {
    const oldest = this.window.length === this.w ? this.window[0] : ZERO.get(this.sum.length);
    return { wmv_sum: this.sum, wmv_oldest: oldest };
  }

  observe(step: StepView): boolean {
    const raw = step.outputs.output;
    this.sum = step.outputs.wmv_sum_next;
    const sq = step.outputs.wmv_sq[0];
    this.window.push(raw);
    this.squares.push(sq);
    this.squareSum += sq;
    if (this.window.length > this.w) {
      this.window.shift();
      this.squareSum -= this.squares.shift()!;
    }
    if (this.window.length < this.w) return false;
    // Var = (1/W) Σ‖x‖² − ‖Σx / W‖², per pixel value.
    const variance = (this.squareSum / this.w - step.outputs.wmv_sum_sq[0] / (this.w * this.w)) / raw.length;
    this.variances.push({ iteration: step.iteration, variance });
    this.statistic = variance;
    if (variance < this.minVar) {
      this.minVar = variance;
      this.pick = { iteration: step.iteration, output: step.estimate };
    } else if (this.pick && step.iteration - this.pick.iteration >= this.patience) {
      this.stoppedAt = step.iteration;
      return true;
    }
    return false;
  }

  best() {
    return this.pick;
  }

  describe(): string {
    const at = this.pick ? `minimum at iteration ${this.pick.iteration}` : 'no minimum yet';
    return this.stoppedAt
      ? `output variance (window ${this.w}) had no new minimum for ${this.patience} iterations (${at}); stopped at ${this.stoppedAt}`
      : `output variance (window ${this.w}, patience ${this.patience}): ${at}`;
  }
}

/** Shared zero buffers (never written) for the not-yet-full window. */
const ZERO = {
  cache: new Map<number, Float32Array>(),
  get(n: number): Float32Array {
    let z = this.cache.get(n);
    if (!z) {
      z = new Float32Array(n);
      this.cache.set(n, z);
    }
    return z;
  },
};
