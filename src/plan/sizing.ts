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

export interface Sizing {
  /** Output pixels per input pixel along a side. */
  scale: number;
  /** Tile sides (input side) are multiples of this, so tile canvases need no padding. */
  step: number;
  minSide: number;
  /** Whether tiles would be fitted jointly (one network over all tiles: src/tile/joint-program.ts). */
  joint: boolean;
  /** A fit of a w×h input (a tile when `tiled`). */
  estimate(w: number, h: number, tiled: boolean): SizeEstimate;
}

export async function sizingOf(o: RestoreOptions, cal: Calibration, processBytes: number): Promise<Sizing> {
  const s = effectiveSettings(o);
  const net = network(s.arch, s.net, 3);
  const scale = taskDefinition(o.task).outputScale?.(o) ?? 1;
  const curve = await costCurve(o);
  const joint = (o.tiling ?? 'joint') === 'joint' && curve.jointable && scale === 1;
  const host = hostBytes(o, scale, joint ? curve.codeChannels : null);
  return {
    scale,
    step: Math.max(1, Math.max(net.multiple, scale) / scale),
    minSide: Math.ceil(Math.max(MIN_TILE_SIDE, net.minSize) / scale),
    joint,
    estimate: (w, h, tiled) => estimateAt(curve, cal, w, h, processBytes + host(tiled)),
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
 * Canvas-sized planes per colour channel a joint tiled fit holds (tile/joint-program.ts): the target
 * and its weight, the smoothed output, the tiles' outputs (about one canvas with their overlaps), the
 * stitched output, its smoothing and the stitching graph's sums, the loop's current and best outputs,
 * the final image and its planar copy.
 */
const JOINT_PLANES = 11;

/** The overlap of tiles of the given size: an eighth of the smaller side, at least MIN_OVERLAP (output side), at most half. */
export function tileOverlap(size: { width: number; height: number }, scale: number): number {
  const side = Math.min(size.width, size.height);
  return Math.min(Math.floor(side / 2), Math.max(Math.ceil(MIN_OVERLAP / scale), Math.round(side / 8)));
}

/** A --max-memory value the command line reads back ("310M", "1.3G"), rounded up. */
export function bytesArgument(n: number): string {
  return n >= 2 ** 30 ? `${Math.ceil((n / 2 ** 30) * 10) / 10}G` : `${Math.ceil(n / 2 ** 20)}M`;
}
