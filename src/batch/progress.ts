/**
 * Progress over a whole batch: files done, skipped, failed and running, the fraction of the running
 * fits, and an ETA from the time the fitted files took (skipped files cost nothing and are left
 * out). A terminal gets one status line redrawn in place, a log one line per finished file, --json
 * one event per file on stdout.
 */
import type { OutStream, ProgressMode } from '../cli/progress.js';
import { formatDuration, renderBar, toJsonLine } from '../cli/progress.js';

export type FileStatus = 'done' | 'skipped' | 'failed' | 'interrupted';

export interface FileEvent {
  file: string;
  status: FileStatus;
  output?: string;
  seconds?: number;
  psnr?: number;
  error?: string;
}

export interface BatchCounts {
  total: number;
  done: number;
  skipped: number;
  failed: number;
}

/** Seconds left: the work left (files not finished, less the running fits' progress) at the speed so far. */
export function batchEta(c: BatchCounts, running: readonly number[], elapsed: number): number {
  const finished = c.done + c.failed;
  const work = finished + running.reduce((s, f) => s + f, 0);
  const left = c.total - c.skipped - work;
  return work > 0 ? (elapsed * left) / work : Number.NaN;
}

export function formatBatchLine(c: BatchCounts, running: number, eta: number, columns = 80): string {
  const finished = c.done + c.skipped + c.failed;
  const parts = [`${finished}/${c.total} files`];
  if (c.skipped) parts.push(`${c.skipped} skipped`);
  if (c.failed) parts.push(`${c.failed} failed`);
  parts.push(`${running} running`, `ETA ${formatDuration(eta)}`);
  const status = parts.join('  ');
  const room = columns - 1 - status.length - 3;
  return room < 5 ? status.slice(0, Math.max(0, columns - 1)) : `[${renderBar(finished / c.total, Math.min(30, room))}] ${status}`;
}

export class BatchProgress {
  readonly counts: BatchCounts;
  private readonly running = new Map<string, number>();
  private readonly start: number;
  private line = '';
  private lastDraw = -Infinity;

  constructor(
    private readonly mode: ProgressMode,
    private readonly stream: OutStream,
    private readonly now: () => number,
    total: number,
  ) {
    this.counts = { total, done: 0, skipped: 0, failed: 0 };
    this.start = now();
  }

  elapsedSeconds(): number {
    return (this.now() - this.start) / 1000;
  }

  eta(): number {
    return batchEta(this.counts, [...this.running.values()], this.elapsedSeconds());
  }

  /** A fit's progress (fraction of its iterations). */
  fraction(file: string, f: number): void {
    this.running.set(file, Math.min(1, Math.max(0, f)));
    if (this.mode === 'tty' && this.now() - this.lastDraw >= 100) this.draw();
  }

  finished(e: FileEvent): void {
    this.running.delete(e.file);
    if (e.status !== 'interrupted') this.counts[e.status]++;
    const c = this.counts;
    const n = c.done + c.skipped + c.failed;
    if (this.mode === 'json') {
      const rssMB = Math.round(process.memoryUsage().rss / 2 ** 20);
      this.stream.write(toJsonLine({ type: 'file', ...e, finished: n, total: c.total, etaSeconds: this.eta(), rssMB }));
    } else if (this.mode === 'plain') {
      const tail = e.status === 'failed' ? `: ${e.error}` : e.seconds !== undefined ? ` in ${formatDuration(e.seconds)}` : '';
      this.stream.write(`[${n}/${c.total}] ${e.status} ${e.file}${tail} (ETA ${formatDuration(this.eta())})\n`);
    } else if (this.mode === 'tty') {
      if (e.status === 'failed') this.log(`failed ${e.file}: ${e.error}`);
      this.draw();
    }
  }

  log(message: string, fields: Record<string, unknown> = {}): void {
    if (this.mode === 'json') this.stream.write(toJsonLine({ type: 'log', message, ...fields }));
    else if (this.mode === 'plain') this.stream.write(`${message}\n`);
    else if (this.mode === 'tty') {
      if (this.line) this.stream.write('\r\x1b[K');
      this.stream.write(`${message}\n`);
      if (this.line) this.stream.write(`\r${this.line}\x1b[K`);
    }
  }

  event(type: string, fields: Record<string, unknown>): void {
    if (this.mode === 'json') this.stream.write(toJsonLine({ type, ...fields }));
  }

  finish(): void {
    if (this.mode !== 'tty' || !this.line) return;
    this.draw();
    this.stream.write('\n');
    this.line = '';
  }

  private draw(): void {
    this.lastDraw = this.now();
    this.line = formatBatchLine(this.counts, this.running.size, this.eta(), this.stream.columns || 80);
    this.stream.write(`\r${this.line}\x1b[K`);
  }
}
