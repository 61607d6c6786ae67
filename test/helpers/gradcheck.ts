/**
 * Gradient checks against central finite differences. The loss is a random linear functional
 * L = Σ r ⊙ f(x) of the op's output, so any op can be checked; derivatives are compared along
 * random directions (cheap for any size) and, for small inputs, element by element.
 * Differences are accumulated in float64 on the host; the step h is chosen per op (linear ops
 * allow a large h, which removes float32 rounding from the comparison).
 */
import { expect } from 'vitest';
import { Graph, gradients, mul, reduceSum, type Value } from '../../src/graph/index.js';
import { Engine, type BackendName } from '../../src/runtime/engine.js';
import { nodePlatform } from '../../src/runtime/platform-node.js';
import { Rng } from '../../src/util/random.js';

const engines = new Map<string, Promise<Engine>>();
/** cpu/webgpu/cuda through onnxruntime-node; wasm through onnxruntime-web (the Node platform delegates it). */
export function engineFor(backend: BackendName): Promise<Engine> {
  if (!engines.has(backend)) engines.set(backend, Engine.create(nodePlatform, { backend, threads: backend === 'cpu' ? 1 : 2 }));
  return engines.get(backend)!;
}
export function cpuEngine(): Promise<Engine> {
  return engineFor('cpu');
}

/** null when the backend can run here, else the reason it cannot (for a visible skip message). */
export async function backendUnavailable(backend: BackendName): Promise<string | null> {
  if (backend === 'webgpu') process.env.XDG_RUNTIME_DIR ??= '/tmp';
  return nodePlatform.probe(backend);
}

export interface GradCheckCase {
  /** Shapes of the differentiable inputs. */
  shapes: number[][];
  build: (g: Graph, xs: Value[]) => Value;
  /** Initial values (default U(-1, 1)). */
  init?: (i: number, rng: Rng, n: number) => Float32Array;
  h?: number;
  tol?: number;
  directions?: number;
  /**
   * Perturb every input at once (networks: many tensors, some with ~0 gradient): along random
   * directions, or along the analytic gradient itself (unit norm), where float32 differences have
   * the best signal-to-noise ratio but an error orthogonal to the gradient goes unseen.
   */
  joint?: 'random' | 'gradient';
  elementwise?: boolean;
  seed?: number;
  /** Provider to check on (default cpu). */
  backend?: BackendName;
}

export async function gradCheck(c: GradCheckCase): Promise<{ maxRelErr: number }> {
  const rng = new Rng(c.seed ?? 1);
  const g = new Graph('gradcheck');
  const xs = c.shapes.map((s, i) => g.input(`x${i}`, s));
  const y = c.build(g, xs);
  const n = y.shape.reduce((a, b) => a * b, 1);
  const r = g.constant(rng.fillUniform(new Float32Array(n), -1, 1), y.shape, 'r');
  const loss = reduceSum(mul(y, r));
  g.output(loss, 'loss');
  const grads = gradients(loss, xs);
  grads.forEach((d, i) => {
    if (!d) throw new Error(`no gradient for input ${i}`);
    g.output(d, `g${i}`);
  });
  const prog = await (await engineFor(c.backend ?? 'cpu')).compile(g);
  const values = c.shapes.map((s, i) => {
    const size = s.reduce((a, b) => a * b, 1);
    return c.init ? c.init(i, rng, size) : rng.fillUniform(new Float32Array(size), -1, 1);
  });
  const feeds = (vals: Float32Array[]) => Object.fromEntries(vals.map((v, i) => [`x${i}`, v]));
  const base = await prog.run(feeds(values));
  const h = c.h ?? 1e-2;
  const tol = c.tol ?? 2e-3;
  let maxRelErr = 0;
  const lossAt = async (vals: Float32Array[]) => (await prog.run(feeds(vals))).loss[0];
  const compare = (analytic: number, numeric: number, what: string) => {
    const scale = Math.max(Math.abs(analytic), Math.abs(numeric), 1e-2);
    const err = Math.abs(analytic - numeric) / scale;
    maxRelErr = Math.max(maxRelErr, err);
    expect(err, `${what}: analytic ${analytic} vs numeric ${numeric}`).toBeLessThan(tol);
  };
  if (c.joint) {
    const directions = jointDirections(c.joint, c.directions ?? 3, values, (j) => base[`g${j}`], rng);
    for (const [k, us] of directions.entries()) {
      const step = (sign: number) => values.map((v, j) => v.map((x, e) => x + sign * h * us[j][e]));
      const numeric = ((await lossAt(step(1))) - (await lossAt(step(-1)))) / (2 * h);
      let analytic = 0;
      us.forEach((u, j) => {
        for (let e = 0; e < u.length; e++) analytic += base[`g${j}`][e] * u[e];
      });
      compare(analytic, numeric, `joint ${c.joint} direction ${k}`);
    }
    await prog.release();
    return { maxRelErr };
  }
  for (let i = 0; i < values.length; i++) {
    const grad = base[`g${i}`];
    const dirs = c.directions ?? 3;
    for (let k = 0; k < dirs; k++) {
      const u = rng.fillUniform(new Float32Array(values[i].length), -1, 1);
      const plus = values.map((v, j) => (j === i ? v.map((x, e) => x + h * u[e]) : v));
      const minus = values.map((v, j) => (j === i ? v.map((x, e) => x - h * u[e]) : v));
      const numeric = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * h);
      let analytic = 0;
      for (let e = 0; e < u.length; e++) analytic += grad[e] * u[e];
      compare(analytic, numeric, `input ${i} direction ${k}`);
    }
    if (c.elementwise && values[i].length <= 64) {
      for (let e = 0; e < values[i].length; e++) {
        const plus = values.map((v, j) => (j === i ? v.map((x, q) => (q === e ? x + h : x)) : v));
        const minus = values.map((v, j) => (j === i ? v.map((x, q) => (q === e ? x - h : x)) : v));
        const numeric = ((await lossAt(plus)) - (await lossAt(minus))) / (2 * h);
        compare(grad[e], numeric, `input ${i} element ${e}`);
      }
    }
  }
  await prog.release();
  return { maxRelErr };
}

function jointDirections(kind: 'random' | 'gradient', count: number, values: Float32Array[], grad: (j: number) => Float32Array, rng: Rng): Float32Array[][] {
  if (kind === 'random') return Array.from({ length: count }, () => values.map((v) => rng.fillUniform(new Float32Array(v.length), -1, 1)));
  let norm = 0;
  values.forEach((_, j) => {
    for (const x of grad(j)) norm += x * x;
  });
  norm = Math.sqrt(norm) || 1;
  return [values.map((_, j) => grad(j).map((x) => x / norm))];
}
