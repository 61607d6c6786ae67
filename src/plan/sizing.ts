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
  /** A fit of a w×h input (a tile when `tiled`). */
  estimate(w: number, h: number, tiled: boolean): SizeEstimate;
}

export async function sizingOf(o: RestoreOptions, cal: Calibration, processBytes: number): Promise<Sizing> {
  const s = effectiveSettings(o);
  const net = network(s.arch, s.net, 3);
  const scale = taskDefinition(o.task).outputScale?.(o) ?? 1;
  const curve = await costCurve(o);
  const host = hostBytes(o, scale);
  return {
    scale,
    step: Math.max(1, Math.max(net.multiple, scale) / scale),
    minSide: Math.ceil(Math.max(MIN_TILE_SIDE, net.minSize) / scale),
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
 * tiled, also the stitching sum, its coverage and the interrupted-run base, and the hole labels.
 */
function hostBytes(o: RestoreOptions, scale: number): (tiled: boolean) => number {
  const outPixels = o.image.width * o.image.height * scale * scale;
  const c = o.image.channels;
  return (tiled) => 4 * (tiled ? outPixels * (3 * c + 1) + (o.mask ? o.image.width * o.image.height : 0) : 2 * outPixels * c);
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
