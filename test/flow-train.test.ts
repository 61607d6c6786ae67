/**
 * The HCFlow training core: gradient clipping and Adam against a float64 host re-computation, the
 * straight-through quantiser, ActNorm's data-dependent init, the patch sampler's alignment and
 * augmentation, and short trainings of the tiny models whose losses must fall.
 */
import { describe, expect, it } from 'vitest';
import { add, Graph, gradients, mul, reduceSum } from '../src/graph/index.js';
import { adamUpdate, clipGradients } from '../src/fit/adam-graph.js';
import { actNorm } from '../src/flow/actnorm.js';
import { flowModelConfig } from '../src/flow/config.js';
import { chain, FlowContext } from '../src/flow/context.js';
import { affineCoupling } from '../src/flow/coupling.js';
import { PatchSampler, prepareTrainingImage } from '../src/flow/patches.js';
import { quantizeStraightThrough } from '../src/flow/quantize.js';
import { type FlowBatch, trainFlow } from '../src/flow/train.js';
import { buildFlowInitGraph, FLOW_ADAM, FLOW_CLIP } from '../src/flow/train-step.js';
import { createImage, type Image } from '../src/image/image.js';
import { Params } from '../src/graph/params.js';
import { Rng } from '../src/util/random.js';
import { cpuEngine } from './helpers/gradcheck.js';

async function run(g: Graph, feeds: Record<string, Float32Array>) {
  const p = await (await cpuEngine()).compile(g);
  const out = await p.run(feeds);
  await p.release();
  return out;
}

/** A smooth random-ish RGB test image (sums of sinusoids plus fine texture). */
function testImage(w: number, h: number, seed: number): Image {
  const rng = new Rng(seed);
  const f = Array.from({ length: 9 }, () => 0.05 + 0.4 * rng.uniform());
  const img = createImage(w, h, 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        const v = 0.5 + 0.25 * Math.sin(f[c] * x + f[c + 3] * y) + 0.15 * Math.cos(f[c + 6] * (x - y)) + 0.05 * (rng.uniform() - 0.5);
        img.data[(y * w + x) * 3 + c] = Math.min(1, Math.max(0, v));
      }
    }
  }
  return img;
}

describe('clipped Adam step', () => {
  it('matches torch clip_grad_value_ + clip_grad_norm_ + Adam, recomputed in float64', async () => {
    const g = new Graph('adam');
    const shapes = [[7], [3, 4]];
    const ps = shapes.map((s, i) => g.input(`p${i}`, s));
    const cs = shapes.map((s, i) => g.input(`c${i}`, s));
    const loss = reduceSum(mul(ps[0], cs[0]));
    const total = reduceSum(mul(ps[1], cs[1]));
    const grads = gradients(add(loss, total), ps).map((d) => d!);
    const clipped = clipGradients(grads, FLOW_CLIP);
    const step = { stepSize: g.input('s', []), invSqrtBc2: g.input('b', []) };
    ps.forEach((p, i) => {
      const next = adamUpdate(p, clipped.grads[i], g.input(`m${i}`, p.shape), g.input(`v${i}`, p.shape), FLOW_ADAM, step);
      g.output(next.p, `p${i}_next`);
    });
    g.output(clipped.norm, 'norm');
    const rng = new Rng(3);
    // Gradients = c: some entries beyond the value clip, the total norm beyond 100 after it.
    const c = shapes.map((s) => Float32Array.from({ length: s.reduce((a, b) => a * b, 1) }, () => 60 * (rng.uniform() - 0.5)));
    const p = shapes.map((s) => rng.fillUniform(new Float32Array(s.reduce((a, b) => a * b, 1)), -1, 1));
    const m = p.map((a) => a.map(() => rng.uniform() - 0.5));
    const v = p.map((a) => a.map(() => rng.uniform()));
    const t = 4;
    const stepSize = FLOW_ADAM.lr / (1 - FLOW_ADAM.beta1 ** t);
    const bc2 = 1 / Math.sqrt(1 - FLOW_ADAM.beta2 ** t);
    const out = await run(g, {
      p0: p[0],
      p1: p[1],
      c0: c[0],
      c1: c[1],
      m0: m[0],
      m1: m[1],
      v0: v[0],
      v1: v[1],
      s: Float32Array.of(stepSize),
      b: Float32Array.of(bc2),
    });
    const valueClipped = c.map((a) => Array.from(a, (x) => Math.max(-5, Math.min(5, x))));
    const norm = Math.sqrt(valueClipped.flat().reduce((s, x) => s + x * x, 0));
    expect(norm).toBeGreaterThan(FLOW_CLIP.norm / 10);
    expect(out.norm[0]).toBeCloseTo(norm, 3);
    const coef = Math.min(1, FLOW_CLIP.norm / (norm + 1e-6));
    valueClipped.forEach((gs, i) =>
      gs.forEach((gr, e) => {
        const gc = gr * coef;
        const m2 = 0.9 * m[i][e] + 0.1 * gc;
        const v2 = 0.99 * v[i][e] + 0.01 * gc * gc;
        const want = p[i][e] - (stepSize * m2) / (Math.sqrt(v2) * bc2 + FLOW_ADAM.eps);
        expect(out[`p${i}_next`][e]).toBeCloseTo(want, 5);
      }),
    );
  });
});

