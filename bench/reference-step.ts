/**
 * The benchmarks' reference training step: the skip net of methods.md §1.3 (5 levels of `channels`,
 * 4-channel skips, 32-channel input with reg-noise, reflection pad, bilinear), MSE, Adam, smoothing;
 * its first-step feeds and the state hand-over between steps. Shared by engine-step.ts and
 * profile-step.ts so both time the same graph.
 */
import { buildStepGraph, adamScalars, ADAM_DEFAULTS, type StepGraph } from '../src/fit/step-graph.js';
import { skipNet, SKIP_DEFAULTS } from '../src/nets/skip.js';
import { mse, noiseKeys } from '../src/graph/index.js';
import type { HostArray } from '../src/runtime/engine.js';
import { Rng } from '../src/util/random.js';

export function referenceStep(size: number, ch: number): StepGraph {
  return buildStepGraph({
    inputShape: [1, 32, size, size],
    network: (params, input) =>
      skipNet(params, input, {
        ...SKIP_DEFAULTS,
        channelsDown: [ch, ch, ch, ch, ch],
        channelsUp: [ch, ch, ch, ch, ch],
        channelsSkip: [4, 4, 4, 4, 4],
        upsample: 'bilinear',
        pad: 'reflection',
      }),
    loss: { inputs: { target: [1, 3, size, size] }, loss: (out, d) => mse(out, d.target) },
    adam: ADAM_DEFAULTS,
    regNoise: true,
  });
}

/** Feeds of step 1: seeded weights, zero moments, a uniform code and target. */
export function initialFeeds(step: StepGraph, size: number): Record<string, HostArray> {
  const rng = new Rng(0);
  const weights = step.params.initialize(rng);
  const feeds: Record<string, HostArray> = {
    z: rng.fillUniform(new Float32Array(32 * size * size), 0, 0.1),
    target: rng.fillUniform(new Float32Array(3 * size * size)),
    noise_std: Float32Array.of(1 / 30),
    avg: new Float32Array(3 * size * size),
    avg_weight: Float32Array.of(0.99),
  };
  step.params.values.forEach((v, i) => {
    feeds[v.name] = weights[i];
    feeds[`m${i}`] = new Float32Array(weights[i].length);
    feeds[`v${i}`] = new Float32Array(weights[i].length);
  });
  return feeds;
}

/** Sets the per-step scalars of step t (1-based). */
export function setStepScalars(feeds: Record<string, HostArray>, t: number): void {
  const { stepSize, invSqrtBc2 } = adamScalars(ADAM_DEFAULTS, t);
  feeds.noise_key = noiseKeys(0, t);
  feeds.step_size = Float32Array.of(stepSize);
  feeds.inv_sqrt_bc2 = Float32Array.of(invSqrtBc2);
}

/** Hands the step's next state back as the following step's inputs. */
export function advanceState(step: StepGraph, feeds: Record<string, HostArray>, out: Record<string, Float32Array>): void {
  if (!Number.isFinite(out.loss[0])) throw new Error('loss is not finite');
  step.params.values.forEach((v, i) => {
    feeds[v.name] = out[`p${i}_next`];
    feeds[`m${i}`] = out[`m${i}_next`];
    feeds[`v${i}`] = out[`v${i}_next`];
  });
  feeds.avg = out.avg_next;
}
