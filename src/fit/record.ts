/** The fit's record: one history entry per iteration (loss, reference PSNR) and the reference-best ("oracle") iterate. */
import type { HistoryEntry } from '../options/index.js';
import type { FitInit } from './types.js';

export class FitRecord {
  readonly history: HistoryEntry[];
  best: { iteration: number; output: Float32Array } | null;
  private bestPsnr = Number.NEGATIVE_INFINITY;
  /** Seconds of the fit before a resume. */
  readonly priorSeconds: number;

  constructor(
    init: FitInit,
    private readonly returnSmoothed: boolean,
    private readonly smoothing: number,
    private readonly referenceCount?: number,
  ) {
    this.history = init.resume?.history.slice() ?? [];
    this.best = init.resume?.best ?? null;
    for (const h of this.history) this.bestPsnr = Math.max(this.bestPsnr, this.scoreOf(h) ?? Number.NEGATIVE_INFINITY);
    this.priorSeconds = this.history.at(-1)?.seconds ?? init.priorSeconds ?? 0;
  }

  /** Records iteration `t`; `current` is the estimate the run would return now. */
  add(t: number, loss: number, seconds: number, out: Record<string, Float32Array>, current: Float32Array): HistoryEntry {
    const entry: HistoryEntry = { iteration: t, loss, seconds };
    if (out.ref_se && this.referenceCount) {
      entry.psnr = psnrFromSe(out.ref_se[0], this.referenceCount);
      if (this.smoothing > 0) entry.psnrSmoothed = psnrFromSe(out.ref_se_avg[0], this.referenceCount);
      const score = this.scoreOf(entry)!;
      if (score > this.bestPsnr) {
        this.bestPsnr = score;
        this.best = { iteration: t, output: current };
      }
    }
    this.history.push(entry);
    return entry;
  }

  private scoreOf(h: HistoryEntry): number | undefined {
    return this.returnSmoothed ? (h.psnrSmoothed ?? h.psnr) : h.psnr;
  }
}

function psnrFromSe(se: number, count: number): number {
  return -10 * Math.log10(Math.max(se / count, 1e-12));
}