describe('straight-through 8-bit quantisation', () => {
  it('rounds clamp(x) to multiples of 1/255 and passes the gradient unchanged', async () => {
    const g = new Graph('q');
    const x = g.input('x', [40]);
    const r = g.input('r', [40]);
    const q = quantizeStraightThrough(x);
    g.output(q, 'q');
    g.output(gradients(reduceSum(mul(q, r)), [x])[0]!, 'dx');
    const xs = Float32Array.from({ length: 40 }, (_, i) => -0.2 + (1.4 * i) / 39);
    const rs = Float32Array.from({ length: 40 }, (_, i) => Math.sin(i));
    const out = await run(g, { x: xs, r: rs });
    xs.forEach((v, i) => {
      expect(out.q[i]).toBeCloseTo(Math.round(Math.min(1, Math.max(0, v)) * 255) / 255, 6);
      expect(out.dx[i]).toBeCloseTo(rs[i], 6);
    });
  });
});

describe('ActNorm data-dependent init', () => {
  it('leaves every ActNorm of a chain with zero mean and unit variance on the init batch', async () => {
    const shape = [3, 4, 5, 5];
    const make = (ctx: FlowContext) => chain([actNorm(ctx, 'a', 4), affineCoupling(ctx, 'c', { channels: 4, net: 'fcn', hidden: 6 }), actNorm(ctx, 'b', 4)]);
    const rng = new Rng(5);
    const x = Float32Array.from({ length: 300 }, (_, i) => 3 + 2 * (i % 4) + rng.normal() * (1 + (i % 3)));
    // Init graph: statistics from the batch.
    const gi = new Graph('init');
    const pi = new Params(gi);
    const ctxI = new FlowContext(pi, { dataInit: true });
    make(ctxI).forward(gi.input('x', shape));
    for (const [index, v] of ctxI.dataInit!) gi.output(v, `init${index}`);
    const values: Float32Array[] = pi.initialize(new Rng(1)).map((a) => a.map((q) => q + 0.3 * (rng.uniform() - 0.5)));
    const feedsI: Record<string, Float32Array> = { x };
    pi.values.forEach((p, i) => (feedsI[p.name] = values[i]));
    const init = await run(gi, feedsI);
    for (const index of ctxI.dataInit!.keys()) values[index] = init[`init${index}`];
    expect(ctxI.dataInit!.size).toBe(4 + 4); // two ActNorms in the chain, two inside the coupling's FCN
    // Normal graph with those values: the final ActNorm's output is standardised per channel.
    const g = new Graph('fwd');
    const p = new Params(g);
    g.output(make(new FlowContext(p)).forward(g.input('x', shape)).y, 'y');
    const feeds: Record<string, Float32Array> = { x };
    p.values.forEach((v, i) => (feeds[v.name] = values[i]));
    const y = (await run(g, feeds)).y;
    for (let c = 0; c < 4; c++) {
      const vals: number[] = [];
      for (let n = 0; n < 3; n++) for (let k = 0; k < 25; k++) vals.push(y[(n * 4 + c) * 25 + k]);
      const mean = vals.reduce((s, q) => s + q, 0) / vals.length;
      const variance = vals.reduce((s, q) => s + (q - mean) ** 2, 0) / vals.length;
      expect(Math.abs(mean)).toBeLessThan(1e-5);
      expect(variance).toBeCloseTo(1, 4);
    }
  });
});

