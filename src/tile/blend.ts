/**
 * Blending windows of a tile grid: along each axis every tile gets a bump that is 1 in its own part,
 * rises over the overlap with its predecessor and falls over the overlap with its successor as a
 * raised cosine (sin², so two ramps over one overlap add up to exactly 1), and the bumps are divided
 * by their sum. The windows are therefore smooth (C¹), zero outside their tile and a partition of
 * unity wherever tiles meet; a tile's 2-D window is the product of its column's and its row's.
 */
import type { TileLayout } from './geometry.js';

/** sin²(πt/2) on [0, 1]: 0 → 1 with zero slope at both ends. */
export function ramp(t: number): number {
  const c = Math.min(1, Math.max(0, t));
  return Math.sin((Math.PI / 2) * c) ** 2;
}

/** The unnormalised bump of tile k (of starts `starts`, each `size` long) at pixel x (its centre x + ½). */
function bump(starts: readonly number[], size: number, k: number, x: number): number {
  const s = starts[k];
  const e = s + size;
  if (x < s || x >= e) return 0;
  const centre = x + 0.5;
  let w = 1;
  if (k > 0 && starts[k - 1] + size > s) w *= ramp((centre - s) / (starts[k - 1] + size - s));
  if (k < starts.length - 1 && starts[k + 1] < e) w *= ramp((e - centre) / (e - starts[k + 1]));
  return w;
}

/** Normalised 1-D windows: `[k][i]` is tile k's weight at pixel starts[k] + i; they sum to 1 at every pixel. */
export function axisWindows(length: number, starts: readonly number[], size: number): Float32Array[] {
  const total = new Float64Array(length);
  const raw = starts.map((s, k) => {
    const w = new Float64Array(size);
    for (let i = 0; i < size; i++) {
      w[i] = bump(starts, size, k, s + i);
      total[s + i] += w[i];
    }
    return w;
  });
  return raw.map((w, k) => Float32Array.from(w, (v, i) => v / total[starts[k] + i]));
}

export interface LayoutWindows {
  /** Per column, the x-window; per row, the y-window (each the tile's length). */
  columns: Float32Array[];
  rows: Float32Array[];
}

export function layoutWindows(l: TileLayout): LayoutWindows {
  return { columns: axisWindows(l.width, l.xs, l.tileWidth), rows: axisWindows(l.height, l.ys, l.tileHeight) };
}

/** Tile `index`'s 2-D weight at its own pixel (i, j). */
export function tileWeight(l: TileLayout, w: LayoutWindows, index: number, i: number, j: number): number {
  const t = l.tiles[index];
  return w.columns[t.column][i] * w.rows[t.row][j];
}
