/**
 * Inpainting holes in a tiled fit. A tile restores a hole well only when it holds the whole hole
 * with known pixels around it, so every hole (a 4-connected region of unknown pixels) is given to
 * one tile that holds it with context: a grid tile where one does, else an extra tile centred on
 * it. That tile alone fills the hole's pixels (no blend of fills made from different context); a
 * hole too large for any tile with context is left to the grid's blend and reported.
 */
import type { Image } from '../image/image.js';
import { contains, type Rect, type TileLayout } from './geometry.js';

export interface Hole extends Rect {
  /** Label of its pixels in `HoleMap.labels`. */
  label: number;
}

export interface HoleMap {
  holes: Hole[];
  /** Per pixel: the hole's label, or −1 for a known pixel. */
  labels: Int32Array;
}

/** The 4-connected regions of unknown pixels (mask < ½), with their bounding boxes. */
export function findHoles(mask: Image): HoleMap {
  const { width: w, height: h } = mask;
  const labels = new Int32Array(w * h).fill(-1);
  const holes: Hole[] = [];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (labels[start] !== -1 || mask.data[start] >= 0.5) continue;
    const label = holes.length;
    let [x0, y0, x1, y1] = [w, h, -1, -1];
    labels[start] = label;
    stack.push(start);
    while (stack.length) {
      const p = stack.pop()!;
      const x = p % w;
      const y = (p - x) / w;
      [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
      for (const q of [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1]) {
        if (q >= 0 && labels[q] === -1 && mask.data[q] < 0.5) {
          labels[q] = label;
          stack.push(q);
        }
      }
    }
    holes.push({ label, x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 });
  }
  return { holes, labels };
}

/** Known pixels kept on each side of a hole: half its larger side, at least 16. */
export function holeContext(h: Rect): number {
  return Math.max(16, Math.ceil(Math.max(h.width, h.height) / 2));
}

/** The hole with its context, clipped to the image. */
export function withContext(h: Rect, width: number, height: number): Rect {
  const m = holeContext(h);
  const x = Math.max(0, h.x - m);
  const y = Math.max(0, h.y - m);
  return { x, y, width: Math.min(width, h.x + h.width + m) - x, height: Math.min(height, h.y + h.height + m) - y };
}

export interface HoleAssignment {
  /** Per hole (by label): the tile that fills it, or −1 (too large: blended). */
  owner: Int32Array;
  /** Extra tiles (indices after the grid's), each the grid's tile size. */
  extra: Rect[];
  /** Holes no tile holds with context. */
  tooLarge: Hole[];
}

/** How far `inner` stays from the edges of `outer` (the smaller of its four margins). */
function margin(outer: Rect, inner: Rect): number {
  return Math.min(inner.x - outer.x, inner.y - outer.y, outer.x + outer.width - inner.x - inner.width, outer.y + outer.height - inner.y - inner.height);
}

export function assignHoles(layout: TileLayout, holes: readonly Hole[]): HoleAssignment {
  const owner = new Int32Array(holes.length).fill(-1);
  const extra: Rect[] = [];
  const tooLarge: Hole[] = [];
  const { tileWidth: tw, tileHeight: th, width: W, height: H } = layout;
  for (const hole of holes) {
    const need = withContext(hole, W, H);
    const candidates: Rect[] = [...layout.tiles, ...extra];
    let best = -1;
    for (let k = 0; k < candidates.length; k++) {
      if (contains(candidates[k], need) && (best < 0 || margin(candidates[k], hole) > margin(candidates[best], hole))) best = k;
    }
    if (best >= 0) owner[hole.label] = best;
    else if (need.width <= tw && need.height <= th) {
      owner[hole.label] = layout.tiles.length + extra.length;
      extra.push(centredTile(need, tw, th, W, H));
    } else tooLarge.push(hole);
  }
  return { owner, extra, tooLarge };
}

/** A tw×th rectangle centred on `r`, moved inside the image. */
function centredTile(r: Rect, tw: number, th: number, W: number, H: number): Rect {
  const x = Math.min(Math.max(0, Math.round(r.x + r.width / 2 - tw / 2)), W - tw);
  const y = Math.min(Math.max(0, Math.round(r.y + r.height / 2 - th / 2)), H - th);
  return { x, y, width: tw, height: th };
}
