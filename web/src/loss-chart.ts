/**
 * The loss curve (log scale) and, with a clean reference, the PSNR curve, drawn on a canvas as the
 * fit goes. Long fits are thinned to each pixel column's lowest and highest value, so drawing stays
 * cheap at any length. The canvas's accessible name carries the latest values in words.
 */
import type { HistoryEntry } from '../../src/index.js';

const PAD = { left: 8, right: 8, top: 10, bottom: 16 };

export class LossChart {
  private points: HistoryEntry[] = [];
  private pending = false;

  constructor(private readonly canvas: HTMLCanvasElement) {}

  reset(): void {
    this.points = [];
    this.schedule();
  }

  add(entries: HistoryEntry[]): void {
    this.points.push(...entries);
    this.schedule();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private draw(): void {
    const c = this.canvas;
    const ratio = window.devicePixelRatio || 1;
    c.width = Math.max(1, Math.round(c.clientWidth * ratio));
    c.height = Math.max(1, Math.round(c.clientHeight * ratio));
    const ctx = c.getContext('2d')!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, c.clientWidth, c.clientHeight);
    if (this.points.length < 2) return;
    this.curve(ctx, (h) => Math.log10(Math.max(h.loss, 1e-12)), '#2563eb');
    if (this.points.some((h) => h.psnr !== undefined)) this.curve(ctx, (h) => h.psnrSmoothed ?? h.psnr, '#c2410c');
    const last = this.points.at(-1)!;
    const psnr = last.psnr === undefined ? '' : `, PSNR ${(last.psnrSmoothed ?? last.psnr).toFixed(2)} dB`;
    c.setAttribute('aria-label', `Loss curve: ${this.points.length} iterations, loss now ${last.loss.toPrecision(3)}${psnr}`);
  }

  /** One curve, scaled to its own range; each pixel column shows its lowest and highest value. */
  private curve(ctx: CanvasRenderingContext2D, value: (h: HistoryEntry) => number | undefined, color: string): void {
    const w = this.canvas.clientWidth - PAD.left - PAD.right;
    const hgt = this.canvas.clientHeight - PAD.top - PAD.bottom;
    const cols = columns(this.points, value, Math.max(1, Math.floor(w)));
    if (!cols.length) return;
    const lo = Math.min(...cols.map((k) => k.min));
    const hi = Math.max(...cols.map((k) => k.max));
    const y = (v: number) => PAD.top + hgt * (1 - (v - lo) / (hi - lo || 1));
    ctx.strokeStyle = color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    cols.forEach((k, i) => {
      const x = PAD.left + (w * k.column) / Math.max(1, cols.at(-1)!.column);
      if (i === 0) ctx.moveTo(x, y(k.first));
      else ctx.lineTo(x, y(k.first));
      ctx.lineTo(x, y(k.min));
      ctx.lineTo(x, y(k.max));
    });
    ctx.stroke();
  }
}

function columns(points: HistoryEntry[], value: (h: HistoryEntry) => number | undefined, width: number) {
  const out: { column: number; first: number; min: number; max: number }[] = [];
  const n = points.length;
  for (let i = 0; i < n; i++) {
    const v = value(points[i]);
    if (v === undefined || !Number.isFinite(v)) continue;
    const column = Math.floor((i / Math.max(1, n - 1)) * (width - 1));
    const top = out.at(-1);
    if (top && top.column === column) {
      top.min = Math.min(top.min, v);
      top.max = Math.max(top.max, v);
    } else out.push({ column, first: v, min: v, max: v });
  }
  return out;
}
