/**
 * Per-step image statistics for the stopping rules, emitted into the training-step graph so they
 * cost a few fused passes in ONNX Runtime instead of per-step loops in JS:
 *  - the perceptual blur metric (Crété-Roffet) and MLV sharpness of the grey output (Shi et al.'s ratio);
 *  - running-window sums for the windowed moving variance of the outputs (ES-WMV);
 *  - the squared change of the returned estimate since two fed snapshots (the change rule).
 */
import type { Graph, Value } from '../graph/graph.js';
import { GREY_WEIGHTS } from '../image/image.js';
import { abs, add, conv2d, div, mul, reduceSum, relu, reshape, slice, sqrt, square, sub, reduceMean } from '../graph/index.js';

/** 0.2989 R + 0.5870 G + 0.1140 B as a 1×1 conv (identity for grey). Output [1, 1, H, W]. */
export function greyOf(x: Value): Value {
  if (x.shape[1] === 1) return x;
  const w = x.graph.constant(Float32Array.from(GREY_WEIGHTS), [1, 3, 1, 1], 'grey_w');
  return conv2d(x, w, null);
}

function crop(x: Value, top: number, left: number, bottom: number, right: number): Value {
  const [, , h, w] = x.shape;
  return slice(x, [2, 3], [top, left], [h - bottom, w - right]);
}

/** |x[i] − x[i−1]| along an axis (2 = rows, 3 = columns), the first entry dropped. */
function absDiff(x: Value, axis: 2 | 3): Value {
  const n = x.shape[axis];
  return abs(sub(slice(x, [axis], [1], [n]), slice(x, [axis], [0], [n - 1])));
}

/**
 * Perceptual blur metric of a grey image (the spectral-bias code's PerceptualBlurMetric, box filter 9):
 * compare neighbour differences of the image with those of its blurred copy, per direction;
 * blur = max over directions of (ΣD_F − ΣD_V)/ΣD_F in [0, 1] (1 = fully blurred).
 */
export function blurMetric(grey: Value, size = 9): Value {
  const g = grey.graph;
  const half = Math.floor(size / 2);
  const rowKernel = g.constant(new Float32Array(size).fill(1 / size), [1, 1, 1, size], 'box_row');
  const colKernel = g.constant(new Float32Array(size).fill(1 / size), [1, 1, size, 1], 'box_col');
  const bAlongRow = conv2d(grey, rowKernel, null, { pads: [0, half, 0, half] });
  const bAlongCol = conv2d(grey, colKernel, null, { pads: [half, 0, half, 0] });
  const s = Math.ceil(size / 2);
  const e = Math.floor(size / 2);
  const f = crop(grey, s, s, e, e);
  const direction = (b: Value, axis: 2 | 3) => {
    const bc = crop(b, s, s, e, e);
    // Differences along one axis, trimmed by one pixel on every side as the reference does.
    const trim = (d: Value) => (axis === 3 ? crop(d, 1, 0, 1, 1) : crop(d, 0, 1, 1, 1));
    const dF = trim(absDiff(f, axis));
    const dB = trim(absDiff(bc, axis));
    const sF = reduceSum(dF);
    const sV = reduceSum(relu(sub(dF, dB)));
    return div(sub(sF, sV), add(sF, 1e-12));
  };
  const bRow = direction(bAlongRow, 3);
  const bCol = direction(bAlongCol, 2);
  // max(a, b) = (a + b + |a − b|) / 2, all in graph.
  return mul(add(add(bRow, bCol), abs(sub(bRow, bCol))), 0.5);
}

/**
 * MLV sharpness: the map of the largest signed difference from a pixel to its 8 neighbours, sorted
 * descending, weighted by exp(−0.01·rank), RMS of ranks 2..1000 (as MLVSharpnessMeasure).
 */
export function mlvSharpness(grey: Value, top = 1000): Value {
  const g = grey.graph;
  const [, , h, w] = grey.shape;
  const centre = crop(grey, 1, 1, 1, 1);
  let best: Value | null = null;
  for (const dy of [-1, 0, 1]) {
    for (const dx of [-1, 0, 1]) {
      if (!dy && !dx) continue;
      const d = sub(crop(grey, 1 + dy, 1 + dx, 1 - dy, 1 - dx), centre);
      best = best ? maxOf(best, d) : d;
    }
  }
  const flat = reshape(best!, [(h - 2) * (w - 2)]);
  const k = Math.min(top + 1, flat.shape[0]);
  const [values] = g.addNode('TopK', [flat, g.constantInt64([k])], [{ shape: [k] }, { shape: [k], dtype: 'int64' }], { axis: 0, largest: 1, sorted: 1 });
  const ranks = Float32Array.from({ length: k - 2 }, (_, i) => Math.exp(-0.01 * (i + 2)));
  const weighted = mul(slice(values, [0], [2], [k]), g.constant(ranks, [k - 2], 'mlv_w'));
  return sqrt(reduceMean(square(weighted)));
}

function maxOf(a: Value, b: Value): Value {
  const [y] = a.graph.addNode('Max', [a, b], [{ shape: a.shape }]);
  return y;
}

/** Running-window quantities for ES-WMV: next window sum, ‖x‖² and ‖window sum‖². */
export function wmvTerms(output: Value, windowSum: Value, oldest: Value): { sumNext: Value; sq: Value; sumSq: Value } {
  const sumNext = sub(add(windowSum, output), oldest);
  return { sumNext, sq: reduceSum(square(output)), sumSq: reduceSum(square(sumNext)) };
}

/** The change rule's view of the fit: the estimate the run returns (smoothed or raw) on the image's part of the canvas. */
export interface ChangeMonitor {
  smoothed: boolean;
  /** The image's extent at the canvas's top-left (the padding beyond it is left out). */
  width: number;
  height: number;
}

/** The statistics a stopping rule can ask the step graph for. */
export interface MonitorSpec {
  blurSharp?: boolean;
  wmv?: boolean;
  change?: ChangeMonitor;
}

/**
 * Adds inputs `change_ref_long` and `change_ref_short` (snapshots of the estimate, canvas-sized) and
 * outputs `change_long` and `change_short`, Σ(x − ref)² over the image's extent for each, x the estimate
 * after this step: the rule reads them at its looks only, so no host loop walks the image.
 */
export function emitChange(g: Graph, spec: ChangeMonitor, estimate: Value): void {
  const region = (v: Value) => slice(v, [2, 3], [0, 0], [spec.height, spec.width]);
  const x = region(estimate);
  for (const which of ['long', 'short']) {
    const ref = region(g.input(`change_ref_${which}`, estimate.shape));
    g.output(reduceSum(square(sub(x, ref))), `change_${which}`);
  }
}
