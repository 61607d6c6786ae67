/** The change rule's in-graph statistic against a float64 host computation of the same sums. */
import { describe, expect, it } from 'vitest';
import { mse } from '../src/graph/index.js';
import { buildStepGraph, ADAM_DEFAULTS, STATE } from '../src/fit/step-graph.js';
import { Rng } from '../src/util/random.js';
import { cpuEngine } from './helpers/gradcheck.js';

const [C, H, W] = [3, 8, 12];
const extent = { width: 9, height: 5 };
const n = C * H * W;
const random = (rng: Rng, scale = 1) => Float32Array.from({ length: n }, () => scale * rng.uniform());

/** Σ(x − ref)² over the top-left extent of a [1, C, H, W] planar array, in float64. */
function hostSum(x: ArrayLike<number>, ref: ArrayLike<number>): number {
  let se = 0;
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < extent.height; y++) {
      for (let xx = 0; xx < extent.width; xx++) {
        const i = (c * H + y) * W + xx;
        se += (x[i] - ref[i]) ** 2;
      }
    }
  }
  return se;
}

async function stepWith(smoothed: boolean) {
  const step = buildStepGraph({
    inputShape: [1],
    // The "network" is its own output: a [1, C, H, W] parameter, so the raw output is known exactly.
    network: (params) => params.create('x', [1, C, H, W], { kind: 'constant', value: 0 }),
    loss: { inputs: { target: [1, C, H, W] }, loss: (x, d) => mse(x, d.target) },
    adam: ADAM_DEFAULTS,
    monitors: { change: { smoothed, ...extent } },
  });
  const program = await (await cpuEngine()).compile(step.graph);
  const rng = new Rng(11);
  const [x, avg, long, short, target] = [random(rng), random(rng), random(rng, 0.9), random(rng, 1.1), random(rng)];
  const weight = 0.7;
  const out = await program.run({
    z: new Float32Array(1),
    noise_std: Float32Array.of(0),
    step_size: Float32Array.of(0.01),
    inv_sqrt_bc2: Float32Array.of(1),
    avg,
    avg_weight: Float32Array.of(weight),
    target,
    change_ref_long: long,
    change_ref_short: short,
    [step.params.values[0].name]: x,
    [STATE.m(0)]: new Float32Array(n),
    [STATE.v(0)]: new Float32Array(n),
  });
  await program.release();
  // The estimate after the step: the raw output (the parameter before its update) or w·avg + (1 − w)·output.
  const estimate = smoothed ? Array.from(x, (v, i) => weight * avg[i] + (1 - weight) * v) : Array.from(x);
  return { out, expected: { long: hostSum(estimate, long), short: hostSum(estimate, short) } };
}

describe('change statistic in the step graph', () => {
  for (const smoothed of [true, false]) {
    it(`sums the ${smoothed ? 'smoothed' : 'raw'} estimate's squared change since each snapshot over the image's extent only`, async () => {
      const { out, expected } = await stepWith(smoothed);
      expect(Math.abs(out.change_long[0] / expected.long - 1)).toBeLessThan(1e-5);
      expect(Math.abs(out.change_short[0] / expected.short - 1)).toBeLessThan(1e-5);
    });
  }
});
