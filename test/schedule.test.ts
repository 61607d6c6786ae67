/** Learning-rate schedules: their values, that the fit feeds them to Adam, and that a resume continues them exactly. */
import { memoryStore } from './helpers/checkpoint-store.js';
import { describe, expect, it } from 'vitest';
import { learningRateFactor, SCHEDULES, scheduleFactor } from '../src/fit/schedule.js';
import { FitState } from '../src/fit/state.js';
import { ADAM_DEFAULTS, buildStepGraph } from '../src/fit/step-graph.js';
import { mse } from '../src/graph/index.js';
import { convLayer } from '../src/layers/conv.js';
import { addGaussianNoise, createImage } from '../src/image/index.js';
import { restore } from '../src/node.js';
import type { RestoreOptions } from '../src/options/index.js';
import { Rng } from '../src/util/random.js';

describe('learning-rate schedules', () => {
  it('take their known values at given steps', () => {
    const boost = SCHEDULES.boost;
    // Linear warm-up to 3 over 50 steps: step k has (k + 1)/50 · 3.
    expect(scheduleFactor(boost, 0)).toBeCloseTo(0.06, 12);
    expect(scheduleFactor(boost, 24)).toBeCloseTo(1.5, 12);
    expect(scheduleFactor(boost, 49)).toBeCloseTo(3, 12);
    // Half-cosine from 3 (step 50) to 1 (step 500): the midpoint 275 is 2, a quarter in is 2 + √2/2.
    expect(scheduleFactor(boost, 50)).toBeCloseTo(3, 12);
    expect(scheduleFactor(boost, 275)).toBeCloseTo(2, 12);
    expect(scheduleFactor(boost, 162.5)).toBeCloseTo(2 + Math.SQRT1_2, 12);
    expect(scheduleFactor(boost, 500)).toBe(1);
    expect(scheduleFactor(boost, 10_000)).toBe(1);
    expect(scheduleFactor(SCHEDULES.warmup, 0)).toBeCloseTo(0.01, 12);
    expect(scheduleFactor(SCHEDULES.warmup, 99)).toBeCloseTo(1, 12);
    expect(scheduleFactor(SCHEDULES.warmup, 100)).toBe(1);
    expect(scheduleFactor(SCHEDULES.constant, 0)).toBe(1);
  });

  it('a later stage continues the schedule at its offset', () => {
    const whole = learningRateFactor('boost');
    const later = learningRateFactor('boost', 120);
    for (const k of [0, 1, 37, 380, 900]) expect(later(k)).toBe(whole(k + 120));
  });

  it("the fit feeds Adam PyTorch's step size times the schedule's factor of the step's index", () => {
    const step = buildStepGraph({
      inputShape: [1, 2, 4, 4],
      network: (p, x) => convLayer(p, 'c', x, 1, 3),
      loss: { inputs: { target: [1, 1, 4, 4] }, loss: (out, d) => mse(out, d.target) },
      adam: ADAM_DEFAULTS,
    });
    const lrFactor = learningRateFactor('boost');
    const params = step.params.initialize(new Rng(1));
    const state = new FitState(
      step,
      { iterations: 10, adam: ADAM_DEFAULTS, lrFactor, regNoise: 0, noiseSeed: 0, smoothing: 0, backtracking: false, returnSmoothed: false },
      {
        params,
        z: new Float32Array(32),
        data: { target: new Float32Array(16) },
      },
    );
    for (const t of [0, 7]) {
      state.t = t;
      state.adamT = t;
      const fed = (state.feeds(0)[step.names.stepSize] as Float32Array)[0];
      const expected = (0.01 / (1 - 0.9 ** (t + 1))) * ((3 * (t + 1)) / 50);
      expect(fed).toBeCloseTo(expected, 7);
    }
  });
});

describe('a resumed fit on a schedule', () => {
  const image = addGaussianNoise(stripes(16, 16), 25, new Rng(3));
  const options: RestoreOptions = { task: 'denoise', image, iterations: 8, stop: 'fixed', threads: 1, seed: 4, lrSchedule: 'boost' };

  it('the schedule changes the fit (so the resume below is a test of it)', async () => {
    const constant = await restore({ ...options, lrSchedule: 'constant' });
    const boosted = await restore(options);
    expect(boosted.history[0].loss).toBe(constant.history[0].loss);
    expect(boosted.history[7].loss).not.toBe(constant.history[7].loss);
  });

  it('ends exactly where the uninterrupted one does', async () => {
    const whole = await restore(options);
    const store = memoryStore();
    const controller = new AbortController();
    await restore(options, { checkpoint: store, signal: controller.signal, onProgress: (p) => p.iteration === 3 && controller.abort() });
    const resumed = await restore(options, { checkpoint: store });
    expect(resumed.history.map((h) => h.loss)).toEqual(whole.history.map((h) => h.loss));
    expect(Array.from(resumed.image.data)).toEqual(Array.from(whole.image.data));
  });
});

function stripes(w: number, h: number) {
  const img = createImage(w, h, 3);
  for (let i = 0; i < w * h * 3; i++) img.data[i] = 0.5 + 0.4 * Math.sin(i / 7);
  return img;
}
