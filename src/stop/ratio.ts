/**
 * Shi et al.'s automatic stopping (methods.md §3.6): the ratio blur/sharpness of the output settles
 * once the fit has reached the image and starts on the noise; stop at t > 2n when the means of the
 * ratio over the last two windows of n iterations differ by less than ε (n = 100, ε = 0.01).
 */
import { StopAtCurrent, type StepView } from './stopper.js';

export class RatioStopper extends StopAtCurrent {
  readonly name = 'ratio';
  readonly needs = { blurSharp: true };
  private readonly ratios: number[] = [];

  constructor(
    private readonly n = 100,
    private readonly epsilon = 0.01,
  ) {
    super();
  }

  protected shouldStop(step: StepView): boolean {
    const ratio = step.outputs.blur[0] / Math.max(step.outputs.sharp[0], 1e-12);
    this.ratios.push(ratio);
    this.statistic = ratio;
    const i = this.ratios.length - 1;
    const n = this.n;
    if (i <= 2 * n) return false;
    const earlier = mean(this.ratios, i - 2 * n, i - n);
    const recent = mean(this.ratios, i - n + 1, i);
    return Math.abs(earlier - recent) < this.epsilon;
  }

  describe(): string {
    return this.stoppedAt
      ? `blur/sharpness ratio settled (window ${this.n}, ε ${this.epsilon}) at iteration ${this.stoppedAt}`
      : `blur/sharpness ratio (window ${this.n}, ε ${this.epsilon}) had not settled`;
  }
}

function mean(a: number[], from: number, to: number): number {
  let s = 0;
  for (let k = from; k < to; k++) s += a[k];
  return s / Math.max(1, to - from);
}
