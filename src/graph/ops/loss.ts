/** Data terms and regularisers. All return a scalar (shape []) value. */
import { GraphError } from '../../util/errors.js';
import { sameShape, shapeStr, type Value } from '../graph.js';
import { abs, add, mul, sqrt, square, sub } from './elementwise.js';
import { reduceMean, reduceSum } from './reduce.js';
import { slice } from './shape.js';

function check(name: string, a: Value, b: Value) {
  if (!sameShape(a.shape, b.shape)) throw new GraphError(`${name}: shapes differ ${shapeStr(a.shape)} vs ${shapeStr(b.shape)}`);
}

/** mean((x − t)²), PyTorch MSELoss. With a mask m: mean(((x − t)·m)²) as in the DIP inpainting notebook. */
export function mse(x: Value, target: Value, mask?: Value): Value {
  check('mse', x, target);
  let d = sub(x, target);
  if (mask) d = mul(d, mask);
  return reduceMean(square(d));
}

/** mean(|x − t|·m): the robust data term for impulse noise. */
export function l1(x: Value, target: Value, mask?: Value): Value {
  check('l1', x, target);
  let d = abs(sub(x, target));
  if (mask) d = mul(d, mask);
  return reduceMean(d);
}

/**
 * Total variation Σ ((Δh x)² + (Δw x)²)^β over the common interior, as in the DIP code (β = 0.5 is
 * isotropic TV; a small ε keeps the square root differentiable at flat regions).
 */
export function totalVariation(x: Value, beta = 0.5, eps = 1e-8): Value {
  const [, , h, w] = x.shape;
  const dh = sub(slice(x, [2, 3], [1, 0], [h, w - 1]), slice(x, [2, 3], [0, 0], [h - 1, w - 1]));
  const dw = sub(slice(x, [2, 3], [0, 1], [h - 1, w]), slice(x, [2, 3], [0, 0], [h - 1, w - 1]));
  const s = add(add(square(dh), square(dw)), eps);
  if (beta === 0.5) return reduceSum(sqrt(s));
  if (beta === 1) return reduceSum(s);
  throw new GraphError(`totalVariation: beta ${beta} is not supported (use 0.5 or 1)`);
}
