import { describe, expect, it } from 'vitest';
import { memoryStore } from './helpers/checkpoint-store.js';
import { env, noisy, tilingBudget, tiny } from './helpers/tiling.js';
import type { Image } from '../src/image/image.js';
import { LIBRARY_NAMING, type Progress, type RestoreOptions } from '../src/options/index.js';
import { planLines } from '../src/plan/format.js';
import { planWith, restoreWith } from '../src/restore/index.js';
import { setUpRun } from '../src/restore/setup.js';
import { drawnCode } from '../src/restore/start.js';
import { stepGraphOf } from '../src/restore/step.js';
import { adamScalars, ADAM_DEFAULTS, STATE } from '../src/fit/step-graph.js';
import { noiseKeys } from '../src/graph/index.js';
import { Engine, type Feed } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { tileLayout, wholeLayout } from '../src/tile/geometry.js';
import { JointTiledProgram } from '../src/tile/joint-program.js';
import { Rng } from '../src/util/random.js';

/** The first step's feeds of a run's whole-image step graph: seeded weights, zero moments, the drawn code. */
async function firstStep(o: RestoreOptions) {
  const run = await setUpRun(o);
  const step = stepGraphOf(run);
  const rng = new Rng(0);
  const params = step.params.initialize(rng.fork());
  const feeds: Record<string, Feed> = {
    z: drawnCode(run, rng),
    noise_std: Float32Array.of(run.settings.regNoise),
    noise_key: noiseKeys(1, 0),
    step_size: Float32Array.of(adamScalars(ADAM_DEFAULTS, 1).stepSize),
    inv_sqrt_bc2: Float32Array.of(adamScalars(ADAM_DEFAULTS, 1).invSqrtBc2),
    avg: new Float32Array(step.outputShape.reduce((a, b) => a * b, 1)),
    avg_weight: Float32Array.of(0),
  };
  for (const [k, d] of Object.entries(run.problem.data)) feeds[k] = d.values;
  step.params.values.forEach((p, i) => {
    feeds[p.name] = params[i];
    feeds[STATE.m(i)] = new Float32Array(params[i].length);
    feeds[STATE.v(i)] = new Float32Array(params[i].length);
  });
  return { run, step, feeds };
}

