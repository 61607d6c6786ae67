/**
 * The running fit in numbers: a progress bar, the iteration, the speed, the time left, the loss and
 * (with a reference) the PSNR; for a picture fitted in tiles, which tile and the time left for all of
 * them (the bar counts the current tile's iterations). With automatic stopping the bar counts up to
 * the ceiling and says so: the fit may end well before it, never after. Screen readers hear each
 * quarter, not every step.
 */
import type { Progress } from '../../src/index.js';
import { announce } from './dom.js';
import { formatCount, formatSeconds } from './format.js';

export class ProgressView {
  private quarter = 0;
  private tile = 0;
  private autoStop = false;

  constructor(
    private readonly bar: HTMLProgressElement,
    private readonly line: HTMLElement,
    private readonly phaseLine: HTMLElement,
  ) {}

  start(autoStop: boolean): void {
    this.autoStop = autoStop;
    this.quarter = 0;
    this.tile = 0;
    this.bar.removeAttribute('value');
    this.line.textContent = '';
    this.phase('starting');
  }

  phase(text: string): void {
    this.phaseLine.textContent = text.charAt(0).toUpperCase() + text.slice(1);
  }

  update(p: Progress): void {
    this.bar.max = p.total;
    this.bar.value = p.iteration;
    const ceiling = this.autoStop ? `at most ${formatCount(p.total)}` : formatCount(p.total);
    const eta = p.overallEtaSeconds ?? p.etaSeconds;
    const left = this.autoStop ? `at most ${formatSeconds(eta)} left` : `about ${formatSeconds(eta)} left`;
    const psnr = p.psnr === undefined ? '' : ` · PSNR ${(p.psnrSmoothed ?? p.psnr).toFixed(2)} dB`;
    const tile = p.tileCount ? `Tile ${p.tile! + 1} of ${p.tileCount} · ` : '';
    this.line.textContent = `${tile}Iteration ${formatCount(p.iteration)} of ${ceiling} · ${p.iterationsPerSecond.toFixed(1)} it/s · ${left} · loss ${p.loss.toPrecision(3)}${psnr}`;
    this.announceProgress(p);
  }

  /** Each quarter of a fit's iterations, and each new tile (whose quarters count afresh). */
  private announceProgress(p: Progress): void {
    if ((p.tile ?? 0) !== this.tile) {
      this.tile = p.tile ?? 0;
      this.quarter = 0;
      announce(`tile ${this.tile + 1} of ${p.tileCount}`);
    }
    const q = Math.floor((4 * p.iteration) / p.total);
    if (q > this.quarter && q < 4) announce(`${q * 25} % of the iterations done`);
    this.quarter = Math.max(this.quarter, q);
  }

  finish(text: string): void {
    this.bar.value = this.bar.max;
    this.phase(text);
  }
}
