/**
 * Progress output of the fitting commands.
 * - 'tty': one status line (bar, iteration/total, loss, PSNR with a reference, it/s, ETA) redrawn
 *   in place at most every 100 ms; log lines are printed above it.
 * - 'plain' (not a terminal: a log, a pipe, a service): the first step; then a line every N
 *   iterations (N from the total, at most 100) but at most one a second, and at least one every
 *   10 s of wall time however long the steps; the last step of each phase always.
 * - 'json' (--json): one NDJSON event per line on stdout: progress, log, snapshot, done, error.
 * - 'quiet': nothing.
 * The formatting functions are pure so they can be tested on their own.
 */
import type { Progress } from '../options/index.js';
import { formatDuration } from '../util/duration.js';

export { formatDuration };
import type { SearchProgress } from '../search/types.js';

export type ProgressMode = 'tty' | 'plain' | 'json' | 'quiet';

export interface OutStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Four significant digits; scientific notation for very small or large values. */
export function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(3) : v.toPrecision(4);
}

export function formatRate(itPerSec: number): string {
  if (!Number.isFinite(itPerSec) || itPerSec <= 0) return '-- it/s';
  return itPerSec >= 100 ? `${Math.round(itPerSec)} it/s` : `${itPerSec.toFixed(1)} it/s`;
}

export function formatPsnr(p: Pick<Progress, 'psnr' | 'psnrSmoothed'>): string | null {
  if (p.psnr === undefined) return null;
  const s = `PSNR ${fmtDb(p.psnr)} dB`;
  return p.psnrSmoothed === undefined ? s : `${s} (smoothed ${fmtDb(p.psnrSmoothed)})`;
}

function fmtDb(v: number): string {
  return Number.isFinite(v) ? v.toFixed(2) : v > 0 ? '∞' : String(v);
}

