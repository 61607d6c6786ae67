/** Elementwise operators with numpy broadcasting, activations, and their vector-Jacobian products. */
import { GraphError } from '../../util/errors.js';
import { sameShape, shapeStr, type Shape, type Value } from '../graph.js';
import { reshape } from './shape.js';

export function broadcastShapes(a: Shape, b: Shape): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const da = a[a.length - r + i] ?? 1;
    const db = b[b.length - r + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new GraphError(`cannot broadcast ${shapeStr(a)} with ${shapeStr(b)}`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Sums a broadcast gradient back down to the operand's shape. */
export function unbroadcast(dy: Value, shape: Shape): Value {
  if (sameShape(dy.shape, shape)) return dy;
  const g = dy.graph;
  const r = dy.shape.length;
  const offset = r - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < r; i++) {
    const d = i < offset ? 1 : shape[i - offset];
    if (d === 1 && dy.shape[i] !== 1) axes.push(i);
  }
  let y = dy;
  if (axes.length) {
    const kept = dy.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    [y] = g.addNode('ReduceSum', [dy, g.constantInt64(axes, 'axes')], [{ shape: kept }], { keepdims: 1 });
  }
  return reshape(y, shape);
}

type Operand = Value | number;

function lift(ref: Value, x: Operand): Value {
  return typeof x === 'number' ? ref.graph.scalar(x) : x;
}

function binary(op: string, a: Value, b: Value, vjp: (dy: Value) => [Value | null, Value | null]): Value {
  const shape = broadcastShapes(a.shape, b.shape);
  const [y] = a.graph.addNode(op, [a, b], [{ shape }], {}, ([dy]) => {
    if (!dy) return [null, null];
    const [da, db] = vjp(dy);
    return [da && unbroadcast(da, a.shape), db && unbroadcast(db, b.shape)];
  });
  return y;
}

export function add(a: Operand, b: Operand): Value {
  const ref = typeof a === 'number' ? (b as Value) : a;
  return binary('Add', lift(ref, a), lift(ref, b), (dy) => [dy, dy]);
}

export function sub(a: Operand, b: Operand): Value {
  const ref = typeof a === 'number' ? (b as Value) : a;
  return binary('Sub', lift(ref, a), lift(ref, b), (dy) => [dy, neg(dy)]);
}

export function mul(a: Operand, b: Operand): Value {
  const ref = typeof a === 'number' ? (b as Value) : a;
  const av = lift(ref, a);
  const bv = lift(ref, b);
  return binary('Mul', av, bv, (dy) => [mul(dy, bv), mul(dy, av)]);
}

export function div(a: Operand, b: Operand): Value {
  const ref = typeof a === 'number' ? (b as Value) : a;
  const av = lift(ref, a);
  const bv = lift(ref, b);
  return binary('Div', av, bv, (dy) => {
    const da = div(dy, bv);
    return [da, neg(div(mul(da, av), bv))];
  });
}

function unary(op: string, x: Value, vjp: (dy: Value, y: Value) => Value, attrs: Record<string, number> = {}): Value {
  const [y] = x.graph.addNode(op, [x], [{ shape: x.shape }], attrs, ([dy]) => [dy ? vjp(dy, yRef) : null]);
  const yRef = y;
  return y;
}

export function neg(x: Value): Value {
  return unary('Neg', x, (dy) => neg(dy));
}

export function exp(x: Value): Value {
  return unary('Exp', x, (dy, y) => mul(dy, y));
}

export function log(x: Value): Value {
  return unary('Log', x, (dy) => div(dy, x));
}

export function sqrt(x: Value): Value {
  return unary('Sqrt', x, (dy, y) => div(mul(dy, 0.5), y));
}

export function abs(x: Value): Value {
  return unary('Abs', x, (dy) => mul(dy, sign(x)));
}

export function sign(x: Value): Value {
  return unary('Sign', x, () => {
    throw new GraphError('sign has no useful gradient');
  });
}

export function square(x: Value): Value {
  const [y] = x.graph.addNode('Mul', [x, x], [{ shape: x.shape }], {}, ([dy]) => {
    if (!dy) return [null, null];
    return [mul(dy, mul(x, 2)), null];
  });
  return y;
}

export function tanh(x: Value): Value {
  return unary('Tanh', x, (dy, y) => mul(dy, sub(1, mul(y, y))));
}

export function sigmoid(x: Value): Value {
  return unary('Sigmoid', x, (dy, y) => mul(dy, mul(y, sub(1, y))));
}

export function atan(x: Value): Value {
  return unary('Atan', x, (dy) => div(dy, add(1, mul(x, x))));
}

export function sin(x: Value): Value {
  return unary('Sin', x, (dy) => mul(dy, cos(x)));
}

export function cos(x: Value): Value {
  return unary('Cos', x, (dy) => neg(mul(dy, sin(x))));
}

// The masks read the output, not the input (same sign for α > 0), so the input can be freed after
// the forward pass: one activation-sized buffer less per layer.
export function relu(x: Value): Value {
  return unary('Relu', x, (dy, y) => where(greater(y, 0), dy, 0));
}

export function leakyRelu(x: Value, alpha = 0.2): Value {
  if (!(alpha > 0)) throw new GraphError(`leakyRelu: slope must be positive, got ${alpha}`);
  return unary('LeakyRelu', x, (dy, y) => where(greater(y, 0), dy, mul(dy, alpha)), { alpha });
}

export function elu(x: Value, alpha = 1): Value {
  // d/dx elu = 1 for x > 0, else elu(x) + alpha.
  return unary('Elu', x, (dy, y) => where(greater(x, 0), dy, mul(dy, add(y, alpha))), { alpha });
}

/** Swish / SiLU: x · sigmoid(x), composed so its gradient comes for free. */
export function swish(x: Value): Value {
  return mul(x, sigmoid(x));
}

export function greater(a: Value, b: Operand): Value {
  const bv = lift(a, b);
  const [y] = a.graph.addNode('Greater', [a, bv], [{ shape: broadcastShapes(a.shape, bv.shape), dtype: 'bool' }]);
  return y;
}

export function equal(a: Value, b: Value): Value {
  const [y] = a.graph.addNode('Equal', [a, b], [{ shape: broadcastShapes(a.shape, b.shape), dtype: 'bool' }]);
  return y;
}

/** cond ? a : b, differentiable in a and b. */
export function where(cond: Value, a: Operand, b: Operand): Value {
  const ref = typeof a === 'number' ? (typeof b === 'number' ? cond : b) : a;
  const av = lift(ref, a);
  const bv = lift(ref, b);
  const shape = broadcastShapes(cond.shape, broadcastShapes(av.shape, bv.shape));
  const [y] = cond.graph.addNode('Where', [cond, av, bv], [{ shape }], {}, ([dy]) => {
    if (!dy) return [null, null, null];
    return [null, unbroadcast(where(cond, dy, 0), av.shape), unbroadcast(where(cond, 0, dy), bv.shape)];
  });
  return y;
}

/** Clip to [lo, hi]; gradient passes where the input was inside the range. */
export function clip(x: Value, lo: number, hi: number): Value {
  const g = x.graph;
  const [y] = g.addNode('Clip', [x, g.scalar(lo), g.scalar(hi)], [{ shape: x.shape }], {}, ([dy]) => {
    if (!dy) return [null, null, null];
    return [mul(dy, castFloat(equal(x, y))), null, null];
  });
  return y;
}

export function castFloat(x: Value): Value {
  const [y] = x.graph.addNode('Cast', [x], [{ shape: x.shape }], { to: 1 });
  return y;
}

/** Broadcasts to a larger shape; the gradient sums back. */
export function expand(x: Value, shape: Shape): Value {
  const g = x.graph;
  const out = broadcastShapes(x.shape, shape);
  if (sameShape(out, x.shape)) return x;
  const [y] = g.addNode('Expand', [x, g.constantInt64([...shape], 'shape')], [{ shape: out }], {}, ([dy]) => [dy ? unbroadcast(dy, x.shape) : null, null]);
  return y;
}