/** Room for the whole image's state a joint fit holds beside its tile: its code (32 channels) and 32 planes per colour (sizing.ts). */
const jointState = (image: Image) => 4 * image.width * image.height * (32 + 32 * 3);

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('joint tiling: one network over all tiles', () => {
  it('over one tile that is the whole canvas, its step is the whole step graph’s: loss, output, next weights and moments', async () => {
    const { run, step, feeds } = await firstStep(tiny(noisy(96, 64)));
    const engine = await Engine.create(nodePlatform, { backend: 'cpu', threads: 2 });
    const whole = await engine.compile(step.graph);
    const joint = await JointTiledProgram.create(engine, run, wholeLayout(96, 64), step, ADAM_DEFAULTS);
    const a = await whole.run(feeds);
    const b = await joint.run(feeds);
    expect(b.loss[0]).toBeCloseTo(a.loss[0], 6);
    expect(maxAbsDiff(b.output, a.output)).toBeLessThan(1e-5);
    expect(maxAbsDiff(b.avg_next, a.avg_next)).toBeLessThan(1e-5);
    step.params.values.forEach((_, i) => {
      for (const name of [STATE.param(i), STATE.m(i), STATE.v(i)]) expect(maxAbsDiff(b[`${name}_next`], a[`${name}_next`])).toBeLessThan(1e-5);
    });
    await Promise.all([whole.release(), joint.release()]);
  });

  it('over overlapping tiles, the loss is a window-weighted mean, at least the stitched output’s own squared error', async () => {
    const { run, step, feeds } = await firstStep(tiny(noisy(160, 96)));
    const engine = await Engine.create(nodePlatform, { backend: 'cpu', threads: 2 });
    const joint = await JointTiledProgram.create(engine, run, tileLayout(160, 96, 96, 96, 32), step, ADAM_DEFAULTS);
    const out = await joint.run(feeds);
    const target = run.problem.data.target.values;
    const stitched = out.output.reduce((s, v, i) => s + (v - target[i]) ** 2, 0) / target.length;
    // Σ_k w_k (o_k − y)² ≥ (Σ_k w_k o_k − y)² pixel by pixel (the windows sum to 1): equal only where the tiles agree.
    expect(out.loss[0]).toBeGreaterThanOrEqual(stitched * (1 - 1e-5));
    expect(out.loss[0]).toBeLessThan(stitched * 1.5);
    await joint.release();
  });

  it('a tiled run is fitted jointly by default, says so in its plan, and an interrupted one resumes exactly', async () => {
    const image = noisy(256, 224, 3);
    const o = tiny(image, { iterations: 4 });
    const budgeted = { ...o, maxMemory: await tilingBudget(o, jointState(image)) };
    const plan = await planWith(nodePlatform, budgeted, {}, env);
    expect(plan.tiles).toBeGreaterThan(1);
    expect(plan.tiling!.mode).toBe('joint');
    expect(planLines(plan, LIBRARY_NAMING)[1]).toMatch(
      /^plan: ≈ [\d.]+ m?s per tile \(cores to itself\) × \d+ tiles per iteration \(one network over them\) × 4 iterations /,
    );
    const lines: string[] = [];
    const straight = await restoreWith(nodePlatform, budgeted, { log: (m) => lines.push(m) }, env);
    expect(straight.options.tiling).toBe('joint');
    expect(straight.tiles).toBeUndefined();
    expect(straight.iterations).toBe(4);
    expect(lines.join('\n')).toMatch(/one network over the \d+ tiles/);
    const store = memoryStore();
    const controller = new AbortController();
    const stop = (p: Progress) => {
      if (p.iteration === 2) controller.abort();
    };
    const first = await restoreWith(nodePlatform, budgeted, { checkpoint: store, checkpointEvery: 1, signal: controller.signal, onProgress: stop }, env);
    expect(first.stopReason).toBe('aborted');
    expect(store.data!.tiles!.fingerprint).toMatch(/:joint:/);
    const resumed = await restoreWith(nodePlatform, budgeted, { checkpoint: store }, env);
    expect(resumed.iterations).toBe(4);
    expect(maxAbsDiff(resumed.image.data, straight.image.data)).toBeLessThan(1e-5);
  });

  it('a checkpoint of tiles fitted one by one is not resumed jointly, nor the other way round', async () => {
    const image = noisy(256, 224, 4);
    const o = tiny(image);
    const budgeted = { ...o, maxMemory: await tilingBudget(o, jointState(image)) };
    for (const [made, resumedAs] of [
      ['independent', 'joint'],
      ['joint', 'independent'],
    ] as const) {
      const store = memoryStore();
      const controller = new AbortController();
      await restoreWith(
        nodePlatform,
        { ...budgeted, tiling: made },
        { checkpoint: store, checkpointEvery: 1, signal: controller.signal, onProgress: () => controller.abort() },
        env,
      );
      await expect(restoreWith(nodePlatform, { ...budgeted, tiling: resumedAs }, { checkpoint: store }, env)).rejects.toMatchObject({
        code: 'CHECKPOINT_MISMATCH',
      });
    }
  });

  it('--tiling independent, and super-resolution, fit the tiles one by one', async () => {
    const image = noisy(256, 224, 5);
    const o = tiny(image, { tiling: 'independent' });
    const r = await restoreWith(nodePlatform, { ...o, maxMemory: await tilingBudget(o, jointState(image)) }, {}, env);
    expect(r.tiles!.length).toBeGreaterThan(1);
    expect(r.options.tiling).toBeUndefined();
    const sr = tiny(noisy(128, 96), { task: 'super-resolve', scale: 2 });
    const plan = await planWith(nodePlatform, { ...sr, maxMemory: await tilingBudget(sr) }, {}, env);
    expect(plan.tiling!.mode).toBe('independent');
  });
});
