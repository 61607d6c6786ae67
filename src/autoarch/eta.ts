/**
 * The search's time left, from the speeds seen so far: screening at its mean time per candidate; a
 * cohort fit at the mean of the finished ones (the running one to its ceiling at its own speed);
 * a timed cost run at the mean of the finished ones. Before a phase has a measurement it is guessed
 * from the screening's forward passes: a training step costs about three forward passes, scaled by
 * the cohort copy's share of the pixels.
 */
import { TIMED_STEPS } from './cost.js';
import type { SearchProgress } from '../search/types.js';

export interface SearchPlan {
  candidates: number;
  members: number;
  /** Timed full-resolution runs (0 when the cohort is fitted at full resolution). */
  costRuns: number;
  /** Iteration ceiling of a cohort fit. */
  ceiling: number;
  /** Pixels of the cohort copy over pixels of the image. */
  pixelRatio: number;
}

export const STEP_PER_FORWARD = 3;

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export class SearchEta {
  private readonly screens: number[] = [];
  private readonly forwards: number[] = [];
  private readonly fits: number[] = [];
  private readonly costs: number[] = [];

  constructor(private plan: SearchPlan) {}

  /** Once the cohorts are known: how many members are fitted (and timed, when timed runs are planned). */
  setMembers(members: number): void {
    this.plan = { ...this.plan, members, costRuns: this.plan.costRuns > 0 ? members : 0 };
  }

  screened(seconds: number, forwardSeconds: number): void {
    this.screens.push(seconds);
    this.forwards.push(forwardSeconds);
  }

  fitted(seconds: number): void {
    this.fits.push(seconds);
  }

  costed(seconds: number): void {
    this.costs.push(seconds);
  }

  /** Seconds left from the state `p` describes: screening after candidate k, a cohort fit k under way, cost run k starting. */
  secondsLeft(p: Omit<SearchProgress, 'etaSeconds' | 'elapsedSeconds'>): number {
    const { candidates, members, costRuns, ceiling, pixelRatio } = this.plan;
    const forward = this.forwards.length ? mean(this.forwards) : 0;
    const perCandidate = this.screens.length ? mean(this.screens) : forward;
    const guessFit = ceiling * STEP_PER_FORWARD * forward * pixelRatio;
    const rate = p.fit?.iterationsPerSecond ?? 0;
    // Before a cohort fit has finished, the one under way tells the speed better than the forward passes.
    const perFit = this.fits.length ? mean(this.fits) : rate > 0 ? ceiling / rate : guessFit;
    const perCost = this.costs.length ? mean(this.costs) : (1 + TIMED_STEPS) * STEP_PER_FORWARD * forward + 2 * perCandidate;
    const screenLeft = p.phase === 'screen' ? candidates - p.index : 0;
    let fitsLeft = p.phase === 'screen' ? members : p.phase === 'cohort' ? members - p.index : 0;
    let current = 0;
    if (p.phase === 'cohort' && p.fit) {
      current = rate > 0 ? (p.fit.total - p.fit.iteration) / rate : perFit;
    } else if (p.phase === 'cohort') fitsLeft++;
    // Cost progress is told as run k starts: it and the ones after it are left.
    const costsLeft = p.phase === 'cost' ? costRuns - p.index + 1 : costRuns;
    return screenLeft * perCandidate + current + fitsLeft * perFit + costsLeft * perCost;
  }
}