/** A bar of `width` cells, `fraction` (clamped to [0,1]) of them filled. */
export function renderBar(fraction: number, width: number): string {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const filled = Math.round(f * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

/**
 * The fields after the bar: "120/3000  loss 1.234e-3  PSNR 28.41 dB  15.2 it/s  ETA 3:09"; a tiled
 * run starts with "tile 2/6" and ends with the ETA of all tiles: "ETA 3:09 (all 25:40)".
 */
export function formatStatus(p: Progress): string {
  const tiled = p.tileCount !== undefined && p.tile !== undefined;
  const parts = [...(tiled ? [`tile ${p.tile! + 1}/${p.tileCount}`] : []), `${p.iteration}/${p.total}`, `loss ${formatLoss(p.loss)}`];
  const ps = formatPsnr(p);
  if (ps) parts.push(ps);
  const all = p.overallEtaSeconds !== undefined ? ` (all ${formatDuration(p.overallEtaSeconds)})` : '';
  parts.push(formatRate(p.iterationsPerSecond), `ETA ${formatDuration(p.etaSeconds)}${all}`);
  return parts.join('  ');
}

/** The terminal status line, fitted to `columns`: the bar shrinks (down to nothing) first. */
export function formatProgressLine(p: Progress, columns = 80): string {
  const status = formatStatus(p);
  const room = columns - 1 - status.length - 3; // "[" + "] " ; keep the last column free (no wrap)
  if (room < 5) return status.slice(0, Math.max(0, columns - 1));
  const bar = renderBar(p.total > 0 ? p.iteration / p.total : 0, Math.min(30, room));
  return `[${bar}] ${status}`;
}

/** A line for logs (not a terminal). */
export function formatPlainLine(p: Progress): string {
  return `iteration ${formatStatus(p)}`;
}

const SEARCH_PHASES: Record<SearchProgress['phase'], string> = { screen: 'screening', cohort: 'cohort fit', cost: 'timing at full size' };

/** "search: cohort fit 2/4  340/1800  loss 1.234e-3  9.8 it/s  ETA 3:10" (the ETA of the whole search). */
export function formatSearchStatus(p: SearchProgress): string {
  const parts = [`search: ${SEARCH_PHASES[p.phase]} ${p.index}/${p.count}`];
  if (p.fit) parts.push(`${p.fit.iteration}/${p.fit.total}`, `loss ${formatLoss(p.fit.loss)}`, formatRate(p.fit.iterationsPerSecond));
  parts.push(`ETA ${formatDuration(p.etaSeconds)}`);
  return parts.join('  ');
}

/** The search's terminal line: a bar of the time spent over the time spent and left. */
export function formatSearchLine(p: SearchProgress, columns = 80): string {
  const status = formatSearchStatus(p);
  const room = columns - 1 - status.length - 3;
  if (room < 5) return status.slice(0, Math.max(0, columns - 1));
  const whole = p.elapsedSeconds + p.etaSeconds;
  return `[${renderBar(whole > 0 ? p.elapsedSeconds / whole : 0, Math.min(30, room))}] ${status}`;
}

/** How often plain lines are printed: about 20 lines per run, at most every 100 iterations. */
export function plainEvery(total: number): number {
  return Math.max(1, Math.min(100, Math.ceil(total / 20)));
}

/** JSON.stringify that writes non-finite numbers as null (JSON has no NaN or Infinity). */
export function toJsonLine(obj: unknown): string {
  return `${JSON.stringify(obj, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`;
}

export interface ReporterOptions {
  mode: ProgressMode;
  /** Where tty/plain output goes (stderr) and where json events go (stdout). */
  stream: OutStream;
  /** Milliseconds clock, injectable for tests. */
  now?: () => number;
  /** Minimum time between terminal redraws (default 100 ms, i.e. at most 10 per second). */
  minIntervalMs?: number;
  /** Plain mode: print every this many iterations (default plainEvery(total)), but... */
  every?: number;
  /** ...never sooner than this after the last line (default 1 s)... */
  plainMinGapMs?: number;
  /** ...and always once this long has passed since it (default 10 s). */
  plainMaxGapMs?: number;
}

export class ProgressReporter {
  private lastDraw = -Infinity;
  private line = '';
  private last: Progress | null = null;
  private lastAt = 0;
  private printed: Progress | null = null;
  private printedAt = -Infinity;
  private searchKey = '';
  private searchPrintedAt = -Infinity;
  private readonly now: () => number;

  constructor(private readonly opts: ReporterOptions) {
    this.now = opts.now ?? (() => performance.now());
  }

  get mode(): ProgressMode {
    return this.opts.mode;
  }

  /** The last progress and when (by this reporter's clock) it came; null before the first step ended. */
  get latest(): { progress: Progress; at: number } | null {
    return this.last && { progress: this.last, at: this.lastAt };
  }

  progress(p: Progress): void {
    const previous = this.last;
    this.last = p;
    this.lastAt = this.now();
    const { mode, stream } = this.opts;
    if (mode === 'json') stream.write(toJsonLine({ type: 'progress', ...p }));
    else if (mode === 'plain') this.plain(p, previous);
    else if (mode === 'tty') {
      const t = this.now();
      if (t - this.lastDraw < (this.opts.minIntervalMs ?? 100) && p.iteration !== p.total) return;
      this.lastDraw = t;
      this.draw(formatProgressLine(p, this.opts.stream.columns || 80));
    }
  }

  /**
   * Progress of the architecture search (--arch auto, deep-prior search). Plain lines: the start of
   * each phase and cohort member, the end of screening, and one at least every 10 s.
   */
  search(p: SearchProgress): void {
    const { mode, stream } = this.opts;
    const t = this.now();
    if (mode === 'json') stream.write(toJsonLine({ type: 'search', ...p }));
    else if (mode === 'tty' && t - this.lastDraw >= (this.opts.minIntervalMs ?? 100)) {
      this.lastDraw = t;
      this.draw(formatSearchLine(p, stream.columns || 80));
    } else if (mode === 'plain') this.plainSearch(p, t);
  }

  private plainSearch(p: SearchProgress, t: number): void {
    // Screening candidates take a second or so each: only the phase's start and end count as news there.
    const key = p.phase === 'screen' ? p.phase : `${p.phase}:${p.index}`;
    const gap = t - this.searchPrintedAt;
    const end = p.phase === 'screen' && p.index === p.count && gap >= (this.opts.plainMinGapMs ?? 1000);
    if (key !== this.searchKey || end || gap >= (this.opts.plainMaxGapMs ?? 10_000)) {
      this.opts.stream.write(`${formatSearchStatus(p)}\n`);
      this.searchKey = key;
      this.searchPrintedAt = t;
    }
  }

  /** A message for the user (backend choice, warnings, where files went). */
  log(message: string): void {
    const { mode, stream } = this.opts;
    if (mode === 'json') stream.write(toJsonLine({ type: 'log', message }));
    else if (mode === 'plain') stream.write(`${message}\n`);
    else if (mode === 'tty') {
      const line = this.line;
      this.clear();
      stream.write(`${message}\n`);
      if (line) this.draw(line);
    }
  }

  /** A machine-readable event (json mode only). */
  event(type: string, fields: Record<string, unknown>): void {
    if (this.opts.mode === 'json') this.opts.stream.write(toJsonLine({ type, ...fields }));
  }

  /** Ends the progress: the last state, if throttled, is printed (plain) or redrawn (tty). */
  finish(): void {
    if (this.opts.mode === 'plain' && this.last && this.last !== this.printed) this.printPlain(this.last);
    if (this.opts.mode !== 'tty' || !this.line) return;
    if (this.last) this.draw(formatProgressLine(this.last, this.opts.stream.columns || 80));
    this.opts.stream.write('\n');
    this.line = '';
  }

  private plain(p: Progress, previous: Progress | null): void {
    // A new phase (another total): its predecessor's last step is the end of that phase.
    if (previous && previous !== this.printed && previous.total !== p.total) this.printPlain(previous);
    const gap = this.lastAt - this.printedAt;
    const every = this.opts.every ?? plainEvery(p.total);
    const due =
      this.printed === null ||
      p.iteration === p.total ||
      gap >= (this.opts.plainMaxGapMs ?? 10_000) ||
      (p.iteration % every === 0 && gap >= (this.opts.plainMinGapMs ?? 1000));
    if (due) this.printPlain(p);
  }

  private printPlain(p: Progress): void {
    this.opts.stream.write(`${formatPlainLine(p)}\n`);
    this.printed = p;
    this.printedAt = this.now();
  }

  private draw(line: string): void {
    this.opts.stream.write(`\r${line}\x1b[K`);
    this.line = line;
  }

  private clear(): void {
    if (this.line) this.opts.stream.write('\r\x1b[K');
    this.line = '';
  }
}
