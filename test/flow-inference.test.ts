/**
 * Inference with HCFlow weights. Freshly initialised rescaling weights make every coupling and
 * ActNorm the identity, so the flow is the Haar transform: going down must give the quantised
 * s×s box average and coming back up at τ = 0 (zero detail) the nearest-neighbour enlargement — two
 * known answers that pin the padding, cropping and channel handling. SR sampling must be diverse at
 * τ > 0 and deterministic at τ = 0.
 */
import { describe, expect, it } from 'vitest';
import { Graph } from '../src/graph/index.js';
import { flowModelConfig } from '../src/flow/config.js';
import { FlowContext } from '../src/flow/context.js';
import { flowNet } from '../src/flow/flownet.js';
import { type LoadedFlow, rescaleDown, rescaleUp, sampleSuperResolution } from '../src/flow/inference.js';
import { flowWeights } from '../src/flow/weights.js';
import { createImage, type Image } from '../src/image/image.js';
import { Params } from '../src/graph/params.js';
import { InputError } from '../src/util/errors.js';
import { Rng } from '../src/util/random.js';
import { cpuEngine } from './helpers/gradcheck.js';

function freshModel(kind: 'rescaling' | 'sr', scale: 2 | 4): LoadedFlow {
  const model = flowModelConfig(kind, scale, 'tiny');
  const params = new Params(new Graph());
  flowNet(new FlowContext(params), model.net);
  return { weights: flowWeights(model, params, params.initialize(new Rng(3)), { steps: 0, seconds: 0 }), name: 'fresh.hcflow' };
}

function randomImage(w: number, h: number, c: number, seed: number): Image {
  const rng = new Rng(seed);
  return createImage(w, h, c, rng.fillUniform(new Float32Array(w * h * c), 0, 1));
}

/** The s×s box average of the image reflect-padded at the bottom/right (numpy 'reflect'). */
function boxDown(img: Image, s: number): Image {
  const reflect = (i: number, n: number) => (i < n ? i : 2 * (n - 1) - i);
  const w = Math.ceil(img.width / s);
  const h = Math.ceil(img.height / s);
  const out = createImage(w, h, img.channels);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let c = 0; c < img.channels; c++) {
        let sum = 0;
        for (let dy = 0; dy < s; dy++)
          for (let dx = 0; dx < s; dx++) sum += img.data[(reflect(y * s + dy, img.height) * img.width + reflect(x * s + dx, img.width)) * img.channels + c];
        out.data[(y * w + x) * img.channels + c] = Math.round((sum / (s * s)) * 255) / 255;
      }
  return out;
}

describe('rescaling inference (identity-initialised weights: the Haar transform)', () => {
  for (const scale of [2, 4] as const) {
    it(`×${scale}: down = quantised box average (odd size, padded and cropped), up at τ = 0 = nearest neighbour`, async () => {
      const engine = await cpuEngine();
      const model = freshModel('rescaling', scale);
      const hr = randomImage(13, 10, 3, scale);
      const lr = await rescaleDown(engine, model, hr);
      const want = boxDown(hr, scale);
      expect([lr.width, lr.height]).toEqual([want.width, want.height]);
      lr.data.forEach((v, i) => expect(Math.abs(v - want.data[i])).toBeLessThan(1e-6));
      const up = await rescaleUp(engine, model, lr, { temperature: 0, width: 13, height: 10 });
      expect([up.width, up.height]).toEqual([13, 10]);
      for (let y = 0; y < 10; y++)
        for (let x = 0; x < 13; x++)
          for (let c = 0; c < 3; c++)
            expect(up.data[(y * 13 + x) * 3 + c]).toBeCloseTo(lr.data[(Math.floor(y / scale) * lr.width + Math.floor(x / scale)) * 3 + c], 5);
    });
  }

  it('keeps grey images grey and carries alpha through', async () => {
    const engine = await cpuEngine();
    const model = freshModel('rescaling', 2);
    const grey = randomImage(8, 6, 1, 7);
    const lr = await rescaleDown(engine, model, grey);
    expect([lr.width, lr.height, lr.channels]).toEqual([4, 3, 1]);
    boxDown(grey, 2).data.forEach((v, i) => expect(Math.abs(lr.data[i] - v)).toBeLessThan(1e-6));
    const rgba = randomImage(8, 6, 4, 8);
    const up = await rescaleUp(engine, model, await rescaleDown(engine, model, rgba), { temperature: 0.5 });
    expect([up.width, up.height, up.channels]).toEqual([8, 6, 4]);
  });

  it('refuses the wrong kind of model and a negative temperature', async () => {
    const engine = await cpuEngine();
    const img = randomImage(8, 8, 3, 1);
    await expect(rescaleDown(engine, freshModel('sr', 4), img)).rejects.toThrow(/holds a sr model; rescaling down needs a rescaling model/);
    await expect(sampleSuperResolution(engine, freshModel('rescaling', 2), img)).rejects.toBeInstanceOf(InputError);
    await expect(rescaleUp(engine, freshModel('rescaling', 2), img, { temperature: -1 })).rejects.toThrow(/^--temperature/);
  });
});

describe('SR sampling', () => {
  it('gives ×4 samples, diverse at τ = 0.9 and all equal to the mean at τ = 0', async () => {
    const engine = await cpuEngine();
    // Fresh weights: the prior is N(0, 1) at every level, so the samples follow the latents.
    const model = freshModel('sr', 4);
    const lr = randomImage(5, 4, 3, 2);
    const diverse = await sampleSuperResolution(engine, model, lr, { temperature: 0.9, count: 3, seed: 1 });
    expect(diverse.map((s) => [s.width, s.height])).toEqual([
      [20, 16],
      [20, 16],
      [20, 16],
    ]);
    const diff = (a: Image, b: Image) => a.data.reduce((m, v, i) => Math.max(m, Math.abs(v - b.data[i])), 0);
    expect(diff(diverse[0], diverse[1])).toBeGreaterThan(0.05);
    const mean = await sampleSuperResolution(engine, model, lr, { temperature: 0, count: 2, seed: 1 });
    expect(diff(mean[0], mean[1])).toBe(0);
  });
});
