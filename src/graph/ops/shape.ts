/** Shape-only operators: reshape, transpose, concat, slice, split, pad, and their adjoints. */
import { GraphError } from '../../util/errors.js';
import { numel, shapeStr, type Shape, type Value } from '../graph.js';

export function reshape(x: Value, shape: Shape): Value {
  const g = x.graph;
  const resolved = resolveShape(x.shape, shape);
  if (numel(resolved) !== numel(x.shape)) {
    throw new GraphError(`reshape: cannot reshape ${shapeStr(x.shape)} to ${shapeStr(shape)}`);
  }
  if (resolved.length === x.shape.length && resolved.every((d, i) => d === x.shape[i])) return x;
  const [y] = g.addNode('Reshape', [x, g.constantInt64(resolved, 'shape')], [{ shape: resolved, dtype: x.dtype }], {}, ([dy]) => [
    dy ? reshape(dy, x.shape) : null,
    null,
  ]);
  return y;
}

function resolveShape(from: Shape, to: Shape): number[] {
  const out = [...to];
  const k = out.indexOf(-1);
  if (k >= 0) {
    const known = out.reduce((p, d, i) => (i === k ? p : p * d), 1);
    out[k] = numel(from) / known;
  }
  return out;
}

export function flatten(x: Value): Value {
  return reshape(x, [numel(x.shape)]);
}

export function transpose(x: Value, perm: number[]): Value {
  if (perm.length !== x.shape.length) throw new GraphError(`transpose: perm ${perm} for rank ${x.shape.length}`);
  const shape = perm.map((p) => x.shape[p]);
  const inverse = perm.map((_, i) => perm.indexOf(i));
  const [y] = x.graph.addNode('Transpose', [x], [{ shape, dtype: x.dtype }], { perm }, ([dy]) => [dy ? transpose(dy, inverse) : null]);
  return y;
}

export function concat(parts: Value[], axis: number): Value {
  if (parts.length === 1) return parts[0];
  const xs = parts.slice(); // the backward closure must not see later changes to the caller's array
  const g = xs[0].graph;
  const rank = xs[0].shape.length;
  const ax = axis < 0 ? axis + rank : axis;
  for (const x of xs) {
    if (x.shape.length !== rank || x.shape.some((d, i) => i !== ax && d !== xs[0].shape[i])) {
      throw new GraphError(`concat: incompatible shapes ${xs.map((v) => shapeStr(v.shape)).join(' ')} on axis ${ax}`);
    }
  }
  const shape = [...xs[0].shape];
  shape[ax] = xs.reduce((s, x) => s + x.shape[ax], 0);
  const [y] = g.addNode('Concat', xs, [{ shape, dtype: xs[0].dtype }], { axis: ax }, ([dy]) => {
    if (!dy) return xs.map(() => null);
    return split(
      dy,
      ax,
      xs.map((x) => x.shape[ax]),
    );
  });
  return y;
}

/** Splits along one axis into pieces of the given sizes. */
export function split(x: Value, axis: number, sizes: number[]): Value[] {
  const g = x.graph;
  const ax = axis < 0 ? axis + x.shape.length : axis;
  if (sizes.reduce((a, b) => a + b, 0) !== x.shape[ax]) {
    throw new GraphError(`split: sizes ${sizes} do not add up to ${x.shape[ax]} (axis ${ax} of ${shapeStr(x.shape)})`);
  }
  if (sizes.length === 1) return [x];
  const outs = sizes.map((s) => {
    const shape = [...x.shape];
    shape[ax] = s;
    return { shape, dtype: x.dtype };
  });
  return g.addNode('Split', [x, g.constantInt64(sizes, 'split')], outs, { axis: ax }, (dys) => {
    if (dys.every((d) => !d)) return [null, null];
    const parts = dys.map((d, i) => d ?? zerosLike(outs[i].shape, g, x));
    return [concat(parts, ax), null];
  });
}

