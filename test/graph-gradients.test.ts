/** Every differentiable op against central finite differences (see helpers/gradcheck.ts). */
import { describe, it } from 'vitest';
import * as G from '../src/graph/index.js';
import { gradCheck } from './helpers/gradcheck.js';

const linear = { h: 0.5, tol: 1e-3 };
const smooth = { h: 1e-2, tol: 5e-3 };

describe('gradients: convolutions', () => {
  it('conv 3x3, zero pad, bias', () =>
    gradCheck({ shapes: [[1, 2, 5, 6], [3, 2, 3, 3], [3]], build: (_g, [x, w, b]) => G.conv2d(x, w, b, { pads: 1 }), ...linear, elementwise: true }));
  it('conv stride 2, odd size (floor in the output size)', () =>
    gradCheck({
      shapes: [
        [1, 2, 7, 6],
        [3, 2, 3, 3],
      ],
      build: (_g, [x, w]) => G.conv2d(x, w, null, { stride: 2, pads: 1 }),
      ...linear,
      elementwise: true,
    }));
  it('conv 5x5 dilation 2, asymmetric pads', () =>
    gradCheck({
      shapes: [
        [1, 2, 9, 8],
        [2, 2, 3, 3],
      ],
      build: (_g, [x, w]) => G.conv2d(x, w, null, { dilation: 2, pads: [2, 1, 0, 2] }),
      ...linear,
    }));
  it('grouped conv (groups 2) and depth-wise conv', async () => {
    await gradCheck({ shapes: [[1, 4, 5, 5], [6, 2, 3, 3], [6]], build: (_g, [x, w, b]) => G.conv2d(x, w, b, { pads: 1, group: 2 }), ...linear });
    await gradCheck({
      shapes: [
        [1, 3, 6, 6],
        [3, 1, 3, 3],
      ],
      build: (_g, [x, w]) => G.conv2d(x, w, null, { pads: 1, group: 3, stride: 2 }),
      ...linear,
    });
  });
  it('1x1 conv, batch of 2', () => gradCheck({ shapes: [[2, 3, 4, 4], [5, 3, 1, 1], [5]], build: (_g, [x, w, b]) => G.conv2d(x, w, b), ...linear }));
  it('transposed conv stride 2 with output padding, grouped', async () => {
    await gradCheck({
      shapes: [[1, 2, 4, 3], [2, 3, 3, 3], [3]],
      build: (_g, [x, w, b]) => G.convTranspose2d(x, w, b, { stride: 2, pads: 1, outputPadding: [1, 1] }),
      ...linear,
      elementwise: true,
    });
    await gradCheck({
      shapes: [
        [1, 4, 3, 3],
        [4, 1, 5, 5],
      ],
      build: (_g, [x, w]) => G.convTranspose2d(x, w, null, { stride: 2, pads: 2, outputPadding: [1, 1], group: 4 }),
      ...linear,
    });
  });
});

describe('gradients: elementwise and activations', () => {
  const shape = [[1, 2, 3, 4]];
  it('add/sub/mul/div with broadcasting', async () => {
    await gradCheck({
      shapes: [
        [2, 3, 4],
        [3, 1],
      ],
      build: (_g, [a, b]) => G.add(G.mul(a, b), G.sub(a, b)),
      ...smooth,
    });
    await gradCheck({ shapes: [[2, 3], [3]], build: (_g, [a, b]) => G.div(a, G.add(G.mul(b, b), 1)), ...smooth });
  });
  for (const [name, f] of [
    ['sigmoid', G.sigmoid],
    ['tanh', G.tanh],
    ['exp', G.exp],
    ['atan', G.atan],
    ['swish', G.swish],
    ['sin', G.sin],
    ['cos', G.cos],
    ['leakyRelu 0.2', (x: G.Value) => G.leakyRelu(x, 0.2)],
    ['relu', G.relu],
    ['elu', (x: G.Value) => G.elu(x, 1)],
    ['square', G.square],
  ] as const) {
    // Inputs kept at least 0.1 away from 0 so piecewise activations are differentiable within ±h.
    const awayFromZero = (_i: number, rng: { uniform(): number }, n: number) =>
      Float32Array.from({ length: n }, () => (rng.uniform() < 0.5 ? -1 : 1) * (0.1 + 0.9 * rng.uniform()));
    it(name, () => gradCheck({ shapes: shape, build: (_g, [x]) => (f as (v: G.Value) => G.Value)(x), init: awayFromZero, h: 1e-2, tol: 1e-2 }));
  }
  it('log and sqrt on positive inputs', () =>
    gradCheck({
      shapes: shape,
      build: (_g, [x]) => G.add(G.log(x), G.sqrt(x)),
      init: (_i, rng, n) => rng.fillUniform(new Float32Array(n), 0.5, 2),
      ...smooth,
    }));
  it('abs and clip away from the kinks', () =>
    gradCheck({
      shapes: shape,
      build: (_g, [x]) => G.add(G.abs(x), G.clip(x, -0.5, 0.5)),
      init: (_i, rng, n) => rng.fillUniform(new Float32Array(n), 0.6, 1),
      ...smooth,
    }));
});