describe('which ActNorms the first batch initialises', () => {
  it("'all' covers the main flow and the conditional flows, 'conditional' only the latter", () => {
    for (const dataInit of ['all', 'conditional'] as const) {
      const model = flowModelConfig('rescaling', 4, 'tiny', { dataInit });
      const init = buildFlowInitGraph(model, { batch: 1, patch: 8 });
      const names = init.outputs.map((o) => init.params.specs[o.index].name);
      expect(names.length).toBeGreaterThan(0);
      expect(names.every((n) => /actnorm\.(bias|logs)$/.test(n))).toBe(true);
      expect(names.some((n) => n.startsWith('layers.'))).toBe(dataInit === 'all');
      expect(names.some((n) => n.startsWith('level0_condFlow')) && names.some((n) => n.startsWith('level1_condFlow'))).toBe(true);
    }
  });
});

describe('patch sampler', () => {
  it('cuts aligned HR/LR pairs: each LR patch is the bicubic of the whole image at the same place', () => {
    const im = prepareTrainingImage(testImage(40, 36, 1), 2);
    const sampler = new PatchSampler([im], { patch: 16, batch: 6, scale: 2, seed: 3, augment: 'flips+rotations' });
    const { hr, lr } = sampler.batch(1);
    for (let b = 0; b < 6; b++) {
      // Locate the HR patch by its first row, undoing any flip/transpose by brute force over the 8 symmetries.
      const patchHr = hr.subarray(b * 768, (b + 1) * 768);
      const patchLr = lr.subarray(b * 192, (b + 1) * 192);
      expect(findInImage(im.hr, patchHr, 16) && findInImage(im.lr, patchLr, 8)).toBeTruthy();
      // The HR patch's 2×2 bicubic-ish mean tracks its LR patch closely (same place, same orientation).
      let diff = 0;
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++) {
            const at = (yy: number, xx: number) => patchHr[c * 256 + yy * 16 + xx];
            const box = (at(2 * y, 2 * x) + at(2 * y + 1, 2 * x) + at(2 * y, 2 * x + 1) + at(2 * y + 1, 2 * x + 1)) / 4;
            diff = Math.max(diff, Math.abs(box - patchLr[c * 64 + y * 8 + x]));
          }
      expect(diff).toBeLessThan(0.15);
    }
  });
});

/** Whether the planar size×size patch occurs in img under one of the 8 flips/transposes. */
function findInImage(img: Image, patch: Float32Array, size: number): boolean {
  for (let y0 = 0; y0 + size <= img.height; y0++) {
    for (let x0 = 0; x0 + size <= img.width; x0++) {
      for (let t = 0; t < 8; t++) {
        let ok = true;
        for (let y = 0; y < size && ok; y++) {
          for (let x = 0; x < size && ok; x++) {
            let [a, b] = t & 4 ? [x, y] : [y, x];
            if (t & 2) a = size - 1 - a;
            if (t & 1) b = size - 1 - b;
            ok = Math.abs(img.data[((y0 + a) * img.width + x0 + b) * 3] - patch[y * size + x]) < 1e-7;
          }
        }
        if (ok) return true;
      }
    }
  }
  return false;
}

describe('short trainings of the tiny models', () => {
  const images = [testImage(48, 48, 11), testImage(48, 48, 12)];
  const fixedBatch = (scale: number): FlowBatch => {
    const sampler = new PatchSampler(
      images.map((im) => prepareTrainingImage(im, scale)),
      { patch: 16, batch: 2, scale, seed: 1 },
    );
    return sampler.batch(1);
  };
  for (const [kind, scale, steps] of [
    ['rescaling', 2, 40],
    ['sr', 4, 40],
  ] as const) {
    it(`${kind} ×${scale}: the loss falls on a fixed batch`, async () => {
      const batch = fixedBatch(scale);
      const losses: number[] = [];
      const spec = { model: flowModelConfig(kind, scale, 'tiny'), batch: 2, patch: 16, adam: { ...FLOW_ADAM, lr: 2e-3 }, clip: FLOW_CLIP };
      const state = await trainFlow(await cpuEngine(), spec, { batch: () => batch }, { steps, seed: 1, onStep: (r) => void losses.push(r.loss) });
      expect(state.step).toBe(steps);
      const head = losses.slice(0, 5).reduce((a, b) => a + b) / 5;
      const tail = losses.slice(-5).reduce((a, b) => a + b) / 5;
      expect(tail).toBeLessThan(head * (kind === 'sr' ? 0.9 : 0.7));
    });
  }
});
