/**
 * The change rule, for fits that converge instead of overfitting noise (inpainting, super-resolution,
 * reconstruction, flash / no-flash, enhancement): stop once the returned estimate has stopped moving.
 *
 * It looks at the estimate at iterations that grow geometrically (the schedule below): at each such t it
 * compares the drift over the last half of the run, L = RMS(x_t − x_{t/2}), with the estimate's jitter,
 * s = RMS(x_t − x_{t−w}) over a short window w longer than the smoothing's memory (so s measures how the
 * estimate fluctuates, not how it moves). Both sums come from the step graph (metrics-graph.ts). While the
 * fit still improves, the last half-run moved it further than it jitters (L ≫ s, and L ≈ 2.4 s on a slow
 * reconstruction); once converged it only fluctuates (L ≈ s). The thresholds are the fit's own: a look is
 * quiet when L ≤ (1 + margin)·s — the drift over half the run is within the jitter — or when L is under
 * half an 8-bit grey level, a change no 8-bit output would show (fits without jitter). `patience` quiet
 * looks in a row stop the fit. Halving windows make the rule blind to the budget and to the image's size.
 * Returns the estimate at the stop: for these tasks the latest estimate is the most converged one.
 */
import type { ChangeMonitor } from './metrics-graph.js';
import { StopAtCurrent, type StepView } from './stopper.js';

export interface ChangeRuleOptions {
  /** Looks happen at base × 2, 3, 4, 6, 8, 12, … (even, so every half-run start is a look or a snapshot). */
  base: number;
  /** The short window that measures the jitter. */
  jitterWindow: number;
  /** A look is quiet when the half-run drift is at most (1 + margin) × the jitter. */
  margin: number;
  /** Or when the half-run drift is at most this RMS (image values in [0, 1]). */
  invisible: number;
  /** Quiet looks in a row needed to stop. */
  patience: number;
}

export const CHANGE_DEFAULTS: Omit<ChangeRuleOptions, 'jitterWindow'> = { base: 40, margin: 0.25, invisible: 0.5 / 255, patience: 2 };

/** The jitter window for an estimate averaged with weight β: twice the average's memory 1/(1 − β), at least 30. */
export function jitterWindowFor(smoothing: number): number {
  return Math.max(30, Math.ceil(2 / (1 - smoothing)));
}

/** Is t a look: base · m with m = 2^k or 3 · 2^k, m ≥ 2? */
export function isLook(t: number, base: number): boolean {
  if (t % base !== 0 || t < 2 * base) return false;
  let m = t / base;
  while (m % 2 === 0) m /= 2;
  return m === 1 || m === 3;
}

/** The first look after t. */
export function nextLook(t: number, base: number): number {
  let u = Math.max(t + 1, 2 * base);
  while (!isLook(u, base)) u++;
  return u;
}

export class ChangeStopper extends StopAtCurrent {
  readonly name = 'change';
  readonly needs: { change: ChangeMonitor };
  /** Every look so far: the half-run drift and the jitter (RMS, image values in [0, 1]). */
  readonly looks: { iteration: number; drift: number; jitter: number }[] = [];
  private readonly options: ChangeRuleOptions;
  /** Estimates kept for later looks (a few at a time: half-run starts and jitter-window starts). */
  private readonly snapshots = new Map<number, Float32Array>();
  private readonly zero: Float32Array;
  /** Values of the image's extent (the RMS's count). */
  private readonly count: number;
  private quiet = 0;

  /** @param size the canvas-planar estimate's length; `monitor` what and where the step graph measures. */
  constructor(size: number, channels: number, monitor: ChangeMonitor, options: Partial<ChangeRuleOptions> & Pick<ChangeRuleOptions, 'jitterWindow'>) {
    super();
    this.needs = { change: monitor };
    this.options = { ...CHANGE_DEFAULTS, ...options };
    this.zero = new Float32Array(size);
    this.count = channels * monitor.width * monitor.height;
  }

  override feeds(next: number): Record<string, Float32Array> {
    const refs = this.refsFor(next);
    return { change_ref_long: refs?.long ?? this.zero, change_ref_short: refs?.short ?? this.zero };
  }

  protected shouldStop(step: StepView): boolean {
    const t = step.iteration;
    const { base, jitterWindow: w, margin, invisible, patience } = this.options;
    if (isLook(2 * t, base) || isLook(t + w, base)) this.snapshots.set(t, step.estimate);
    if (!this.refsFor(t)) return false;
    const drift = Math.sqrt(step.outputs.change_long[0] / this.count);
    const jitter = Math.sqrt(step.outputs.change_short[0] / this.count);
    this.looks.push({ iteration: t, drift, jitter });
    this.statistic = drift / Math.max(jitter, 1e-12);
    this.forgetBefore(nextLook(t, base));
    this.quiet = drift <= (1 + margin) * jitter || drift <= invisible ? this.quiet + 1 : 0;
    return this.quiet >= patience;
  }

  /** The snapshots a look at t compares with, or null when t is no look (or a resumed fit lacks them). */
  private refsFor(t: number): { long: Float32Array; short: Float32Array } | null {
    const { base, jitterWindow: w } = this.options;
    // The half-run window must be at least twice the jitter window to tell drift from jitter.
    if (!isLook(t, base) || t < 4 * w) return null;
    const long = this.snapshots.get(t / 2);
    const short = this.snapshots.get(t - w);
    return long && short ? { long, short } : null;
  }

  /** Drops the snapshots no look from `look` on compares with. */
  private forgetBefore(look: number): void {
    const keep = Math.min(look / 2, look - this.options.jitterWindow);
    for (const k of this.snapshots.keys()) if (k < keep) this.snapshots.delete(k);
  }

  describe(): string {
    const { jitterWindow: w, margin, patience } = this.options;
    const last = this.looks.at(-1);
    const rule = `drift over the last half of the run ≤ ${1 + margin} × the jitter over ${w} iterations, or under half a grey level, ${patience} looks in a row`;
    if (this.stoppedAt) return `the estimate stopped moving (${rule}) at iteration ${this.stoppedAt}`;
    const at = last
      ? `; at iteration ${last.iteration} it drifted ${(last.drift * 255).toFixed(2)}/255 against a jitter of ${(last.jitter * 255).toFixed(2)}/255`
      : '';
    return `the estimate was still moving (${rule})${at}`;
  }
}
