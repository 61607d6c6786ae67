/**
 * A whole skip-net step against PyTorch (float64 reference, bench/torch/make_reference.py):
 * parameter layout, loss, output and first-step gradients; and Adam against torch.optim.Adam.
 */
import { describe, expect, it } from 'vitest';
import { Graph, gradients, mse, reduceSum, mul } from '../src/graph/index.js';
import { Params } from '../src/graph/params.js';
import { skipNet, SKIP_DEFAULTS, type SkipConfig } from '../src/nets/skip.js';
import { buildStepGraph, adamScalars, ADAM_DEFAULTS, STATE } from '../src/fit/step-graph.js';
import { cpuEngine } from './helpers/gradcheck.js';
import { loadSkipFixture, relErr } from './helpers/fixture.js';

const fx = loadSkipFixture();
const c = fx.json.config;

function config(variant: 'bilinear-reflection' | 'nearest-zero'): SkipConfig {
  return {
    ...SKIP_DEFAULTS,
    channelsDown: c.nd,
    channelsUp: c.nu,
    channelsSkip: c.ns,
    kernelDown: c.kd,
    kernelUp: c.ku,
    upsample: variant === 'bilinear-reflection' ? 'bilinear' : 'nearest',
    pad: variant === 'bilinear-reflection' ? 'reflection' : 'zero',
    outputChannels: c.nOut,
  };
}

async function runReference(variant: 'bilinear-reflection' | 'nearest-zero') {
  const g = new Graph();
  const params = new Params(g);
  const z = g.input('z', [1, c.inputDepth, c.height, c.width]);
  const target = g.input('target', [1, 3, c.height, c.width]);
  const out = skipNet(params, z, config(variant));
  const loss = mse(out, target);
  g.output(loss, 'loss');
  g.output(out, 'out');
  gradients(loss, params.values).forEach((d, i) => g.output(d!, `g${i}`));
  const prog = await (await cpuEngine()).compile(g);
  const weights = fx.perParam(fx.array('params'));
  const feeds: Record<string, Float32Array> = { z: fx.array('z'), target: fx.array('target') };
  params.values.forEach((v, i) => (feeds[v.name] = weights[i]));
  const res = await prog.run(feeds);
  await prog.release();
  return { params, res };
}

describe('skip net vs PyTorch', () => {
  it('creates the same parameters in the same order', () => {
    const g = new Graph();
    const params = new Params(g);
    skipNet(params, g.input('z', [1, c.inputDepth, c.height, c.width]), config('bilinear-reflection'));
    expect(params.specs.map((s) => s.shape)).toEqual(fx.json.params.map((p) => p.shape));
    expect(params.count).toBe(33887);
  });

  for (const variant of ['bilinear-reflection', 'nearest-zero'] as const) {
    it(`${variant}: loss, output and first-step gradients agree to 1e-4 relative`, async () => {
      const { params, res } = await runReference(variant);
      const suffix = variant === 'nearest-zero' ? '_nearest_zero' : '';
      const refLoss = variant === 'nearest-zero' ? fx.json.loss_nearest_zero : fx.json.loss;
      expect(Math.abs(res.loss[0] - refLoss) / refLoss).toBeLessThan(1e-4);
      expect(relErr(res.out, fx.array(`output${suffix}`))).toBeLessThan(1e-4);
      const refGrads = fx.perParam(fx.array(`grads${suffix}`));
      const all = params.values.flatMap((_, i) => Array.from(res[`g${i}`]));
      const allRef = refGrads.flatMap((a) => Array.from(a));
      expect(relErr(all, allRef)).toBeLessThan(1e-4);
      // Per tensor too, except those whose true gradient is (structurally) zero: biases feeding a batch norm.
      refGrads.forEach((ref, i) => {
        const norm = Math.sqrt(ref.reduce((s, x) => s + x * x, 0));
        const scale = Math.sqrt(allRef.reduce((s, x) => s + x * x, 0) / allRef.length) * Math.sqrt(ref.length);
        if (norm < 1e-4 * scale) return;
        if (process.env.DEBUG_PARITY) console.log(params.specs[i].name, relErr(res[`g${i}`], ref).toExponential(2), norm.toExponential(2));
        expect(relErr(res[`g${i}`], ref), params.specs[i].name).toBeLessThan(1e-4);
      });
    });
  }

  it('Adam matches torch.optim.Adam over three steps', async () => {
    const p0 = fx.array('params');
    const grads = fx.array('grads');
    const n = p0.length;
    const step = buildStepGraph({
      inputShape: [1],
      network: (params) => params.create('w', [n], { kind: 'constant', value: 0 }),
      loss: { inputs: { c: [n] }, loss: (w, d) => reduceSum(mul(w, d.c)) },
      adam: ADAM_DEFAULTS,
    });
    const prog = await (await cpuEngine()).compile(step.graph);
    let p = p0;
    let m: Float32Array = new Float32Array(n);
    let v: Float32Array = new Float32Array(n);
    for (let t = 0; t < 3; t++) {
      const { stepSize, invSqrtBc2 } = adamScalars(ADAM_DEFAULTS, t + 1);
      const cvec = grads.map((x) => x * (1 + 0.5 * t));
      const res = await prog.run({
        z: new Float32Array(1),
        noise_std: Float32Array.of(0),
        step_size: Float32Array.of(stepSize),
        inv_sqrt_bc2: Float32Array.of(invSqrtBc2),
        avg: new Float32Array(n),
        avg_weight: Float32Array.of(0),
        c: cvec,
        [step.params.values[0].name]: p,
        m0: m,
        v0: v,
      });
      p = res[`${STATE.param(0)}_next`];
      m = res.m0_next;
      v = res.v0_next;
    }
    const ref = fx.array('adam3');
    let maxAbs = 0;
    for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(p[i] - ref[i]));
    expect(maxAbs).toBeLessThan(1e-6);
    expect(relErr(p, ref)).toBeLessThan(1e-6);
    await prog.release();
  });
});
