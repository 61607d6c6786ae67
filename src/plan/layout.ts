/**
 * Where a request's tiles lie: the whole image when it fits the memory budget and --tile-size, else
 * the largest tiles within both, overlapping by tileOverlap; and which tile holds each inpainting
 * hole. Pure geometry over a `fits` test, so the browser app (which sizes by its own memory model)
 * lays tiles out exactly as the fit will.
 */
import type { Naming, RestoreOptions } from '../options/index.js';
import { taskDefinition } from '../tasks/index.js';
import { assignHoles, findHoles, type HoleAssignment, type HoleMap } from '../tile/holes.js';
import { tileLayout, type TileLayout } from '../tile/geometry.js';
import { InputError } from '../util/errors.js';
import { tileOverlap, type TileGeometry } from './sizing.js';
import { largestTile } from './tile-size.js';

/** Whether a fit of a w×h input (a tile when `tiled`) stays within the budget. */
export type FitsBudget = (w: number, h: number, tiled: boolean) => boolean;

/**
 * The layout, or null for one fit of the whole image. `refuse` makes the error for a budget that not
 * even the smallest tile fits; a --tile-size below the smallest tile is refused here.
 */
export function layoutFor(o: RestoreOptions, g: TileGeometry, fits: FitsBudget, refuse: () => Error, naming: Naming): TileLayout | null {
  const { width: W, height: H } = o.image;
  const side = o.tileSize ?? Infinity;
  if (W <= side && H <= side && fits(W, H, false)) return null;
  if (side < smallestTile(g)) throw tileSizeRefusal(g, naming);
  const within = (w: number, h: number) => w <= side && h <= side && fits(w, h, true);
  const size = largestTile({ width: W, height: H, step: g.step, minSide: g.minSide, fits: within });
  if (!size) throw refuse();
  return tileLayout(W, H, size.width, size.height, tileOverlap(size, g.scale));
}

/** The smallest tile side a layout uses: the least useful side, rounded up to the network's multiple. */
export function smallestTile(g: TileGeometry): number {
  return Math.ceil(g.minSide / g.step) * g.step;
}

function tileSizeRefusal(g: TileGeometry, naming: Naming): InputError {
  const min = smallestTile(g);
  return new InputError(`${naming.name('tileSize')} is below the smallest tile this network can fit, ${min} pixels: give ${min} or more`, {
    code: 'TILE_SIZE',
    option: 'tileSize',
  });
}

/** Inpainting's holes and the tiles that hold them with context (null: the task does not need it, or no mask). */
export function holesOf(o: RestoreOptions, layout: TileLayout): { map: HoleMap; assignment: HoleAssignment } | null {
  if (!taskDefinition(o.task).holesNeedContext || !o.mask) return null;
  const map = findHoles(o.mask);
  return { map, assignment: assignHoles(layout, map.holes) };
}
