/** The Deep Random Projector preset: its trained set, frozen weights that stay as drawn, and no weight gradients in the step graph. */
import { describe, expect, it } from 'vitest';
import { buildStepGraph } from '../src/fit/step-graph.js';
import { liveNodes } from '../src/graph/onnx.js';
import { addGaussianNoise, createImage } from '../src/image/index.js';
import { restore } from '../src/node.js';
import type { CheckpointData, InitialState } from '../src/options/index.js';
import { setUpRun } from '../src/restore/setup.js';
import { stepGraphOf } from '../src/restore/step.js';
import { Rng } from '../src/util/random.js';
import { validateRestoreOptions } from '../src/validate.js';

const image = addGaussianNoise(createImage(32, 32, 3, new Float32Array(32 * 32 * 3).fill(0.5)), 25, new Rng(1));

async function drpStep() {
  const run = await setUpRun(validateRestoreOptions({ task: 'denoise', image, preset: 'drp' }));
  return { run, step: stepGraphOf(run) };
}

describe('--preset drp', () => {
  it('trains exactly the batch-norm scales and shifts and the input code, a parameter of the code shape drawn N(0, 0.1²)', async () => {
    const { run, step } = await drpStep();
    const roles = step.params.specs.map((s) => s.role);
    expect(step.trained).toEqual(roles.map((r) => r === 'norm-scale' || r === 'norm-shift' || r === 'code'));
    const code = step.params.specs.filter((s) => s.role === 'code');
    expect(code).toHaveLength(1);
    expect([...code[0].shape]).toEqual(run.inputShape);
    expect(code[0].init).toEqual({ kind: 'normal', std: 0.1 });
    expect(step.names.z).toBeUndefined();
    // Frozen parameters are inputs without moments; only the trained ones come back updated.
    const inputs = new Set(step.graph.inputs.map((v) => v.name));
    const outputs = new Set(step.graph.outputs.map((v) => v.name));
    step.trained.forEach((t, i) => {
      expect(inputs.has(step.params.values[i].name)).toBe(true);
      expect(inputs.has(`m${i}`)).toBe(t);
      expect(outputs.has(`p${i}_next`)).toBe(t);
    });
    expect(roles.filter((r) => r === 'conv-weight').length).toBeGreaterThan(0);
  });

  it('emits no weight-gradient work: the same step with every weight trained has it', async () => {
    const { run, step } = await drpStep();
    const allTrained = buildStepGraph({
      inputShape: run.inputShape,
      network: run.net.build,
      loss: { inputs: { target: [1, 3, 32, 32] }, loss: run.problem.loss },
      adam: { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8 },
    });
    // The weight gradients are one Gemm per kernel tap (src/graph/ops/conv.ts); nothing else emits Gemm.
    const gemms = (g: typeof step.graph) => liveNodes(g).filter((n) => n.op === 'Gemm').length;
    expect(gemms(allTrained.graph)).toBeGreaterThan(0);
    expect(gemms(step.graph)).toBe(0);
    expect(liveNodes(step.graph).length).toBeLessThan(liveNodes(allTrained.graph).length);
  });

  it('a fit leaves every conv weight and bias bit-identical to its draw and moves the trained values', async () => {
    let start: InitialState | undefined;
    let saved: CheckpointData | undefined;
    const r = await restore(
      { task: 'denoise', image, preset: 'drp', iterations: 5, stop: 'fixed', threads: 1 },
      {
        onStart: (s) => {
          start = s;
        },
        checkpoint: {
          load: async () => null,
          save: async (d) => {
            saved = d;
          },
        },
        checkpointEvery: 5,
      },
    );
    expect(r.iterations).toBe(5);
    const { step } = await drpStep();
    step.trained.forEach((trained, i) => {
      const same = Array.from(saved!.params[i]).every((x, k) => x === start!.params[i][k]);
      expect(same).toBe(!trained);
    });
    expect(r.options.trained).toMatch(/weights frozen/);
  });
});
