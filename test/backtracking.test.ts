/** The official loop's backtracking: what the weights become on a blow-up, and that a real fit uses it. */
import { describe, expect, it } from 'vitest';
import { backtrackedParams, fit } from '../src/fit/fit.js';
import type { StepGraph } from '../src/fit/step-graph.js';
import type { Program } from '../src/runtime/engine.js';

describe('backtracking', () => {
  it('returns to the saved weights plus the Adam update of the bad step (next − current)', () => {
    const saved = [Float32Array.of(1, 2), Float32Array.of(-3)];
    const current = [Float32Array.of(10, 20), Float32Array.of(30)];
    const next = [Float32Array.of(10.5, 19), Float32Array.of(30.25)];
    const out = backtrackedParams(saved, current, next);
    expect(Array.from(out[0])).toEqual([1.5, 1]);
    expect(Array.from(out[1])).toEqual([-2.75]);
    // The saved copy itself is left alone (it stays the fallback for later blow-ups).
    expect(Array.from(saved[0])).toEqual([1, 2]);
  });

  // A scripted one-weight "program": each step feeds weight w and returns the scripted loss and w + 1.
  function scripted(losses: (step: number) => number) {
    const fed: number[] = [];
    const program = {
      inputNames: [],
      outputNames: [],
      release: async () => {},
      runKeeping: async (feeds: Record<string, Float32Array>) => {
        const w = feeds.p0[0];
        fed.push(w);
        return {
          host: { loss: Float32Array.of(losses(fed.length)), avg_next: Float32Array.of(w), output: Float32Array.of(w) },
          kept: { p0_next: Float32Array.of(w + 1), m0_next: Float32Array.of(0), v0_next: Float32Array.of(0) },
        };
      },
    } as unknown as Program;
    const step = {
      params: { values: [{ name: 'p0' }], aux: [] },
      outputShape: [1],
      trained: [true],
      names: { z: 'z', noiseStd: 'noise_std', stepSize: 'step_size', invSqrtBc2: 'inv_sqrt_bc2', avg: 'avg', avgWeight: 'avg_weight' },
    } as unknown as StepGraph;
    const init = { params: [Float32Array.of(0)], z: Float32Array.of(0), data: {} };
    return {
      fed,
      run: (iterations: number) =>
        fit(program, step, init, {
          iterations,
          adam: { lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
          regNoise: 0,
          noiseSeed: 1,
          smoothing: 0,
          backtracking: true,
          returnSmoothed: false,
        }),
    };
  }

  it("on a 5 dB loss jump, goes back to the saved weights and still applies that step's update", async () => {
    const s = scripted((k) => (k === 4 ? 10 : 1));
    const outcome = await s.run(6);
    expect(outcome.recoveries).toBe(1);
    // Steps 1–3 feed 0, 1, 2; step 4 (fed 3) blows up: back to step 3's weights (2) plus the update (+1).
    expect(s.fed).toEqual([0, 1, 2, 3, 3, 4]);
  });

  it("skips the check where the notebooks' counter is a multiple of 100, and the counter stalls on a fallback", async () => {
    // Counter 100 is step 101: its jump is not checked, and its weights are not saved.
    const unchecked = scripted((k) => (k === 101 ? 10 : 1));
    expect((await unchecked.run(103)).recoveries).toBe(0);
    // One fallback at step 50 holds the counter back by one: step 101 is checked, step 102 is not.
    expect((await scripted((k) => (k === 50 || k === 101 ? 10 : 1)).run(104)).recoveries).toBe(2);
    expect((await scripted((k) => (k === 50 || k === 102 ? 10 : 1)).run(104)).recoveries).toBe(1);
  });
});
