/**
 * A request's memory and time as functions of the size it is fitted at: the step graph's cost curve
 * (step-cost.ts) through the calibration, plus what the process already holds and the host-side
 * arrays of the run (the output image; for a tiled run the stitching buffers and hole labels).
 */
import type { RestoreOptions } from '../options/index.js';
import { network } from '../nets/index.js';
import { effectiveSettings } from '../tasks/settings.js';
import { taskDefinition } from '../tasks/index.js';
import { graphBytes, stepWork, type Calibration } from './calibration.js';
import { costCurve, type CostCurve } from './step-cost.js';

/** The smallest tile worth fitting (output side): smaller ones are mostly border. */
export const MIN_TILE_SIDE = 96;
/** The least overlap of neighbouring tiles (output side); it is otherwise an eighth of the tile. */
export const MIN_OVERLAP = 32;

export interface SizeEstimate {
  /** Peak resident bytes of the process. */
  peakBytes: number;
  secondsPerIteration: number;
  canvas: { width: number; height: number };
}

/** What a request's network allows of its tiles. */
export interface TileGeometry {
  /** Output pixels per input pixel along a side. */
  scale: number;
  /** Tile sides (input side) are multiples of this, so tile canvases need no padding. */
  step: number;
  minSide: number;
}

export interface Sizing extends TileGeometry {
  /** Whether tiles would be fitted jointly (one network over all tiles: src/tile/joint-program.ts). */
  joint: boolean;
  /** A fit of a w×h input (a tile when `tiled`). */
  estimate(w: number, h: number, tiled: boolean): SizeEstimate;
}

/** `budgetBytes`: the run's memory budget (null: none known), which joint tiling must leave room in. */
export async function sizingOf(o: RestoreOptions, cal: Calibration, processBytes: number, budgetBytes: number | null = null): Promise<Sizing> {
  const geometry = tileGeometry(o);
  const { scale } = geometry;
  const curve = await costCurve(o);
  const joint = (o.tiling ?? 'joint') === 'joint' && curve.jointable && scale === 1 && jointFits(o, curve.codeChannels, budgetBytes);
  const host = hostBytes(o, scale, joint ? curve.codeChannels : null);
  return {
    ...geometry,
    joint,
    estimate: (w, h, tiled) => estimateAt(curve, cal, w, h, processBytes + host(tiled)),
  };
}

export function tileGeometry(o: RestoreOptions): TileGeometry {
  const s = effectiveSettings(o);
  const net = network(s.arch, s.net, 3);
  const scale = taskDefinition(o.task).outputScale?.(o) ?? 1;
  return {
    scale,
    step: Math.max(1, Math.max(net.multiple, scale) / scale),
    minSide: Math.ceil(Math.max(MIN_TILE_SIDE, net.minSize) / scale),
  };
}

function estimateAt(curve: CostCurve, cal: Calibration, w: number, h: number, heldBytes: number): SizeEstimate {
  const canvas = curve.canvasFor(w, h);
  const cost = curve.at(canvas.width * canvas.height);
  return {
    peakBytes: heldBytes + cal.bytesPerGraphByte * graphBytes(cost) + cal.fixedBytes,
    secondsPerIteration: cal.secondsPerWork * stepWork(cost) + cal.secondsPerStep,
    canvas,
  };
}

/**
 * Host arrays beyond the process's current memory: the finished output image and its planar copy;
 * tiled one by one, also the stitching sum, its coverage and the interrupted-run base, and the hole
 * labels; tiled jointly (`codeChannels` given), the whole fit's state on the host: the input code
 * and, per colour channel, about JOINT_PLANES canvas-sized planes.
 */
function hostBytes(o: RestoreOptions, scale: number, codeChannels: number | null): (tiled: boolean) => number {
  const outPixels = o.image.width * o.image.height * scale * scale;
  const c = o.image.channels;
  const independent = outPixels * (3 * c + 1) + (o.mask ? o.image.width * o.image.height : 0);
  const joint = codeChannels === null ? 0 : outPixels * (codeChannels + JOINT_PLANES * c);
  return (tiled) => 4 * (tiled ? Math.max(independent, joint) : 2 * outPixels * c);
}

/**
 * Image-sized planes per colour channel a joint tiled fit holds on the host beside its code
 * (tile/joint-program.ts): the target, its weight and the reference, the smoothed output, the tiles'
 * outputs, the stitching graph's sums and outputs, the loop's outputs, and the step's fresh output
 * arrays that wait for the garbage collector. Measured: a 3000×2000 photo (lite preset, 24 tiles of
 * 608², bench:photos' big row, 2026-12-01) peaked at 3.2 GB, about 32 planes beyond its tile's fit.
 */
const JOINT_PLANES = 32;

/**
 * Joint tiling is planned only where its host arrays take at most half the budget (the rest is for the
 * tile's fit). Without a known budget (tiles asked for by --tile-size, e.g. on WebGPU) only when
 * --tiling joint is given: its stitching graph spans the whole canvas on the fit's backend, which an
 * unknown memory may not hold.
 */
function jointFits(o: RestoreOptions, codeChannels: number, budgetBytes: number | null): boolean {
  if (budgetBytes === null) return o.tiling === 'joint';
  return 4 * o.image.width * o.image.height * (codeChannels + JOINT_PLANES * o.image.channels) <= budgetBytes / 2;
}

/** The overlap of tiles of the given size: an eighth of the smaller side, at least MIN_OVERLAP (output side), at most half. */
export function tileOverlap(size: { width: number; height: number }, scale: number): number {
  const side = Math.min(size.width, size.height);
  return Math.min(Math.floor(side / 2), Math.max(Math.ceil(MIN_OVERLAP / scale), Math.round(side / 8)));
}

/** A --max-memory value the command line reads back ("310M", "1.3G"), rounded up. */
export function bytesArgument(n: number): string {
  return n >= 2 ** 30 ? `${Math.ceil((n / 2 ** 30) * 10) / 10}G` : `${Math.ceil(n / 2 ** 20)}M`;
}