describe('gradients: shapes, padding, sampling', () => {
  it('reflection pad (the op TF.js gets wrong)', () =>
    gradCheck({ shapes: [[1, 2, 4, 5]], build: (_g, [x]) => G.pad(x, [0, 0, 2, 1, 0, 0, 1, 3], 'reflect'), ...linear, elementwise: true }));
  it('reflection pad wide enough for the concatenated adjoint (empty middle, one-sided pads)', async () => {
    await gradCheck({ shapes: [[1, 2, 6, 7]], build: (_g, [x]) => G.pad(x, [0, 0, 2, 1, 0, 0, 1, 3], 'reflect'), ...linear, elementwise: true });
    await gradCheck({ shapes: [[1, 1, 4, 4]], build: (_g, [x]) => G.pad(x, [0, 0, 1, 1, 0, 0, 1, 1], 'reflect'), ...linear, elementwise: true });
    await gradCheck({ shapes: [[1, 1, 5, 3]], build: (_g, [x]) => G.pad(x, [0, 0, 0, 1, 0, 0, 2, 0], 'reflect'), ...linear, elementwise: true });
  });
  it('replicate (edge) pad', () =>
    gradCheck({ shapes: [[1, 1, 3, 4]], build: (_g, [x]) => G.pad(x, [0, 0, 2, 1, 0, 0, 3, 2], 'edge'), ...linear, elementwise: true }));
  it('zero pad', () => gradCheck({ shapes: [[1, 1, 3, 3]], build: (_g, [x]) => G.pad(x, [0, 0, 1, 1, 0, 0, 2, 0]), ...linear, elementwise: true }));
  it('bilinear x2 half-pixel (the other op TF.js gets wrong)', async () => {
    await gradCheck({ shapes: [[1, 2, 3, 4]], build: (_g, [x]) => G.upsampleBilinear2x(x), ...linear, elementwise: true });
    await gradCheck({ shapes: [[1, 1, 1, 2]], build: (_g, [x]) => G.upsampleBilinear2x(x), ...linear, elementwise: true });
  });
  it('nearest x2 and x4', async () => {
    await gradCheck({ shapes: [[1, 2, 3, 2]], build: (_g, [x]) => G.upsampleNearest(x, 2), ...linear, elementwise: true });
    await gradCheck({ shapes: [[1, 1, 2, 2]], build: (_g, [x]) => G.upsampleNearest(x, 4), ...linear, elementwise: true });
  });
  it('average and max pooling', async () => {
    await gradCheck({ shapes: [[1, 2, 4, 6]], build: (_g, [x]) => G.avgPool(x, 2), ...linear, elementwise: true });
    await gradCheck({ shapes: [[1, 2, 4, 4]], build: (_g, [x]) => G.maxPool(x, 2), h: 1e-3, tol: 5e-3 });
  });
  it('pixel shuffle and unshuffle', async () => {
    await gradCheck({ shapes: [[1, 8, 2, 3]], build: (_g, [x]) => G.pixelShuffle(x, 2), ...linear, elementwise: true });
    await gradCheck({ shapes: [[1, 2, 4, 6]], build: (_g, [x]) => G.pixelUnshuffle(x, 2), ...linear });
  });
  it('concat, split, slice, reshape, transpose', async () => {
    await gradCheck({
      shapes: [
        [1, 2, 3, 3],
        [1, 3, 3, 3],
      ],
      build: (_g, [a, b]) => {
        const c = G.concat([a, b, a], 1);
        const [p, q] = G.split(c, 1, [4, 3]);
        const s = G.slice(p, [2, 3], [1, 0], [3, 2]);
        return G.add(G.reshape(G.transpose(s, [0, 1, 3, 2]), [1, 4, 2, 2]), G.slice(q, [1, 2, 3], [0, 0, 0], [1, 2, 2]));
      },
      ...linear,
    });
  });
  it('reductions and matmul/gemm', async () => {
    await gradCheck({ shapes: [[2, 3, 4]], build: (_g, [x]) => G.add(G.reduceSum(x, [1], true), G.reduceMean(x, [1, 2], true)), ...linear });
    await gradCheck({
      shapes: [
        [3, 4],
        [4, 2],
      ],
      build: (_g, [a, b]) => G.matmul(a, b),
      ...linear,
    });
    await gradCheck({
      shapes: [
        [2, 3, 4],
        [2, 4, 2],
      ],
      build: (_g, [a, b]) => G.matmul(a, b),
      ...linear,
    });
    await gradCheck({ shapes: [[3, 4], [5, 4], [5]], build: (_g, [a, b, c]) => G.linear(a, b, c), ...linear });
  });
});

