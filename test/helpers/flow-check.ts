/**
 * Checks for invertible flow blocks against independent references: the inverse against the input,
 * the log-determinant against log|det J| of a finite-difference Jacobian (float64 LU on the host),
 * and the gradients of a random functional of (output, log-det, inverse) against central differences.
 * Parameters are randomised away from their identity-like init so every path is exercised.
 */
import { expect } from 'vitest';
import { Graph, concat, gradients, mul, reduceSum, reshape, type Value } from '../../src/graph/index.js';
import { FlowContext, type InvertibleBlock } from '../../src/flow/context.js';
import { logAbsDet } from '../../src/flow/host-linalg.js';
import { Params } from '../../src/graph/params.js';
import { Rng } from '../../src/util/random.js';
import { cpuEngine } from './gradcheck.js';

/** Builds the block under test in a fresh context; `cond` is the conditioning input when condShape is given. */
export type BlockFactory = (ctx: FlowContext) => InvertibleBlock;

export interface BlockCase {
  make: BlockFactory;
  shape: number[];
  condShape?: number[];
  seed?: number;
  /** Spread of the random perturbation added to every parameter. */
  paramNoise?: number;
}

/** Initial parameters plus U(±noise) on every entry (zero-initialised layers come alive). */
export function randomisedParams(params: Params, seed: number, noise: number): Float32Array[] {
  const rng = new Rng(seed);
  return params.initialize(rng).map((a) => a.map((v) => v + noise * (2 * rng.uniform() - 1)));
}

function paramFeeds(params: Params, values: Float32Array[]): Record<string, Float32Array> {
  return Object.fromEntries(params.values.map((p, i) => [p.name, values[i]]));
}

function fill(rng: Rng, shape: number[], lo = -1, hi = 1): Float32Array {
  return rng.fillUniform(new Float32Array(shape.reduce((a, b) => a * b, 1)), lo, hi);
}

/** Per-sample flattening, [N, …] → [N, D]. */
function flat(v: Value): Value {
  return reshape(v, [v.shape[0], -1]);
}

interface Built {
  graph: Graph;
  params: Params;
  x: Value;
  cond?: Value;
  block: InvertibleBlock;
}

function build(c: BlockCase, batch: number): Built {
  const graph = new Graph('flow_check');
  const params = new Params(graph);
  const block = c.make(new FlowContext(params));
  const x = graph.input('x', [batch, ...c.shape.slice(1)]);
  const cond = c.condShape ? graph.input('cond', [batch, ...c.condShape.slice(1)]) : undefined;
  return { graph, params, x, cond, block };
}

/** max |inverse(forward(x)) − x| relative to max |x|, and the forward log-det per sample. */
export async function inverseError(c: BlockCase): Promise<number> {
  const b = build(c, c.shape[0]);
  const out = b.block.forward(b.x, b.cond);
  b.graph.output(b.block.inverse(out.y, b.cond), 'back');
  const rng = new Rng(c.seed ?? 1);
  const xv = fill(rng, c.shape, -1, 1);
  const feeds: Record<string, Float32Array> = { x: xv, ...paramFeeds(b.params, randomisedParams(b.params, c.seed ?? 1, c.paramNoise ?? 0.2)) };
  if (c.condShape) feeds.cond = fill(rng, c.condShape);
  const prog = await (await cpuEngine()).compile(b.graph);
  const back = (await prog.run(feeds)).back;
  await prog.release();
  let err = 0;
  for (let i = 0; i < xv.length; i++) err = Math.max(err, Math.abs(back[i] - xv[i]));
  return err;
}

/**
 * log|det J| from central differences (one batched run: sample 2i±1 is x ± h·e_i) against the block's
 * log-det at x. Needs a single-sample shape with C·H·W small. Returns [reference, block's value].
 */
