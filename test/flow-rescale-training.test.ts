/**
 * End to end on real images: the tiny ×2 rescaling model, trained for 300 steps on 32² patches of
 * eight T91 images (about 15 s on one core), must beat bicubic down/up on held-out Set5 images in
 * Y-PSNR with the rescaling papers' border crop — at τ = 0 by a margin, and at τ = 1 (sampled latents).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { flowModelConfig } from '../src/flow/config.js';
import { listImageFiles, loadTrainingImages } from '../src/flow/dataset-node.js';
import { rescaleDown, rescaleUp } from '../src/flow/inference.js';
import { PatchSampler } from '../src/flow/patches.js';
import { trainFlow } from '../src/flow/train.js';
import { buildFlowTrainStep, FLOW_ADAM, FLOW_CLIP } from '../src/flow/train-step.js';
import { flowWeights } from '../src/flow/weights.js';
import { readImage } from '../src/image/io-node.js';
import { cropImage, type Image } from '../src/image/image.js';
import { psnr } from '../src/image/metrics.js';
import { resampleAntialiased } from '../src/image/resample.js';
import { cpuEngine } from './helpers/gradcheck.js';

const data = path.resolve(import.meta.dirname, '../../shared/data');

describe('tiny HCFlow rescaling ×2 trained on T91', () => {
  it('beats bicubic down/up on held-out Set5 images', async () => {
    const engine = await cpuEngine();
    const scale = 2;
    const model = flowModelConfig('rescaling', scale, 'tiny');
    const spec = { model, batch: 4, patch: 32, adam: { ...FLOW_ADAM, lr: 2e-3 }, clip: FLOW_CLIP };
    const files = (await listImageFiles(path.join(data, 'sr_train/T91'))).slice(0, 8);
    const sampler = new PatchSampler(await loadTrainingImages(files, scale), { patch: 32, batch: 4, scale, seed: 1 });
    const state = await trainFlow(engine, spec, sampler, { steps: 300, seed: 1 });
    const loaded = {
      weights: flowWeights(model, buildFlowTrainStep(spec).params, state.params, { steps: state.step, seconds: state.seconds }),
      name: 'trained',
    };
    for (const name of ['butterfly', 'woman']) {
      const read = (await readImage(path.join(data, `sr_benchmarks/Set5/${name}.png`))).image;
      const img = cropImage(read, 0, 0, read.width - (read.width % scale), read.height - (read.height % scale));
      const measure = (x: Image) => psnr(x, img, { channel: 'y', border: scale });
      const bicubicLr = resampleAntialiased(img, img.width / scale, img.height / scale, 'bicubic');
      const quantised = { ...bicubicLr, data: bicubicLr.data.map((v) => Math.round(v * 255) / 255) };
      const bicubic = measure(resampleAntialiased(quantised, img.width, img.height, 'bicubic'));
      const lr = await rescaleDown(engine, loaded, img);
      const mean = measure(await rescaleUp(engine, loaded, lr, { temperature: 0 }));
      const sampled = measure(await rescaleUp(engine, loaded, lr, { temperature: 1, seed: 2 }));
      expect(mean, `${name}: τ = 0 vs bicubic ${bicubic.toFixed(2)} dB`).toBeGreaterThan(bicubic + 0.3);
      expect(sampled, `${name}: τ = 1 vs bicubic ${bicubic.toFixed(2)} dB`).toBeGreaterThan(bicubic);
    }
  }, 300_000); // 20 s alone on 2 cores; minutes when the machine is shared
});