function zerosLike(shape: Shape, g: Value['graph'], ref: Value): Value {
  // A broadcast zero of the right shape: Expand of a scalar zero.
  const [z] = g.addNode('Expand', [g.scalar(0), g.constantInt64([...shape], 'shape')], [{ shape, dtype: ref.dtype }]);
  return z;
}

/**
 * Slice with per-axis [start, end) and step. Steps other than 1 are used only by backward
 * passes (im2col of strided convolutions), which never need second derivatives.
 */
export function slice(x: Value, axes: number[], starts: number[], ends: number[], steps?: number[]): Value {
  const g = x.graph;
  const st = steps ?? axes.map(() => 1);
  const shape = [...x.shape];
  axes.forEach((a, i) => {
    const n = x.shape[a];
    const s = clampIndex(starts[i], n, st[i]);
    const e = clampIndex(ends[i], n, st[i]);
    shape[a] = st[i] > 0 ? Math.max(0, Math.ceil((e - s) / st[i])) : Math.max(0, Math.ceil((s - e) / -st[i]));
  });
  const inputs = [x, g.constantInt64(starts), g.constantInt64(ends), g.constantInt64(axes), g.constantInt64(st)];
  const [y] = g.addNode('Slice', inputs, [{ shape, dtype: x.dtype }], {}, ([dy]) => {
    if (!dy) return [null];
    if (st.some((s) => s !== 1)) throw new GraphError('slice: gradient of a strided slice is not supported');
    const pads = new Array(2 * x.shape.length).fill(0);
    axes.forEach((a, i) => {
      const s = clampIndex(starts[i], x.shape[a], 1);
      pads[a] = s;
      pads[a + x.shape.length] = x.shape[a] - s - shape[a];
    });
    return [pad(dy, pads, 'constant')];
  });
  return y;
}

function clampIndex(i: number, n: number, step: number): number {
  let k = i < 0 ? i + n : i;
  if (step > 0) return Math.min(Math.max(k, 0), n);
  k = Math.min(Math.max(k, -1), n - 1);
  return k;
}

export type PadMode = 'constant' | 'reflect' | 'edge';

/**
 * Pads with ONNX's layout: pads = [begin_0, ..., begin_{r-1}, end_0, ..., end_{r-1}].
 * The adjoints of reflect and edge padding fold the border gradients back onto the pixels they copied
 * (TF.js gets this wrong; here it is pinned by finite-difference tests).
 */
export function pad(x: Value, pads: number[], mode: PadMode = 'constant'): Value {
  const g = x.graph;
  const r = x.shape.length;
  if (pads.length !== 2 * r) throw new GraphError(`pad: ${pads.length} pads for rank ${r}`);
  if (pads.every((p) => p === 0)) return x;
  const shape = x.shape.map((d, i) => d + pads[i] + pads[i + r]);
  for (let a = 0; a < r; a++) {
    if (mode === 'reflect' && (pads[a] >= x.shape[a] || pads[a + r] >= x.shape[a])) {
      throw new GraphError(`pad: reflection pad ${pads[a]}/${pads[a + r]} needs a dimension larger than that, got ${x.shape[a]}`);
    }
    if (pads[a] < 0 || pads[a + r] < 0) throw new GraphError('pad: negative pads are not supported');
  }
  const [y] = g.addNode('Pad', [x, g.constantInt64(pads, 'pads')], [{ shape, dtype: x.dtype }], { mode }, ([dy]) => {
    if (!dy) return [null, null];
    return [padAdjoint(dy, x.shape, pads, mode), null];
  });
  return y;
}

function padAdjoint(dy: Value, inShape: Shape, pads: number[], mode: PadMode): Value {
  const r = inShape.length;
  let d = dy;
  for (let a = 0; a < r; a++) {
    const before = pads[a];
    const after = pads[a + r];
    if (before === 0 && after === 0) continue;
    const n = inShape[a];
    if (mode === 'constant') d = slice(d, [a], [before], [before + n]);
    else if (mode === 'reflect' && n >= before + after + 2) d = reflectAdjointAxis(d, a, n, before, after);
    else d = foldedAdjointAxis(d, a, n, before, after, mode);
  }
  return d;
}

