/**
 * Counter-based Gaussian noise inside the graph: every value is a hash of (its index, a per-call key),
 * turned into a normal by Box–Muller. Why not ONNX RandomNormalLike: ONNX Runtime's CPU kernel draws
 * from std::default_random_engine (minstd_rand0, period 2³¹ − 2), and its stream repeats after
 * 1.69·10⁹ normals (measured) — the reg-noise of a 256² fit (32 × 256² values a step) comes back as a
 * shifted copy every 804 steps, of a 1024² fit every 50. Here the key comes from (seed, step) on the
 * host, so the draws never cycle, are the same on every backend, and a resumed fit gets the same noise
 * as an uninterrupted one.
 *
 * The hash is "lowbias32" (C. Wellons' integer-hash search: xorshift–multiply, full avalanche);
 * `hashUint32` below is its host twin, used for the keys and as the tests' reference.
 */
import { type Shape, type Value, numel } from '../graph.js';
import { add, castFloat, cos, log, mul, sin, sqrt } from './elementwise.js';
import { concat, reshape, slice } from './shape.js';

const MUL1 = 0x7feb352d;
const MUL2 = 0x846ca68b;
/** Index salt: keeps index 0 away from the hash's fixed point at 0. */
const INDEX_SALT = 0x9e3779b9;

/** Host lowbias32 on a uint32 (Math.imul wraps like uint32 multiplication). */
export function hashUint32(x: number): number {
  x = (x ^ (x >>> 16)) >>> 0;
  x = Math.imul(x, MUL1) >>> 0;
  x = (x ^ (x >>> 15)) >>> 0;
  x = Math.imul(x, MUL2) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * The two uint32 keys of one draw: a function of seed, step and attempt only. Steps differ in every
 * bit of their keys, so no two steps' fields are shifted copies of each other.
 */
export function noiseKeys(seed: number, step: number, attempt = 0): BigInt64Array {
  const base = hashUint32((hashUint32(seed >>> 0) ^ hashUint32((step * 0x10001 + attempt) >>> 0)) >>> 0);
  return BigInt64Array.of(BigInt(hashUint32(base ^ 0x68e31da4)), BigInt(hashUint32(base ^ 0xb5297a4d)));
}

function uintOp(op: string, a: Value, b: Value, shape: Shape, attrs = {}): Value {
  return a.graph.addNode(op, [a, b], [{ shape, dtype: 'uint32' }], attrs)[0];
}

/** lowbias32 in the graph, elementwise on a uint32 tensor. */
export function hashGraph(x: Value): Value {
  const g = x.graph;
  const u = (k: number) => g.constantUint32([k], []);
  const xorShift = (v: Value, s: number) => uintOp('BitwiseXor', v, uintOp('BitShift', v, u(s), v.shape, { direction: 'RIGHT' }), v.shape);
  let h = xorShift(x, 16);
  h = uintOp('Mul', h, u(MUL1), h.shape);
  h = xorShift(h, 15);
  h = uintOp('Mul', h, u(MUL2), h.shape);
  return xorShift(h, 16);
}

/**
 * `pairs` pairs of uniforms in (0, 1) as a [pairs, 2] tensor, from `keys` (an int64 [2] input fed per
 * call, see noiseKeys): index i's pair is hash(hash(i ^ salt) ^ key).
 */
function uniformPairs(keys: Value, pairs: number): Value {
  const g = keys.graph;
  const bound = (x: number) => g.constantInt64([x], 'range', []);
  const [index] = g.addNode('Range', [bound(0), bound(pairs), bound(1)], [{ shape: [pairs], dtype: 'int64' }]);
  const [index32] = g.addNode('Cast', [index], [{ shape: [pairs], dtype: 'uint32' }], { to: 12 });
  // Depends on constants only, so ONNX Runtime's constant folding may compute it once at load.
  const indexHash = hashGraph(uintOp('BitwiseXor', index32, g.constantUint32([INDEX_SALT], []), [pairs]));
  const [keys32] = g.addNode('Cast', [keys], [{ shape: [2], dtype: 'uint32' }], { to: 12 });
  const bits = hashGraph(uintOp('BitwiseXor', reshape(indexHash, [pairs, 1]), keys32, [pairs, 2]));
  // Top 24 bits → uniforms in (0, 1), exact in float32 and never 0 (log stays finite).
  const top = uintOp('BitShift', bits, g.constantUint32([8], []), [pairs, 2], { direction: 'RIGHT' });
  return mul(add(castFloat(top), 0.5), 2 ** -24);
}

/** The first numel(shape) entries of a flat [2·pairs] field, reshaped. */
function firstOf(flat: Value, shape: Shape): Value {
  const n = numel(shape);
  return reshape(n === flat.shape[0] ? flat : slice(flat, [0], [0], [n]), shape);
}

/** Uniform noise in (0, 1) of `shape`, from `keys` (see uniformPairs). */
export function hashedUniform(keys: Value, shape: Shape): Value {
  const pairs = Math.ceil(numel(shape) / 2);
  return firstOf(reshape(uniformPairs(keys, pairs), [2 * pairs]), shape);
}

/** Standard normal noise of `shape`, from `keys`: each pair of uniforms gives two normals (Box–Muller, cos and sin). */
export function hashedNormal(keys: Value, shape: Shape): Value {
  const pairs = Math.ceil(numel(shape) / 2);
  const uniform = uniformPairs(keys, pairs);
  const u1 = slice(uniform, [1], [0], [1]);
  const u2 = slice(uniform, [1], [1], [2]);
  const radius = sqrt(mul(log(u1), -2));
  const angle = mul(u2, 2 * Math.PI);
  return firstOf(reshape(concat([mul(radius, cos(angle)), mul(radius, sin(angle))], 1), [2 * pairs]), shape);
}
