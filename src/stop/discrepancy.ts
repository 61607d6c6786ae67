/**
 * The discrepancy principle (Morozov) as a stopping rule for denoising: a fit that reproduces the clean
 * image leaves a residual as large as the noise, so stop when the (smoothed) data loss reaches the
 * noise variance, estimated blindly from the input (src/image/noise-level.ts). Before that the fit still
 * misses image content; after it, it is fitting the noise. Returns the estimate at the stop.
 */
import { StopAtCurrent, type StepView } from './stopper.js';

export class DiscrepancyStopper extends StopAtCurrent {
  readonly name = 'discrepancy';
  readonly needs = {};
  private ema?: number;

  /**
   * @param sigma    estimated noise σ (image values in [0, 1])
   * @param lossScale the loss's mean runs over this fraction of counted values (canvas padding is zero-weighted)
   * @param factor   stop when loss ≤ factor · σ² (1 = the principle itself)
   * @param smoothing exponential averaging of the per-step loss (reg-noise makes it jitter)
   * @param warmup   iterations before the rule may fire
   */
  constructor(
    readonly sigma: number,
    private readonly lossScale = 1,
    private readonly factor = 1,
    private readonly smoothing = 0.98,
    private readonly warmup = 100,
  ) {
    super();
  }

  protected shouldStop(step: StepView): boolean {
    const loss = step.outputs.loss[0] / this.lossScale;
    this.ema = this.ema === undefined ? loss : this.smoothing * this.ema + (1 - this.smoothing) * loss;
    const noiseVariance = this.sigma * this.sigma;
    this.statistic = noiseVariance > 0 ? this.ema / noiseVariance : Infinity;
    return step.iteration > this.warmup && noiseVariance > 0 && this.ema <= this.factor * noiseVariance;
  }

  describe(): string {
    const sigma = `σ ≈ ${(this.sigma * 255).toFixed(1)}/255, estimated from the input`;
    return this.stoppedAt
      ? `the fit's residual reached the noise level (${sigma}) at iteration ${this.stoppedAt}`
      : `the fit's residual had not reached the noise level (${sigma})`;
  }
}