describe('gradients: normalisation and losses', () => {
  it('batch norm in training mode (per-image statistics)', () =>
    gradCheck({ shapes: [[1, 3, 4, 5], [3], [3]], build: (_g, [x, gm, bt]) => G.batchNorm(x, gm, bt), h: 1e-2, tol: 1e-2 }));
  it('batch norm with a batch of 2', () =>
    gradCheck({ shapes: [[2, 2, 3, 3], [2], [2]], build: (_g, [x, gm, bt]) => G.batchNorm(x, gm, bt), h: 1e-2, tol: 1e-2 }));
  it('conv then batch norm (the conv backward takes the norm gradient with its scale folded)', async () => {
    const convBn =
      (stride: number) =>
      (_g: G.Graph, [x, w, b, gm, bt]: G.Value[]) =>
        G.batchNorm(G.conv2d(x, w, b, { pads: 1, stride }), gm, bt);
    await gradCheck({ shapes: [[1, 2, 5, 6], [3, 2, 3, 3], [3], [3], [3]], build: convBn(1), h: 1e-2, tol: 1e-2 });
    await gradCheck({ shapes: [[1, 2, 7, 6], [3, 2, 3, 3], [3], [3], [3]], build: convBn(2), h: 1e-2, tol: 1e-2 });
  });
  it('mean-only batch norm', () => gradCheck({ shapes: [[1, 3, 4, 4], [3]], build: (_g, [x, b]) => G.meanOnlyBatchNorm(x, b), ...linear }));
  it('masked MSE, L1 and TV', async () => {
    const mask = (g: G.Graph) =>
      g.constant(
        Float32Array.from({ length: 2 * 3 * 3 }, (_, i) => (i % 3 ? 1 : 0)),
        [1, 2, 3, 3],
      );
    await gradCheck({
      shapes: [
        [1, 2, 3, 3],
        [1, 2, 3, 3],
      ],
      build: (g, [x, t]) => G.mse(x, t, mask(g)),
      ...smooth,
    });
    await gradCheck({ shapes: [[1, 2, 3, 3]], build: (g, [x]) => G.l1(x, g.constant(new Float32Array(18).fill(2), [1, 2, 3, 3]), mask(g)), ...smooth });
    await gradCheck({ shapes: [[1, 2, 4, 5]], build: (_g, [x]) => G.totalVariation(x, 0.5), h: 1e-3, tol: 1e-2 });
  });
});

describe('gradients on the WebAssembly backend (onnxruntime-web, run in Node)', () => {
  const wasm = { h: 0.5, tol: 1e-3, backend: 'wasm' as const };
  it('conv (stride 1 and 2), reflection pad, bilinear and nearest upsampling, batch norm', async () => {
    await gradCheck({ shapes: [[1, 2, 5, 6], [3, 2, 3, 3], [3]], build: (_g, [x, w, b]) => G.conv2d(x, w, b, { pads: 1 }), ...wasm });
    await gradCheck({
      shapes: [
        [1, 2, 7, 6],
        [3, 2, 3, 3],
      ],
      build: (_g, [x, w]) => G.conv2d(x, w, null, { stride: 2, pads: 1 }),
      ...wasm,
    });
    await gradCheck({ shapes: [[1, 2, 4, 5]], build: (_g, [x]) => G.pad(x, [0, 0, 2, 1, 0, 0, 1, 3], 'reflect'), ...wasm });
    await gradCheck({ shapes: [[1, 2, 6, 7]], build: (_g, [x]) => G.pad(x, [0, 0, 2, 1, 0, 0, 1, 3], 'reflect'), ...wasm });
    await gradCheck({ shapes: [[1, 2, 3, 4]], build: (_g, [x]) => G.upsampleBilinear2x(x), ...wasm });
    await gradCheck({ shapes: [[1, 2, 3, 2]], build: (_g, [x]) => G.upsampleNearest(x, 2), ...wasm });
    await gradCheck({ shapes: [[1, 3, 4, 5], [3], [3]], build: (_g, [x, gm, bt]) => G.batchNorm(x, gm, bt), ...wasm, h: 1e-2, tol: 1e-2 });
  });
});
