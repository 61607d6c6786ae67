/**
 * Batch norm of channels whose mean dwarfs their spread (DIP's first layer sees 0.1·U(0, 1) noise, so
 * |μ|/σ is large there), forward and backward, against a float64 re-computation on the host, on the
 * CPU provider and on onnxruntime-web's WebAssembly backend. x − μ amplifies the error of the mean by
 * |μ|/σ, so the per-channel statistics must be summed accurately: a single ReduceMean over H·W on
 * wasm missed by up to ~7.6e-6 (relative), which flipped the sign of a near-zero pre-activation of the
 * PyTorch fixture net and moved its first-step gradients by 2 % (test/backend-conformance.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { batchNorm, Graph, gradients, mul, reduceSum } from '../src/graph/index.js';
import type { BackendName } from '../src/runtime/engine.js';
import { Rng } from '../src/util/random.js';
import { relErr } from './helpers/fixture.js';
import { backendUnavailable, engineFor } from './helpers/gradcheck.js';

const [C, H, W] = [3, 256, 256];
const MEAN = 1;
const SPREAD = 0.01;
const EPS = 1e-5;

/** Channel data μ_c + SPREAD·N(0, 1), μ_c near MEAN. */
function channels(rng: Rng, mean: number, spread: number): Float32Array {
  const x = new Float32Array(C * H * W);
  for (let c = 0; c < C; c++) for (let i = 0; i < H * W; i++) x[c * H * W + i] = mean * (1 + 0.1 * c) + spread * rng.normal();
  return x;
}

/** Float64 batch norm (γ = 1, β = 0) and its input gradient for L = Σ r ⊙ y. */
function reference(x: Float32Array, r: Float32Array): { y: Float64Array; dx: Float64Array } {
  const n = H * W;
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  for (let c = 0; c < C; c++) {
    const at = (i: number) => c * n + i;
    let mu = 0;
    for (let i = 0; i < n; i++) mu += x[at(i)] / n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (x[at(i)] - mu) ** 2 / n;
    const inv = 1 / Math.sqrt(variance + EPS);
    let m1 = 0;
    let m2 = 0;
    for (let i = 0; i < n; i++) {
      y[at(i)] = (x[at(i)] - mu) * inv;
      m1 += r[at(i)] / n;
      m2 += (r[at(i)] * y[at(i)]) / n;
    }
    for (let i = 0; i < n; i++) dx[at(i)] = (r[at(i)] - m1 - y[at(i)] * m2) * inv;
  }
  return { y, dx };
}

async function runBatchNorm(backend: BackendName, x: Float32Array, r: Float32Array) {
  const g = new Graph('bn-accuracy');
  const xv = g.input('x', [1, C, H, W]);
  const rv = g.input('r', [1, C, H, W]);
  const y = batchNorm(xv, g.constant(new Float32Array(C).fill(1), [C]), g.constant(new Float32Array(C), [C]), EPS);
  g.output(y, 'y');
  g.output(gradients(reduceSum(mul(y, rv)), [xv])[0]!, 'dx');
  const prog = await (await engineFor(backend)).compile(g);
  const out = await prog.run({ x, r });
  await prog.release();
  return out;
}

for (const backend of ['cpu', 'wasm'] as BackendName[]) {
  describe(`batch norm accuracy: ${backend}`, async () => {
    const why = await backendUnavailable(backend);
    if (why) console.warn(`[skip] ${backend} batch norm accuracy: ${why}`);
    // The statistics must be good to 1e-6·|μ|: with |μ|/σ = 100 that is 1e-4 on the output, and 1e-3
    // on the input gradient, whose upstream gradient r (|mean|/spread = 10) multiplies it by 10 again.
    it.skipIf(!!why)(`${backend}: |μ|/σ = 100 at 256², output within 1e-4 and input gradient within 1e-3 of float64`, async () => {
      const rng = new Rng(7);
      const x = channels(rng, MEAN, SPREAD);
      // An upstream gradient with a large common part: its backward is a small residual too.
      const r = channels(rng, MEAN, SPREAD * 10);
      const ref = reference(x, r);
      const got = await runBatchNorm(backend, x, r);
      expect(relErr(got.y, ref.y)).toBeLessThan(1e-4);
      expect(relErr(got.dx, ref.dx)).toBeLessThan(1e-3);
    });
  });
}
