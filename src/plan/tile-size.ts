/**
 * The largest tile that fits a memory budget. Memory grows with the tile's size, so the side is
 * found by bisection over multiples of the network's step: square tiles first, then, where the
 * image is narrower than the square in one direction, the other side grows to use the budget.
 */

export interface TileSizeQuery {
  /** The image (input side). */
  width: number;
  height: number;
  /** Tile sides are multiples of this (unless they span the whole image). */
  step: number;
  /** The smallest useful tile side. */
  minSide: number;
  /** Whether a fit of a w×h tile stays within the budget. */
  fits: (w: number, h: number) => boolean;
}

/** Largest k in [lo, hi] with ok(k), given ok(lo); ok must be monotone (true then false). */
function largest(lo: number, hi: number, ok: (k: number) => boolean): number {
  let [a, b] = [lo, hi];
  while (a < b) {
    const mid = Math.ceil((a + b) / 2);
    if (ok(mid)) a = mid;
    else b = mid - 1;
  }
  return a;
}

/** The tile size, or null when even the smallest tile does not fit. */
export function largestTile(q: TileSizeQuery): { width: number; height: number } | null {
  const { width: W, height: H, step } = q;
  const side = (k: number) => k * step;
  const minK = Math.ceil(q.minSide / step);
  if (!q.fits(Math.min(W, side(minK)), Math.min(H, side(minK)))) return null;
  const k = largest(minK, Math.ceil(Math.max(W, H) / step), (k) => q.fits(Math.min(W, side(k)), Math.min(H, side(k))));
  let tw = Math.min(W, side(k));
  let th = Math.min(H, side(k));
  if (th === H && tw < W) tw = Math.min(W, side(largest(Math.ceil(tw / step), Math.ceil(W / step), (j) => q.fits(Math.min(W, side(j)), H))));
  else if (tw === W && th < H) th = Math.min(H, side(largest(Math.ceil(th / step), Math.ceil(H / step), (j) => q.fits(W, Math.min(H, side(j))))));
  return { width: tw, height: th };
}

/** The largest square side that fits (for the refusal message), or 0. */
export function largestFittingSide(step: number, maxSide: number, fits: (side: number) => boolean): number {
  if (!fits(step)) return 0;
  return step * largest(1, Math.ceil(maxSide / step), (k) => fits(k * step));
}
