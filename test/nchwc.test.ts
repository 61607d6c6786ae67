/**
 * The CPU provider's NCHWc lowering of convolutions (src/graph/nchwc.ts) against a float64 direct
 * convolution on the host: blocked and NCHW inputs, channel counts that are not block multiples,
 * strides, dilations, asymmetric pads, with and without bias; and which convs it leaves alone.
 */
import { describe, expect, it } from 'vitest';
import { conv2d, emittedNodes, Graph, type ConvOptions } from '../src/graph/index.js';
import { nchwcLowering } from '../src/graph/nchwc.js';
import { Engine } from '../src/runtime/engine.js';
import { nchwcBlockSize } from '../src/runtime/nchwc-probe.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { Rng } from '../src/util/random.js';
import { relErr } from './helpers/fixture.js';

interface Case {
  x: [number, number, number, number];
  w: [number, number, number, number];
  bias: boolean;
  o: Required<Pick<ConvOptions, 'stride' | 'dilation'>> & { pads: [number, number, number, number] };
}

/** Float64 direct convolution (NCHW, OIHW, zero padding). */
function reference(c: Case, x: Float32Array, w: Float32Array, b: Float32Array | null, out: number[]): Float64Array {
  const [n, ci, h, wd] = c.x;
  const [co, , kh, kw] = c.w;
  const [s, d] = [c.o.stride as number, c.o.dilation as number];
  const [, , ho, wo] = out;
  const y = new Float64Array(n * co * ho * wo);
  for (let m = 0; m < n; m++)
    for (let o = 0; o < co; o++)
      for (let r = 0; r < ho; r++)
        for (let q = 0; q < wo; q++) {
          let acc = b ? b[o] : 0;
          for (let i = 0; i < ci; i++)
            for (let a = 0; a < kh; a++)
              for (let e = 0; e < kw; e++) {
                const [rr, qq] = [r * s - c.o.pads[0] + a * d, q * s - c.o.pads[1] + e * d];
                if (rr >= 0 && rr < h && qq >= 0 && qq < wd) acc += x[((m * ci + i) * h + rr) * wd + qq] * w[((o * ci + i) * kh + a) * kw + e];
              }
          y[((m * co + o) * ho + r) * wo + q] = acc;
        }
  return y;
}

function build(c: Case) {
  const g = new Graph('nchwc');
  const x = g.input('x', c.x);
  const w = g.input('w', c.w);
  const b = c.bias ? g.input('b', [c.w[0]]) : null;
  const y = conv2d(x, w, b, c.o);
  g.output(y, 'y');
  return { g, y };
}

const cases: [string, Case][] = [
  [
    '3×3, 132 → 20 channels (neither a block multiple), bias',
    { x: [1, 132, 9, 11], w: [20, 132, 3, 3], bias: true, o: { stride: 1, dilation: 1, pads: [1, 1, 1, 1] } },
  ],
  ['3×3 stride 2, asymmetric pads, 32 → 16', { x: [1, 32, 10, 7], w: [16, 32, 3, 3], bias: false, o: { stride: 2, dilation: 1, pads: [1, 0, 0, 1] } }],
  [
    '3×3 dilation 2, 8 input channels (NCHW path), 5 outputs',
    { x: [1, 8, 9, 9], w: [5, 8, 3, 3], bias: true, o: { stride: 1, dilation: 2, pads: [2, 2, 2, 2] } },
  ],
  ['5×5, 3 input channels, batch of 2', { x: [2, 3, 8, 8], w: [4, 3, 5, 5], bias: true, o: { stride: 1, dilation: 1, pads: [0, 0, 0, 0] } }],
];

describe('NCHWc lowering of convolutions (CPU provider)', async () => {
  const block = await nchwcBlockSize(await nodePlatform.loadOrt('cpu'));
  if (!block) console.warn('[skip] NCHWc lowering: this ONNX Runtime has no NCHWc kernels here');
  const engine = await Engine.create(nodePlatform, { backend: 'cpu', threads: 1 });

  for (const [name, c] of cases) {
    it.skipIf(!block)(`${name}: lowered, and within 1e-5 of a float64 convolution`, async () => {
      const { g, y } = build(c);
      expect(emittedNodes(g, nchwcLowering(g, block)).some((n) => n.domain === 'com.microsoft.nchwc' && n.op === 'Conv')).toBe(true);
      const rng = new Rng(3);
      const feeds: Record<string, Float32Array> = {
        x: rng.fillUniform(new Float32Array(c.x.reduce((p, q) => p * q, 1)), -1, 1),
        w: rng.fillUniform(new Float32Array(c.w.reduce((p, q) => p * q, 1)), -1, 1),
      };
      if (c.bias) feeds.b = rng.fillUniform(new Float32Array(c.w[0]), -1, 1);
      const prog = await engine.compile(g);
      const out = await prog.run(feeds);
      await prog.release();
      expect(relErr(out.y, reference(c, feeds.x, feeds.w, feeds.b ?? null, [...y.shape]))).toBeLessThan(1e-5);
    });
  }

  it.skipIf(!block)('leaves 1×1, grouped and non-multiple-of-4 blocked convolutions as they are', () => {
    const g = new Graph('kept');
    conv2d(g.input('a', [1, 32, 4, 4]), g.input('wa', [8, 32, 1, 1]), null);
    conv2d(g.input('b', [1, 32, 4, 4]), g.input('wb', [32, 16, 3, 3]), null, { group: 2, pads: 1 });
    const y = conv2d(g.input('c', [1, 18, 4, 4]), g.input('wc', [8, 18, 3, 3]), null, { pads: 1 });
    g.output(y, 'y');
    const lower = nchwcLowering(g, block);
    expect(g.nodes.filter((n) => n.op === 'Conv').map((n) => lower(n))).toEqual([null, null, null]);
  });
});
