/** The SVG line chart on long series: extents by a loop (no stack overflow) and per-column thinning. */
import { describe, expect, it } from 'vitest';
import { extent, lineChart, thinByColumn } from '../src/report/svg-chart.js';
import { Rng } from '../src/util/random.js';

/** The plot area of a default-sized chart (720 × 420, margins l 64, r 16, t 40, b 48). */
const PLOT = { left: 64, right: 704, top: 40, bottom: 372 };

function pathPoints(svg: string): [number, number][] {
  const d = /<path d="([^"]+)"/.exec(svg)![1];
  return [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('lineChart', () => {
  it('draws a 10⁶-point series with the right extents, a bounded path and its one-sample spike and dip', () => {
    const n = 1_000_000;
    const spikeAt = 654_321;
    const dipAt = 123_457;
    const points: [number, number][] = Array.from({ length: n }, (_, i) => [i, 30 + Math.sin(i / 5000)]);
    points[spikeAt][1] = 40;
    points[dipAt][1] = 10;
    expect(extent(points.map((p) => p[1]))).toEqual({ min: 10, max: 40 });

    const svg = lineChart([{ name: 'long', points }], { title: 't', xLabel: 'x', yLabel: 'y' });
    const path = pathPoints(svg);
    // y spans 10..40 and x spans 0..n−1: the line touches all four sides of the plot area.
    expect(Math.min(...path.map((p) => p[1]))).toBe(PLOT.top);
    expect(Math.max(...path.map((p) => p[1]))).toBe(PLOT.bottom);
    expect(path[0][0]).toBe(PLOT.left);
    expect(path[path.length - 1][0]).toBe(PLOT.right);
    for (const label of ['10', '40', '0', '800000']) expect(svg).toContain(`>${label}</text>`);
    // The spike and the dip sit where the linear axis mapping puts them.
    const xPixel = (i: number) => PLOT.left + (i / (n - 1)) * (PLOT.right - PLOT.left);
    for (const [i, y] of [
      [spikeAt, PLOT.top],
      [dipAt, PLOT.bottom],
    ]) {
      expect(path.some(([px, py]) => py === y && Math.abs(px - xPixel(i)) <= 0.05)).toBe(true);
    }
    // At most four points per pixel column instead of a million.
    expect(path.length).toBeLessThanOrEqual(4 * (PLOT.right - PLOT.left + 1));
    expect(svg.length).toBeLessThan(100_000);
  });

  it('extent of an empty input is ±Infinity, like Math.min() and Math.max()', () => {
    expect(extent([])).toEqual({ min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY });
  });
});

describe('thinByColumn', () => {
  it('keeps each column run’s lowest and highest point, its first and last, in order', () => {
    const rng = new Rng(11);
    let y = 200;
    const raw: [number, number][] = Array.from({ length: 20_000 }, (_, i) => {
      y += rng.normal() * 3;
      return [64 + i / 200, y];
    });
    raw[7_777][1] = -500; // a spike one sample wide
    const kept = thinByColumn(raw);

    // A subsequence of the input, same first and last point.
    let k = 0;
    for (const p of kept) {
      while (raw[k] !== p) k++;
      expect(k).toBeLessThan(raw.length);
    }
    expect(kept[0]).toBe(raw[0]);
    expect(kept[kept.length - 1]).toBe(raw[raw.length - 1]);

    // Per pixel column, the same vertical extent as the raw polyline.
    const byColumn = (pts: [number, number][]) => {
      const m = new Map<number, number[]>();
      for (const [x, v] of pts) {
        const column = Math.floor(x);
        if (!m.has(column)) m.set(column, []);
        m.get(column)!.push(v);
      }
      return m;
    };
    const rawColumns = byColumn(raw);
    const keptColumns = byColumn(kept);
    expect([...keptColumns.keys()]).toEqual([...rawColumns.keys()]);
    for (const [column, ys] of rawColumns) {
      const got = keptColumns.get(column)!;
      expect(got.length).toBeLessThanOrEqual(4);
      expect(extent(got)).toEqual(extent(ys));
    }
    expect(kept.some((p) => p[1] === -500)).toBe(true);
  });

  it('leaves a polyline with one point per column unchanged', () => {
    const raw: [number, number][] = Array.from({ length: 300 }, (_, i) => [64 + i * 2.1, Math.cos(i)]);
    expect(thinByColumn(raw)).toEqual(raw);
  });
});
