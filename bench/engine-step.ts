/**
 * Times one deep-prior training step (forward + backward + Adam, one session.run) of the reference
 * skip net in this process and prints one JSON line. Run by bench/engine.ts, one process per
 * configuration so peak memory is per configuration.
 *   npx tsx bench/engine-step.ts --size 256 --channels 128 --backend cpu --warmup 2 --repeats 5
 */
import { parseArgs } from 'node:util';
import { buildStepGraph, adamScalars, ADAM_DEFAULTS } from '../src/fit/step-graph.js';
import { skipNet, SKIP_DEFAULTS } from '../src/nets/skip.js';
import { mse, noiseKeys } from '../src/graph/index.js';
import { Engine, type BackendName, type HostArray } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { Rng } from '../src/util/random.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '256' },
    channels: { type: 'string', default: '128' },
    backend: { type: 'string', default: 'cpu' },
    threads: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '5' },
  },
});
const size = Number(values.size);
const ch = Number(values.channels);
const engine = await Engine.create(nodePlatform, { backend: values.backend as BackendName, threads: Number(values.threads) });
const step = buildStepGraph({
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
const t0 = performance.now();
const prog = await engine.compile(step.graph);
const compileMs = performance.now() - t0;
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
const times: number[] = [];
const warmup = Number(values.warmup);
const repeats = Number(values.repeats);
for (let t = 1; t <= warmup + repeats; t++) {
  const { stepSize, invSqrtBc2 } = adamScalars(ADAM_DEFAULTS, t);
  feeds.noise_key = noiseKeys(0, t);
  feeds.step_size = Float32Array.of(stepSize);
  feeds.inv_sqrt_bc2 = Float32Array.of(invSqrtBc2);
  const s = performance.now();
  const out = await prog.run(feeds);
  const loss = out.loss[0];
  if (!Number.isFinite(loss)) throw new Error('loss is not finite');
  step.params.values.forEach((v, i) => {
    feeds[v.name] = out[`p${i}_next`];
    feeds[`m${i}`] = out[`m${i}_next`];
    feeds[`v${i}`] = out[`v${i}_next`];
  });
  feeds.avg = out.avg_next;
  if (t > warmup) times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    engine: 'deep-prior',
    backend: engine.backend,
    size,
    channels: ch,
    threads: engine.threads,
    msMedian: times[Math.floor(times.length / 2)],
    msMin: times[0],
    compileMs,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    params: step.params.count,
  }),
);
await prog.release();
