/**
 * Trains a small HCFlow rescaling model on T91 patches on the CPU and compares down→up with bicubic
 * down→up on held-out Set5 (Y-PSNR, border = scale, as the rescaling papers measure). Writes the
 * weights, with the figures in their manifest, to bench/results/flow/.
 *   npx tsx bench/flow-rescale.ts --scale 2 --size tiny --steps 300 --batch 4 --patch 64 --images 8 --threads 1
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { flowModelConfig, type FlowSize } from '../src/flow/config.js';
import { listImageFiles, loadTrainingImages } from '../src/flow/dataset-node.js';
import { flowParamCount } from '../src/flow/flownet.js';
import { rescaleDown, rescaleUp } from '../src/flow/inference.js';
import { PatchSampler } from '../src/flow/patches.js';
import { trainFlow } from '../src/flow/train.js';
import { buildFlowTrainStep, FLOW_ADAM, FLOW_CLIP } from '../src/flow/train-step.js';
import { flowWeights } from '../src/flow/weights.js';
import { writeWeightsFile } from '../src/flow/weights-node.js';
import { cropImage, type Image } from '../src/image/image.js';
import { readImage } from '../src/image/io-node.js';
import { psnr } from '../src/image/metrics.js';
import { resampleAntialiased } from '../src/image/resample.js';
import { Engine } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '2' },
    size: { type: 'string', default: 'tiny' },
    steps: { type: 'string', default: '300' },
    batch: { type: 'string', default: '4' },
    patch: { type: 'string', default: '64' },
    images: { type: 'string', default: '8' },
    lr: { type: 'string', default: '1e-3' },
    threads: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});
const scale = Number(values.scale) as 2 | 4;
const size = values.size as FlowSize;
const steps = Number(values.steps);
const shared = path.resolve(import.meta.dirname, '../../shared/data');
const model = flowModelConfig('rescaling', scale, size);
const spec = { model, batch: Number(values.batch), patch: Number(values.patch), adam: { ...FLOW_ADAM, lr: Number(values.lr) }, clip: FLOW_CLIP };
const engine = await Engine.create(nodePlatform, { backend: 'cpu', threads: Number(values.threads) });

const files = (await listImageFiles(path.join(shared, 'sr_train/T91'))).slice(0, Number(values.images));
const sampler = new PatchSampler(await loadTrainingImages(files, scale), { patch: spec.patch, batch: spec.batch, scale, seed: Number(values.seed) });
console.log(`rescaling ×${scale} ${size}: ${flowParamCount(model.net)} parameters; ${files.length} T91 images, ${steps} steps of ${spec.batch}×${spec.patch}²`);

const times: number[] = [];
let last = 0;
const state = await trainFlow(engine, spec, sampler, {
  steps,
  seed: Number(values.seed),
  onStep: (r) => {
    times.push(r.seconds - last);
    last = r.seconds;
    if (r.step % 50 === 0 || r.step === 1) console.log(`step ${r.step}: loss ${r.loss.toFixed(4)} ${JSON.stringify(r.terms)} |g| ${r.gradNorm?.toFixed(3)}`);
  },
});
const steady = times.slice(1).sort((a, b) => a - b);
const perStep = steady[Math.floor(steady.length / 2)];
console.log(`median ${perStep.toFixed(3)} s/step (threads ${values.threads}), ${state.seconds.toFixed(1)} s in all`);

const params = buildFlowTrainStep(spec).params;
const training = {
  steps: state.step,
  seconds: state.seconds,
  batch: spec.batch,
  patch: spec.patch,
  data: `T91 (first ${files.length})`,
  seed: Number(values.seed),
  lr: spec.adam.lr,
};
const loaded = { weights: flowWeights(model, params, state.params, training), name: 'trained' };

const modcrop = (img: Image) => cropImage(img, 0, 0, img.width - (img.width % scale), img.height - (img.height % scale));
const quantised = (img: Image) => ({ ...img, data: img.data.map((v) => Math.round(v * 255) / 255) });
const rows: Record<string, number[]> = { bicubic: [], hcflowT0: [], hcflowT1: [] };
for (const file of await listImageFiles(path.join(shared, 'sr_benchmarks/Set5'))) {
  const hr = modcrop((await readImage(file)).image);
  const measure = (x: Image) => psnr(x, hr, { channel: 'y', border: scale });
  const bicubicLr = quantised(resampleAntialiased(hr, hr.width / scale, hr.height / scale, 'bicubic'));
  rows.bicubic.push(measure(resampleAntialiased(bicubicLr, hr.width, hr.height, 'bicubic')));
  const lr = await rescaleDown(engine, loaded, hr);
  rows.hcflowT0.push(measure(await rescaleUp(engine, loaded, lr, { temperature: 0 })));
  rows.hcflowT1.push(measure(await rescaleUp(engine, loaded, lr, { temperature: 1, seed: 1 })));
  console.log(
    `${path.basename(file)}: bicubic ${rows.bicubic.at(-1)!.toFixed(2)} dB, HCFlow τ=0 ${rows.hcflowT0.at(-1)!.toFixed(2)} dB, τ=1 ${rows.hcflowT1.at(-1)!.toFixed(2)} dB`,
  );
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const validation = { set5BicubicYPsnr: mean(rows.bicubic), set5YPsnrTau0: mean(rows.hcflowT0), set5YPsnrTau1: mean(rows.hcflowT1), secondsPerStep: perStep };
console.log(
  `Set5 mean Y-PSNR: bicubic ${validation.set5BicubicYPsnr.toFixed(2)}, HCFlow τ=0 ${validation.set5YPsnrTau0.toFixed(2)}, τ=1 ${validation.set5YPsnrTau1.toFixed(2)} dB`,
);
const out = path.resolve(import.meta.dirname, `results/flow/rescaling-x${scale}-${size}.hcflow`);
mkdirSync(path.dirname(out), { recursive: true });
await writeWeightsFile(out, flowWeights(model, params, state.params, training, validation));
console.log(`weights: ${out}`);
