/**
 * Cost of ISNAS-DIP's training-free screening: one untrained forward pass of each random cross-skip
 * candidate (128 channels) on a noisy crop of the paper's F16, plus its metrics. Prints the time per
 * candidate split into setup (graph build and load, weights drawn), forward pass and metrics, and the
 * best candidate per metric.
 *
 *   npm run bench:screen                                  # 256² centre crop, 8 candidates, 1 thread
 *   npm run bench:screen -- --size 512 --candidates 4 --threads 2
 */
import { parseArgs } from 'node:util';
import { addGaussianNoise, cropImage, readImage, Rng } from '../src/node.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { describeGenotype } from '../src/search/genotype.js';
import { screenWith, type ScreenedCandidate } from '../src/search/screen.js';

const { values } = parseArgs({
  options: {
    image: { type: 'string', default: '../shared/data/isnas_dip/denoising/f16_512_rgb.png' },
    size: { type: 'string', default: '256' },
    candidates: { type: 'string', default: '8' },
    threads: { type: 'string', default: '1' },
    seed: { type: 'string', default: '1' },
  },
});
const size = Number(values.size);
const src = (await readImage(values.image!)).image;
const clean = cropImage(src, (src.width - size) >> 1, (src.height - size) >> 1, size, size);
const image = addGaussianNoise(clean, 25, new Rng(0));

// CPU time (all threads of the process) per candidate: on a shared machine wall times include waiting.
const cpu: number[] = [];
let mark = process.cpuUsage();
const result = await screenWith(
  nodePlatform,
  { image, candidates: Number(values.candidates), seed: Number(values.seed), threads: Number(values.threads), backend: 'cpu' },
  {
    onCandidate: (c, i, n) => {
      const used = process.cpuUsage(mark);
      mark = process.cpuUsage();
      cpu.push((used.user + used.system) / 1e6);
      console.log(
        `${i + 1}/${n} ${c.name}  setup ${ms(c.seconds.setup)}  forward ${ms(c.seconds.forward)}  metrics ${ms(c.seconds.metrics)}  cpu ${ms(cpu[i])}`,
      );
    },
  },
);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const part = (k: keyof ScreenedCandidate['seconds']) => result.candidates.map((c) => c.seconds[k]);
const total = result.candidates.map((c) => c.seconds.setup + c.seconds.forward + c.seconds.metrics);
console.log(`\n${size}² RGB, ${result.candidates.length} candidates, ${result.threads} thread(s), ${result.backend}`);
console.log('| per candidate | median | mean |');
console.log('|---|---|---|');
for (const [name, xs] of [
  ['graph build + load, weights drawn', part('setup')],
  ['forward pass', part('forward')],
  ['metrics', part('metrics')],
  ['total', total],
  ['CPU time of the process (the first includes the engine start)', cpu],
] as const)
  console.log(`| ${name} | ${ms(median(xs))} | ${ms(xs.reduce((a, b) => a + b, 0) / xs.length)} |`);
console.log(`whole screening ${result.seconds.toFixed(1)} s`);
for (const [metric, order] of Object.entries(result.rankings)) {
  const best = result.candidates[order[0]];
  console.log(`best by ${metric}: ${best.name} (${best.scores[metric].toPrecision(4)}) — ${describeGenotype(best.genotype)}`);
}

function ms(s: number): string {
  return `${(s * 1000).toFixed(0)} ms`;
}
