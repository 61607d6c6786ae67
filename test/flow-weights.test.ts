/** The HCFlow weights file: a faithful round trip, and a clear one-line refusal of every broken file. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Graph } from '../src/graph/index.js';
import { flowModelConfig } from '../src/flow/config.js';
import { FlowContext } from '../src/flow/context.js';
import { flowNet } from '../src/flow/flownet.js';
import { checkWeightsFit, decodeWeights, encodeWeights, flowWeights } from '../src/flow/weights.js';
import { readWeightsFile, writeWeightsFile } from '../src/flow/weights-node.js';
import { decodeTrainingCheckpoint, encodeTrainingCheckpoint } from '../src/flow/train-checkpoint.js';
import { Params } from '../src/graph/params.js';
import { InputError } from '../src/util/errors.js';
import { Rng } from '../src/util/random.js';

function tinyWeights(kind: 'rescaling' | 'sr' = 'rescaling', scale: 2 | 4 = 2) {
  const model = flowModelConfig(kind, scale, 'tiny');
  const params = new Params(new Graph());
  flowNet(new FlowContext(params), model.net);
  const tensors = params.initialize(new Rng(1));
  return { model, params, weights: flowWeights(model, params, tensors, { steps: 12, seconds: 3.5, batch: 4, patch: 64, data: 'T91' }, { psnr: 31.2 }) };
}

function expectRefusal(f: () => unknown, pattern: RegExp) {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    const msg = (e as Error).message;
    expect(msg).not.toContain('\n');
    expect(msg).toMatch(/^--weights /);
    expect(msg).toMatch(pattern);
    return;
  }
  throw new Error('expected a refusal');
}

describe('HCFlow weights file', () => {
  it('round-trips tensors and manifest exactly', () => {
    const { weights, params } = tinyWeights();
    const back = decodeWeights(encodeWeights(weights), 'w.hcflow');
    expect(back.manifest.model).toEqual(weights.manifest.model);
    expect(back.manifest.training).toEqual({ steps: 12, seconds: 3.5, batch: 4, patch: 64, data: 'T91' });
    expect(back.manifest.validation).toEqual({ psnr: 31.2 });
    expect(back.tensors.length).toBe(params.specs.length);
    back.tensors.forEach((t, i) => expect(Array.from(t)).toEqual(Array.from(weights.tensors[i])));
    checkWeightsFit(back, params, 'w.hcflow');
  });

  it('refuses garbage, truncation, corruption, another version and a broken manifest', () => {
    const bytes = encodeWeights(tinyWeights().weights);
    expectRefusal(() => decodeWeights(new Uint8Array(0), 'a'), /not a deep-prior HCFlow weights file/);
    expectRefusal(() => decodeWeights(new TextEncoder().encode('PNG not weights at all'), 'a'), /not a deep-prior HCFlow weights file/);
    expectRefusal(() => decodeWeights(bytes.subarray(0, bytes.length - 8), 'a'), /truncated or corrupt/);
    expectRefusal(() => decodeWeights(bytes.subarray(0, 40), 'a'), /truncated/);
    const flipped = bytes.slice();
    flipped[flipped.length - 3] ^= 0x40;
    expectRefusal(() => decodeWeights(flipped, 'a'), /checksum mismatch/);
    const withManifest = (edit: (m: Record<string, unknown>) => void) => {
      const w = tinyWeights().weights;
      const m = JSON.parse(JSON.stringify(w.manifest));
      edit(m);
      return encodeWeights({ manifest: m, tensors: w.tensors });
    };
    expectRefusal(
      () =>
        decodeWeights(
          withManifest((m) => (m.version = 2)),
          'a',
        ),
      /format version 2; this deep-prior reads version 1/,
    );
    expectRefusal(
      () =>
        decodeWeights(
          withManifest((m) => (m.format = 'other')),
          'a',
        ),
      /has format "other"/,
    );
    expectRefusal(
      () =>
        decodeWeights(
          withManifest((m) => ((m.model as { net: { mainSteps: number } }).net.mainSteps = -1)),
          'a',
        ),
      /invalid model config/,
    );
    const broken = bytes.slice();
    broken[12] = 0x7b + 1; // the manifest's opening brace
    expectRefusal(() => decodeWeights(broken, 'a'), /unreadable manifest/);
  });

  it('refuses weights that do not fit the model their manifest names', () => {
    const { weights } = tinyWeights('rescaling', 2);
    const other = tinyWeights('rescaling', 4);
    expectRefusal(() => checkWeightsFit(weights, other.params, 'w'), /tensors but its model needs|does not fit its model/);
  });

  it('reads and writes files; a missing file or a folder is refused by name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dp-weights-'));
    const file = path.join(dir, 'tiny.hcflow');
    await writeWeightsFile(file, tinyWeights().weights);
    expect((await readWeightsFile(file)).manifest.training.steps).toBe(12);
    await expect(readWeightsFile(path.join(dir, 'missing.hcflow'))).rejects.toThrow(/^--weights .*missing\.hcflow: no such file/);
    await expect(readWeightsFile(dir)).rejects.toThrow(/is a folder/);
    writeFileSync(path.join(dir, 'junk.hcflow'), 'junk');
    await expect(readWeightsFile(path.join(dir, 'junk.hcflow'))).rejects.toBeInstanceOf(InputError);
  });
});

describe('flow training checkpoint', () => {
  function checkpoint() {
    const { model, weights } = tinyWeights();
    const params = weights.tensors;
    const state = { params, m: params.map((p) => p.map((v) => v / 2)), v: params.map((p) => p.map((v) => v * v)), step: 7, seconds: 12.5 };
    const settings = {
      spec: { model, batch: 2, patch: 16, adam: { lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8 }, clip: null },
      size: 'tiny' as const,
      seed: 3,
      steps: 10,
      milestones: [2, 4],
    };
    const history = { loss: [{ step: 5, loss: 0.5 }], pending: { sum: 0.7, count: 2 }, validation: [{ step: 0, psnr: 30, seconds: 0, bicubic: 29 }] };
    return { run: { settings, state, history }, data: { train: ['T91/t1.png'], validation: ['BSD200/1.png'] } };
  }

  it('round-trips the run: settings, history, weights and both Adam moments', () => {
    const c = checkpoint();
    const back = decodeTrainingCheckpoint(encodeTrainingCheckpoint(c), 'c');
    expect(back.run.settings).toEqual(c.run.settings);
    expect(back.run.history).toEqual(c.run.history);
    expect(back.data).toEqual(c.data);
    expect(back.run.state.step).toBe(7);
    for (const key of ['params', 'm', 'v'] as const) back.run.state[key].forEach((t, i) => expect(Array.from(t)).toEqual(Array.from(c.run.state[key][i])));
  });

  it('refuses weights, truncation and corruption in one line naming --checkpoint', () => {
    const bytes = encodeTrainingCheckpoint(checkpoint());
    const refusal = (b: Uint8Array) => {
      try {
        decodeTrainingCheckpoint(b, 'c.dpckpt');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as Error).message).not.toContain('\n');
        return (e as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(encodeWeights(tinyWeights().weights))).toMatch(/^--checkpoint c\.dpckpt is not a deep-prior flow training checkpoint/);
    expect(refusal(bytes.subarray(0, bytes.length - 4))).toMatch(/truncated or corrupt/);
    const flipped = bytes.slice();
    flipped[flipped.length - 1] ^= 1;
    expect(refusal(flipped)).toMatch(/checksum mismatch/);
  });
});