export async function logdetVsJacobian(c: BlockCase, h = 1e-2): Promise<[number, number]> {
  const d = c.shape.slice(1).reduce((a, b) => a * b, 1);
  const b = build(c, 2 * d + 1);
  const out = b.block.forward(b.x, b.cond);
  b.graph.output(flat(out.y), 'y');
  b.graph.output(
    out.logdet
      ? mul(out.logdet, b.graph.constant(new Float32Array(2 * d + 1).fill(1), [2 * d + 1]))
      : b.graph.constant(new Float32Array(2 * d + 1), [2 * d + 1]),
    'logdet',
  );
  const rng = new Rng(c.seed ?? 1);
  const x0 = fill(rng, [d]);
  const xs = new Float32Array((2 * d + 1) * d);
  for (let i = 0; i < d; i++) {
    xs.set(x0, 2 * i * d);
    xs.set(x0, (2 * i + 1) * d);
    xs[2 * i * d + i] += h;
    xs[(2 * i + 1) * d + i] -= h;
  }
  xs.set(x0, 2 * d * d);
  const feeds: Record<string, Float32Array> = { x: xs, ...paramFeeds(b.params, randomisedParams(b.params, c.seed ?? 1, c.paramNoise ?? 0.2)) };
  if (c.condShape) {
    const one = fill(rng, c.condShape);
    const all = new Float32Array(one.length * (2 * d + 1));
    for (let k = 0; k <= 2 * d; k++) all.set(one, k * one.length);
    feeds.cond = all;
  }
  const prog = await (await cpuEngine()).compile(b.graph);
  const res = await prog.run(feeds);
  await prog.release();
  const dOut = res.y.length / (2 * d + 1);
  expect(dOut, 'a flow block keeps the dimension').toBe(d);
  const jac = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let r = 0; r < d; r++) jac[r * d + i] = (res.y[2 * i * d + r] - res.y[(2 * i + 1) * d + r]) / (2 * h);
  return [logAbsDet(jac, d), res.logdet[2 * d]];
}

/**
 * Directional derivatives of L = Σ r₁·forward(x) + Σ r₂·logdet + Σ r₃·inverse(y) with respect to the
 * inputs, the condition and all parameters, against central differences. Each direction is tried with
 * several steps and the closest agreement counts: the ReLUs of the coupling nets put kinks within
 * reach of the larger steps, float32 rounding dominates the smaller ones, and a wrong gradient
 * disagrees at every step. Returns the worst relative error over the directions.
 */
export async function gradientError(c: BlockCase, steps = [3e-3, 1e-3, 3e-4, 1e-4], directions = 3): Promise<number> {
  const b = build(c, c.shape[0]);
  const g = b.graph;
  const rng = new Rng((c.seed ?? 1) + 7);
  const out = b.block.forward(b.x, b.cond);
  // The inverse is checked on its own input of the output's shape (squeezes change the shape).
  const yIn = g.input('y_in', out.y.shape);
  const back = b.block.inverse(yIn, b.cond);
  const r = (v: Value) => g.constant(fill(rng, [...v.shape]), v.shape, 'r');
  const terms = [reduceSum(mul(out.y, r(out.y))), reduceSum(mul(back, r(back)))];
  if (out.logdet) terms.push(reduceSum(mul(out.logdet, r(out.logdet))));
  const loss = reduceSum(
    concat(
      terms.map((t) => reshape(t, [1])),
      0,
    ),
  );
  g.output(loss, 'loss');
  const wrt = [b.x, yIn, ...(b.cond ? [b.cond] : []), ...b.params.values];
  const grads = gradients(loss, wrt);
  grads.forEach((d, i) => d && g.output(d, `g${i}`));
  const start = [fill(rng, c.shape), fill(rng, [...out.y.shape]), ...(c.condShape ? [fill(rng, c.condShape)] : [])];
  const base = [...start, ...randomisedParams(b.params, c.seed ?? 1, c.paramNoise ?? 0.2)];
  const prog = await (await cpuEngine()).compile(g);
  const feeds = (vals: Float32Array[]) => Object.fromEntries(wrt.map((v, i) => [v.name, vals[i]]));
  const res = await prog.run(feeds(base));
  let worst = 0;
  for (let k = 0; k < directions; k++) {
    const u = base.map((v) => fill(rng, [v.length]));
    let analytic = 0;
    grads.forEach((d, i) => {
      if (!d) return;
      const gv = res[`g${i}`];
      for (let e = 0; e < gv.length; e++) analytic += gv[e] * u[i][e];
    });
    let best = Infinity;
    for (const h of steps) {
      const shifted = (sign: number) => base.map((v, i) => v.map((x, e) => x + sign * h * u[i][e]));
      const numeric = ((await prog.run(feeds(shifted(1)))).loss[0] - (await prog.run(feeds(shifted(-1)))).loss[0]) / (2 * h);
      best = Math.min(best, Math.abs(analytic - numeric) / Math.max(Math.abs(analytic), Math.abs(numeric), 1e-2));
    }
    worst = Math.max(worst, best);
  }
  await prog.release();
  return worst;
}
