/**
 * Times one deep-prior training step (forward + backward + Adam, one session.run) of the reference
 * skip net in this process and prints one JSON line: wall and process CPU milliseconds per step
 * (median and min), peak RSS, and the graph's convolution/GEMM FLOPs. Run by bench/engine.ts, one
 * process per configuration so peak memory is per configuration.
 *   npx tsx bench/engine-step.ts --size 256 --channels 128 --backend cpu --warmup 2 --repeats 5
 */
import { parseArgs } from 'node:util';
import { Engine, type BackendName } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { graphFlops } from './flops.js';
import { advanceState, initialFeeds, referenceStep, setStepScalars } from './reference-step.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '256' },
    channels: { type: 'string', default: '128' },
    backend: { type: 'string', default: 'cpu' },
    threads: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '5' },
    /** --nchwc off: convolutions without the CPU provider's NCHWc lowering (for comparison) */
    nchwc: { type: 'string', default: 'on' },
    /** ONNX Runtime session options merged over the engine's, as JSON (e.g. '{"extra":{"session":{"intra_op":{"allow_spinning":"0"}}}}') */
    set: { type: 'string', default: '{}' },
  },
});
const size = Number(values.size);
const ch = Number(values.channels);
const engine = await Engine.create(nodePlatform, {
  backend: values.backend as BackendName,
  threads: Number(values.threads),
  nchwc: values.nchwc !== 'off',
  sessionOverrides: JSON.parse(values.set!),
});
const step = referenceStep(size, ch);
const t0 = performance.now();
const prog = await engine.compile(step.graph);
const compileMs = performance.now() - t0;
const feeds = initialFeeds(step, size);
const wall: number[] = [];
const cpu: number[] = [];
const warmup = Number(values.warmup);
const repeats = Number(values.repeats);
for (let t = 1; t <= warmup + repeats; t++) {
  setStepScalars(feeds, t);
  const s = performance.now();
  const c = process.cpuUsage();
  const out = await prog.run(feeds);
  const dc = process.cpuUsage(c);
  const ms = performance.now() - s;
  advanceState(step, feeds, out);
  if (t > warmup) {
    wall.push(ms);
    cpu.push((dc.user + dc.system) / 1000);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  JSON.stringify({
    engine: 'deep-prior',
    backend: engine.backend,
    size,
    channels: ch,
    threads: engine.threads,
    nchwcBlock: engine.nchwcBlock,
    msMedian: median(wall),
    msMin: Math.min(...wall),
    cpuMsMedian: median(cpu),
    compileMs,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    params: step.params.count,
    gflop: graphFlops(step.graph).total / 1e9,
  }),
);
await prog.release();
