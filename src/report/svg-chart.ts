/**
 * A small dependency-free SVG line chart (PSNR curves, FBC bands, stopping statistics). Browser-safe:
 * returns the SVG text; callers write it to a file or put it in the page.
 */
export interface Series {
  name: string;
  points: [number, number][];
  color?: string;
  dashed?: boolean;
}

export interface ChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  yMin?: number;
  yMax?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

function niceTicks(lo: number, hi: number, count = 5): number[] {
  const span = hi - lo || 1;
  const step0 = span / count;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => span / s <= count) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) ticks.push(Number(v.toPrecision(6)));
  return ticks;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

const finite = ([x, y]: [number, number]) => Number.isFinite(x) && Number.isFinite(y);

/**
 * Smallest and largest value, by a loop: spreading a long array into Math.min/max overflows the call
 * stack (about 2·10⁵ arguments), and a fit's history may hold 10⁶ points. Empty input: ±Infinity,
 * as Math.min() and Math.max() give.
 */
export function extent(values: Iterable<number>): { min: number; max: number } {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

function* coordinates(series: Series[], axis: 0 | 1): Generator<number> {
  for (const s of series) for (const p of s.points) if (finite(p)) yield p[axis];
}

/**
 * Thins a polyline in pixel coordinates: of each run of consecutive points that fall in the same
 * pixel column it keeps the first, the lowest, the highest and the last, in their order. The drawn
 * line covers the same pixels (a spike one sample wide still shows), and a chart of 10⁶ points stays
 * a few thousand path points long.
 */
export function thinByColumn(points: [number, number][]): [number, number][] {
  const kept: [number, number][] = [];
  let start = 0;
  while (start < points.length) {
    const column = Math.floor(points[start][0]);
    let end = start + 1;
    let low = start;
    let high = start;
    for (; end < points.length && Math.floor(points[end][0]) === column; end++) {
      if (points[end][1] < points[low][1]) low = end;
      if (points[end][1] > points[high][1]) high = end;
    }
    for (const k of [...new Set([start, low, high, end - 1])].sort((a, b) => a - b)) kept.push(points[k]);
    start = end;
  }
  return kept;
}

export function lineChart(series: Series[], o: ChartOptions): string {
  const W = o.width ?? 720;
  const H = o.height ?? 420;
  const m = { l: 64, r: 16, t: 40, b: 48 };
  const xs = extent(coordinates(series, 0));
  const ys = extent(coordinates(series, 1));
  const x0 = Math.min(xs.min, 0);
  const x1 = Math.max(xs.max, 1);
  const y0 = o.yMin ?? ys.min;
  const y1 = o.yMax ?? ys.max;
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (W - m.l - m.r);
  const sy = (y: number) => H - m.b - ((y - y0) / (y1 - y0 || 1)) * (H - m.t - m.b);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">${esc(o.title)}</text>`,
  ];
  for (const t of niceTicks(y0, y1)) {
    parts.push(`<line x1="${m.l}" x2="${W - m.r}" y1="${sy(t)}" y2="${sy(t)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${m.l - 6}" y="${sy(t) + 4}" text-anchor="end">${t}</text>`);
  }
  for (const t of niceTicks(x0, x1)) {
    parts.push(`<line x1="${sx(t)}" x2="${sx(t)}" y1="${m.t}" y2="${H - m.b}" stroke="#f0f0f0"/>`);
    parts.push(`<text x="${sx(t)}" y="${H - m.b + 16}" text-anchor="middle">${t}</text>`);
  }
  parts.push(`<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#333"/>`);
  parts.push(`<text x="${W / 2}" y="${H - 10}" text-anchor="middle">${esc(o.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${H / 2}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`);
  // The legend sits top right, as wide as its longest name (≈ 6.6 px a character at 12 px), on white.
  const legendWidth = 36 + 6.6 * Math.max(0, ...series.map((s) => s.name.length));
  const lx = W - m.r - 6 - legendWidth;
  const legend: string[] = series.length
    ? [`<rect x="${lx - 4}" y="${m.t + 3}" width="${legendWidth + 6}" height="${series.length * 16 + 4}" fill="white" fill-opacity="0.85"/>`]
    : [];
  series.forEach((s, i) => {
    const color = s.color ?? PALETTE[i % PALETTE.length];
    const inRange = s.points.filter((p) => finite(p) && p[1] >= y0 - 1e-9 && p[1] <= y1 + 1e-9);
    const pts = thinByColumn(inRange.map(([x, y]) => [sx(x), sy(y)]));
    if (pts.length) {
      const d = pts.map(([x, y], k) => `${k ? 'L' : 'M'}${x.toFixed(1)},${y.toFixed(1)}`).join('');
      parts.push(`<path d="${d}" fill="none" stroke="${color}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
    const ly = m.t + 14 + i * 16;
    legend.push(
      `<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    legend.push(`<text x="${lx + 30}" y="${ly}">${esc(s.name)}</text>`);
  });
  parts.push(...legend, '</svg>');
  return parts.join('\n');
}
