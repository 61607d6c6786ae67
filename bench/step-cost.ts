/**
 * The cost of one training step of each denoising configuration at one image size: the process CPU
 * seconds per step measured here, the multiply-accumulates and values the time model of
 * src/tasks/size-preset.ts counts, and the model's seconds — what that model's rates were fitted to.
 * CPU time, not wall time, so that a shared machine's waiting does not count; it does not remove the
 * contention for caches and memory bandwidth, so measure on a quiet machine where possible.
 *
 *   npm run bench:step-cost                                  # 1024×768, 2 threads, 4 timed steps
 *   npm run bench:step-cost -- --size 256x256 --threads 1 --steps 8 --configs fast,paper
 */
import { parseArgs } from 'node:util';
import { createImage, restore, Rng, type RestoreOptions } from '../src/node.js';
import { forwardMacs } from '../src/nets/cost.js';
import { network } from '../src/nets/index.js';
import { presetSettings } from '../src/tasks/settings.js';
import { stepSeconds } from '../src/tasks/size-preset.js';
import { STEP_CONFIGS } from './step-configs.js';

const CONFIGS = STEP_CONFIGS;

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1024x768' },
    threads: { type: 'string', default: '2' },
    steps: { type: 'string', default: '4' },
    configs: { type: 'string', default: 'fast,pyramid-128,pyramid-96,pyramid-64,lite,drp' },
  },
});
const [width, height] = values.size!.split('x').map(Number);
const threads = Number(values.threads);
const steps = Number(values.steps);
const image = createImage(width, height, 3, new Rng(1).fillUniform(new Float32Array(width * height * 3)));
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

console.log(`${width}×${height}, ${threads} threads, CPU seconds per step over steps 2–${steps + 1}`);
console.log('| configuration | code channels | forward MACs (10⁹) | measured CPU s/step | model CPU s/step |');
console.log('|---|---|---|---|---|');
for (const name of values.configs!.split(',')) {
  const options: RestoreOptions = { task: 'denoise', image, iterations: steps + 1, stop: 'fixed', threads, backend: 'cpu', ...CONFIGS[name] };
  const s = presetSettings(options, options.preset as never);
  const net = network(s.arch, s.net, 3);
  const shape = [1, s.inputDepth, height, width];
  let first = 0;
  let last = 0;
  await restore(options, {
    onProgress: (p) => {
      if (p.iteration === 1) first = cpu();
      last = cpu();
    },
  });
  const measured = (last - first) / steps;
  const model = stepSeconds(s, width, height, 3, { backend: 'cpu', threads }) * threads;
  console.log(`| ${name} | ${s.inputDepth} | ${(forwardMacs(net, shape) / 1e9).toFixed(2)} | ${measured.toFixed(2)} | ${model.toFixed(2)} |`);
}
