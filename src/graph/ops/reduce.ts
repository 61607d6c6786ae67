/** Reductions and matrix products. */
import { GraphError } from '../../util/errors.js';
import { numel, shapeStr, type Value } from '../graph.js';
import { add, expand, mul } from './elementwise.js';
import { reshape, transpose } from './shape.js';

function normAxes(x: Value, axes?: number[]): number[] {
  const r = x.shape.length;
  return (axes ?? x.shape.map((_, i) => i)).map((a) => (a < 0 ? a + r : a)).sort((a, b) => a - b);
}

function reduced(x: Value, axes: number[], keepdims: boolean): number[] {
  return keepdims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
}

export function reduceSum(x: Value, axes?: number[], keepdims = false): Value {
  const g = x.graph;
  const ax = normAxes(x, axes);
  const shape = reduced(x, ax, keepdims);
  const kept = reduced(x, ax, true);
  const [y] = g.addNode('ReduceSum', [x, g.constantInt64(ax, 'axes')], [{ shape }], { keepdims: keepdims ? 1 : 0 }, ([dy]) => [
    dy ? expand(reshape(dy, kept), x.shape) : null,
    null,
  ]);
  return y;
}

export function reduceMean(x: Value, axes?: number[], keepdims = false): Value {
  const g = x.graph;
  const ax = normAxes(x, axes);
  const count = ax.reduce((p, a) => p * x.shape[a], 1);
  const shape = reduced(x, ax, keepdims);
  const kept = reduced(x, ax, true);
  const [y] = g.addNode('ReduceMean', [x, g.constantInt64(ax, 'axes')], [{ shape }], { keepdims: keepdims ? 1 : 0 }, ([dy]) => [
    dy ? expand(reshape(mul(dy, 1 / count), kept), x.shape) : null,
    null,
  ]);
  return y;
}

export function mean(x: Value): Value {
  return reduceMean(x);
}

/** Matrix product of rank-2 (or batched rank-3) tensors. */
export function matmul(a: Value, b: Value): Value {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2 || ra !== rb || a.shape[ra - 1] !== b.shape[rb - 2]) {
    throw new GraphError(`matmul: incompatible shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  if (ra === 3 && a.shape[0] !== b.shape[0]) throw new GraphError(`matmul: batch sizes differ ${a.shape[0]} vs ${b.shape[0]}`);
  const shape = [...a.shape.slice(0, -1), b.shape[rb - 1]];
  const swap = ra === 2 ? [1, 0] : [0, 2, 1];
  const [y] = a.graph.addNode('MatMul', [a, b], [{ shape }], {}, ([dy]) => {
    if (!dy) return [null, null];
    return [matmul(dy, transpose(b, swap)), matmul(transpose(a, swap), dy)];
  });
  return y;
}

/** Y = A·Bᵀ (+ C), using Gemm's transB so no transposed copy of B is made. Rank 2 only. */
export function gemmTransB(a: Value, b: Value): Value {
  if (a.shape.length !== 2 || b.shape.length !== 2 || a.shape[1] !== b.shape[1]) {
    throw new GraphError(`gemmTransB: incompatible shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  }
  const [y] = a.graph.addNode('Gemm', [a, b], [{ shape: [a.shape[0], b.shape[0]] }], { transB: 1 }, ([dy]) => {
    if (!dy) return [null, null];
    return [matmul(dy, b), matmul(transpose(dy, [1, 0]), a)];
  });
  return y;
}

/** Fully connected layer: x [N, in] · wᵀ [out, in] + b [out]. */
export function linear(x: Value, w: Value, b?: Value): Value {
  const y = gemmTransB(x, w);
  if (!b) return y;
  if (numel(b.shape) !== w.shape[0]) throw new GraphError('linear: bias size mismatch');
  return add(y, b);
}