/**
 * Reflection adjoint along one axis as one Concat of the pieces of x: entries 1..before and
 * n−1−after..n−2 also receive the reversed border gradients; the rest is a plain copy. Two passes over
 * the tensor (the middle Slice and the Concat) instead of padding each border back to full size and
 * summing. Needs the two folded ranges not to overlap (n ≥ before + after + 2).
 */
function reflectAdjointAxis(d: Value, axis: number, n: number, before: number, after: number): Value {
  const plain = (j0: number, j1: number) => slice(d, [axis], [before + j0], [before + j1]);
  const pieces: Value[] = [];
  const plainFrom = before > 0 ? before + 1 : 0;
  const plainTo = after > 0 ? n - 1 - after : n;
  if (before > 0) pieces.push(plain(0, 1), sumAll([plain(1, before + 1), reverse(slice(d, [axis], [0], [before]), axis)]));
  if (plainTo > plainFrom) pieces.push(plain(plainFrom, plainTo));
  if (after > 0) {
    const border = reverse(slice(d, [axis], [before + n], [before + n + after]), axis);
    pieces.push(sumAll([plain(n - 1 - after, n - 1), border]), plain(n - 1, n));
  }
  return concat(pieces, axis);
}

/** Reflect (any size) and edge adjoints along one axis: the centre plus each border padded back to full size. */
function foldedAdjointAxis(d: Value, a: number, n: number, before: number, after: number, mode: PadMode): Value {
  const r = d.shape.length;
  const terms = [slice(d, [a], [before], [before + n])];
  const zeroPads = (lo: number, hi: number) => {
    const p = new Array(2 * r).fill(0);
    p[a] = lo;
    p[a + r] = hi;
    return p;
  };
  if (mode === 'reflect') {
    // y[i] = x[before - i] for i < before: gradient goes to x[1..before], reversed.
    if (before > 0) terms.push(pad(reverse(slice(d, [a], [0], [before]), a), zeroPads(1, n - 1 - before), 'constant'));
    // y[before + n + j] = x[n - 2 - j]: gradient goes to x[n-1-after .. n-2], reversed.
    if (after > 0) terms.push(pad(reverse(slice(d, [a], [before + n], [before + n + after]), a), zeroPads(n - 1 - after, 1), 'constant'));
  } else {
    // edge: every padded entry copies the first or last pixel.
    if (before > 0) terms.push(pad(reduceSumKeep(slice(d, [a], [0], [before]), a), zeroPads(0, n - 1), 'constant'));
    if (after > 0) terms.push(pad(reduceSumKeep(slice(d, [a], [before + n], [before + n + after]), a), zeroPads(n - 1, 0), 'constant'));
  }
  return sumAll(terms);
}

/** Reverses one axis (a Slice with step -1). */
export function reverse(x: Value, axis: number): Value {
  const n = x.shape[axis];
  const g = x.graph;
  const inputs = [x, g.constantInt64([n - 1]), g.constantInt64([-n - 1]), g.constantInt64([axis]), g.constantInt64([-1])];
  const [y] = g.addNode('Slice', inputs, [{ shape: x.shape, dtype: x.dtype }], {}, ([dy]) => [dy ? reverse(dy, axis) : null]);
  return y;
}

function reduceSumKeep(x: Value, axis: number): Value {
  const g = x.graph;
  const shape = x.shape.map((d, i) => (i === axis ? 1 : d));
  const [y] = g.addNode('ReduceSum', [x, g.constantInt64([axis], 'axes')], [{ shape }], { keepdims: 1 });
  return y;
}

/**
 * Sum of equally shaped values in one node: Add for two (ONNX Runtime's WebGPU provider has no Sum
 * kernel, so each Sum would run on the CPU with copies both ways), Sum for more.
 */
export function sumAll(xs: Value[]): Value {
  if (xs.length === 1) return xs[0];
  const g = xs[0].graph;
  const [y] = g.addNode(xs.length === 2 ? 'Add' : 'Sum', xs, [{ shape: xs[0].shape }], {}, ([dy]) => xs.map(() => dy));
  return y;
}
