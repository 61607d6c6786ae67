import { describe, expect, it } from 'vitest';
import type { Progress } from '../src/options/index.js';
import {
  ProgressReporter,
  formatDuration,
  formatLoss,
  formatPlainLine,
  formatProgressLine,
  formatPsnr,
  formatRate,
  formatStatus,
  plainEvery,
  renderBar,
  toJsonLine,
} from '../src/cli/progress.js';
import { capture } from './helpers/cli.js';

const prog = (over: Partial<Progress> = {}): Progress => ({
  iteration: 120,
  total: 3000,
  loss: 0.001234,
  seconds: 8,
  iterationsPerSecond: 15.2,
  etaSeconds: 189.5,
  ...over,
});

describe('formatting', () => {
  it('durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(7.4)).toBe('0:07');
    expect(formatDuration(189.5)).toBe('3:10');
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(Infinity)).toBe('--:--');
    expect(formatDuration(NaN)).toBe('--:--');
    expect(formatDuration(-1)).toBe('--:--');
  });
  it('losses with four significant digits', () => {
    expect(formatLoss(0.01234567)).toBe('0.01235');
    expect(formatLoss(0.0001234)).toBe('1.234e-4');
    expect(formatLoss(1.5)).toBe('1.500');
    expect(formatLoss(0)).toBe('0');
    expect(formatLoss(NaN)).toBe('NaN');
    expect(formatLoss(123456)).toBe('1.235e+5');
  });
  it('rates', () => {
    expect(formatRate(15.23)).toBe('15.2 it/s');
    expect(formatRate(250.4)).toBe('250 it/s');
    expect(formatRate(0)).toBe('-- it/s');
    expect(formatRate(NaN)).toBe('-- it/s');
  });
  it('PSNR only with a reference', () => {
    expect(formatPsnr({})).toBeNull();
    expect(formatPsnr({ psnr: 28.414 })).toBe('PSNR 28.41 dB');
    expect(formatPsnr({ psnr: 28.414, psnrSmoothed: 29.1 })).toBe('PSNR 28.41 dB (smoothed 29.10)');
    expect(formatPsnr({ psnr: Infinity })).toBe('PSNR ∞ dB');
  });
  it('bars', () => {
    expect(renderBar(0, 10)).toBe('░'.repeat(10));
    expect(renderBar(0.5, 10)).toBe('█'.repeat(5) + '░'.repeat(5));
    expect(renderBar(1.5, 4)).toBe('████');
    expect(renderBar(NaN, 4)).toBe('░░░░');
  });
  it('the status fields', () => {
    expect(formatStatus(prog())).toBe('120/3000  loss 0.001234  15.2 it/s  ETA 3:10');
    expect(formatStatus(prog({ psnr: 27.5 }))).toBe('120/3000  loss 0.001234  PSNR 27.50 dB  15.2 it/s  ETA 3:10');
  });
  it('the terminal line fits the width, bar first to go', () => {
    const wide = formatProgressLine(prog(), 100);
    expect(wide).toMatch(/^\[█░+\] 120\/3000 {2}loss/);
    expect(wide.length).toBeLessThan(100);
    const narrow = formatProgressLine(prog(), 50);
    expect(narrow.length).toBeLessThanOrEqual(49);
    expect(narrow).toMatch(/^120\/3000/);
    const full = formatProgressLine(prog({ iteration: 3000 }), 80);
    expect(full).toMatch(/^\[█+\]/);
  });
  it('plain lines', () => {
    expect(formatPlainLine(prog({ psnr: 30 }))).toBe('iteration 120/3000  loss 0.001234  PSNR 30.00 dB  15.2 it/s  ETA 3:10');
  });
  it('plain line interval: about 20 lines, at most every 100 iterations', () => {
    expect(plainEvery(3)).toBe(1);
    expect(plainEvery(60)).toBe(3);
    expect(plainEvery(1000)).toBe(50);
    expect(plainEvery(3000)).toBe(100);
  });
  it('JSON lines replace non-finite numbers with null', () => {
    expect(toJsonLine({ a: NaN, b: Infinity, c: 1 })).toBe('{"a":null,"b":null,"c":1}\n');
  });
});

