/**
 * For a picture too large for this device in one fit: the largest tiles that fit it, fitted one
 * after another and blended without seams by the library's tiled restoration (src/tile/). Each
 * candidate side is judged as the fit itself is, by the device's verdict on one tile's plan (its step
 * graph at the tile's size); the side is found by bisection over the network's tile sides, so about
 * log₂(long side ÷ step) graphs are built. A candidate is judged on the backend its own plan would
 * get (a tile under the GPU's buffer limit runs on WebGPU though the whole picture could not), so the
 * plan after the click is the offer's.
 */
import type { RestoreOptions } from '../../src/index.js';
import { MIN_TILE_OPTION } from '../../src/options/table.js';
import { smallestTile } from '../../src/plan/layout.js';
import { tileGeometry } from '../../src/plan/sizing.js';
import { planFit, type FitPlan } from './plan-estimate.js';

export interface TileOffer {
  /** The --tile-size to ask for. */
  tileSize: number;
  /** The plan of the request with it. */
  plan: FitPlan;
  /** The backend that plan runs on (protocol.ts' BackendPick, named here so the protocol can carry the offer). */
  backend: 'webgpu' | 'wasm';
}

/** A candidate plan judged as the app judges a plan: on the backend picked for it, does it fit. */
export type TileJudge = (plan: FitPlan) => { fits: boolean; backend: TileOffer['backend'] };

/** The offer, or null when not even the smallest tile fits (or the picture needs no tiles). */
export async function tileOffer(request: RestoreOptions, judge: TileJudge): Promise<TileOffer | null> {
  const g = tileGeometry(request);
  const { step } = g;
  const long = Math.max(request.image.width, request.image.height);
  const planAt = (k: number) => planFit({ ...request, tileSize: k * step });
  // Tile sides k·step from the smallest tile (and the option's least value) up to the last below the long side (a larger one is the whole picture).
  let lo = Math.ceil(Math.max(smallestTile(g), MIN_TILE_OPTION) / step);
  let hi = Math.ceil(long / step) - 1;
  if (hi < lo) return null;
  // Fitting is monotone in the side on each backend, so also on "whichever the plan picks".
  let best = await planAt(lo);
  if (!judge(best).fits) return null;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const plan = await planAt(mid);
    if (judge(plan).fits) [lo, best] = [mid, plan];
    else hi = mid - 1;
  }
  return { tileSize: lo * step, plan: best, backend: judge(best).backend };
}