describe('ProgressReporter', () => {
  const run = (n: number, r: ProgressReporter) => {
    for (let i = 1; i <= n; i++) r.progress(prog({ iteration: i, total: n }));
  };

  it('tty: redraws in place at most every 100 ms, and always the last iteration', () => {
    const out = capture(true);
    let t = 0;
    const r = new ProgressReporter({ mode: 'tty', stream: out, now: () => t });
    for (let i = 1; i <= 50; i++) {
      t = i * 10; // 10 ms per iteration: 100 frames/s offered
      r.progress(prog({ iteration: i, total: 50 }));
    }
    r.finish();
    const draws = out.text.split('\r').filter(Boolean);
    expect(draws.length).toBeGreaterThanOrEqual(5);
    expect(draws.length).toBeLessThanOrEqual(8); // ≤ 10/s over 0.5 s, plus the last and finish()
    expect(out.text).toMatch(/\x1b\[K/);
    expect(out.text).toMatch(/50\/50.*\n$/);
  });

  it('tty: a terminal that reports 0 columns gets an 80-column line, not an empty one', () => {
    const out = { ...capture(true), columns: 0 };
    const r = new ProgressReporter({ mode: 'tty', stream: out, now: () => 0 });
    r.progress(prog({ iteration: 1, total: 10 }));
    expect(out.text).toMatch(/^\r\[█+░+\] 1\/10 /);
  });

  it('tty: log lines go above the status line', () => {
    const out = capture(true);
    const r = new ProgressReporter({ mode: 'tty', stream: out, now: () => 0 });
    r.progress(prog({ iteration: 1, total: 10 }));
    r.log('backend: cpu');
    expect(out.text).toMatch(/1\/10.*\r\x1b\[Kbackend: cpu\n\r\[.*1\/10/);
  });

  /** Feeds `n` steps of `stepMs` each (injected clock) to a plain reporter; returns [iteration, time] of each line. */
  function plainRun(n: number, stepMs: (i: number) => number, opts: { every?: number; total?: number; stopAt?: number } = {}) {
    const out = capture();
    let t = 0;
    const times = new Map<number, number>();
    const r = new ProgressReporter({ mode: 'plain', stream: out, now: () => t, every: opts.every });
    for (let i = 1; i <= (opts.stopAt ?? n); i++) {
      t += stepMs(i);
      times.set(i, t);
      r.progress(prog({ iteration: i, total: opts.total ?? n }));
    }
    r.finish();
    expect(out.text).not.toMatch(/\r|\x1b/);
    return out.text
      .trimEnd()
      .split('\n')
      .map((l) => Number(l.match(/^iteration (\d+)\//)?.[1]))
      .map((i) => [i, times.get(i)!] as const);
  }

  it('plain, fast steps: every N iterations but at most one line a second; the first and the last', () => {
    const lines = plainRun(350, () => 10, { every: 10 }); // 100 steps a second
    expect(lines.map(([i]) => i)).toEqual([1, 110, 210, 310, 350]);
  });

  it('plain, slow steps: a line at least every 10 s of wall time, whatever N is', () => {
    const lines = plainRun(50, () => 3000, { every: 100 }); // 3 s a step: N = 100 would mean one line in 5 minutes
    expect(lines.map(([i]) => i)).toEqual([1, 5, 9, 13, 17, 21, 25, 29, 33, 37, 41, 45, 49, 50]);
  });

  it('plain, uneven steps: gaps between lines within [1 s, 10 s + one step], the end of the phase always', () => {
    const step = (i: number) => [40, 700, 2500, 13_000, 90][i % 5];
    const lines = plainRun(400, step);
    expect(lines[0][0]).toBe(1);
    expect(lines.at(-1)![0]).toBe(400);
    for (let k = 1; k < lines.length; k++) {
      const [i, at] = lines[k];
      const gap = at - lines[k - 1][1];
      if (i !== 400) expect(gap, `line at iteration ${i}`).toBeGreaterThanOrEqual(1000);
      expect(gap, `line at iteration ${i}`).toBeLessThanOrEqual(10_000 + step(i));
    }
  });

  it('plain: a fit that stops early (automatic stop, interruption) ends with its last step', () => {
    const lines = plainRun(100, () => 10, { every: 50, stopAt: 37 });
    expect(lines.map(([i]) => i)).toEqual([1, 37]);
  });

  it('plain: when a phase ends early and the next begins, the last step of the first is printed', () => {
    const out = capture();
    const r = new ProgressReporter({ mode: 'plain', stream: out, now: () => 0 });
    for (let i = 1; i <= 5; i++) r.progress(prog({ iteration: i, total: 10 }));
    for (let i = 1; i <= 3; i++) r.progress(prog({ iteration: i, total: 20 }));
    r.finish();
    expect(out.text.match(/^iteration \d+\/\d+/gm)).toEqual(['iteration 1/10', 'iteration 5/10', 'iteration 3/20']);
  });

  it('json: one event per iteration, parseable', () => {
    const out = capture();
    const r = new ProgressReporter({ mode: 'json', stream: out });
    run(3, r);
    r.log('hello');
    r.event('done', { output: 'x.png' });
    const events = out.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['progress', 'progress', 'progress', 'log', 'done']);
    expect(events[2]).toMatchObject({ iteration: 3, total: 3, loss: 0.001234, iterationsPerSecond: 15.2, etaSeconds: 189.5, seconds: 8 });
  });

  it('quiet: nothing at all', () => {
    const out = capture(true);
    const r = new ProgressReporter({ mode: 'quiet', stream: out });
    run(5, r);
    r.log('x');
    r.event('done', {});
    r.finish();
    expect(out.text).toBe('');
  });
});
