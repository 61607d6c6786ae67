/**
 * The fast preset against the paper preset on the fidelity bench's noisy crop: the paper preset's best
 * smoothed PSNR and wall time come from its saved run (npm run bench:fidelity -- --runs ours, same crop,
 * seed and threads); the fast preset runs here with the CLI's defaults (automatic stopping) and its
 * returned image is scored against the clean crop. Prints one table.
 *
 *   npm run bench:fast-vs-paper                                  # 256² crop, seed 0, 1 thread
 *   npm run bench:fast-vs-paper -- --crop 128 --threads 2
 * Compare wall times only between runs made under the same load (threads, other processes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { psnr, readImage, restore } from '../src/node.js';

const { values } = parseArgs({
  options: {
    crop: { type: 'string', default: '256' },
    seed: { type: 'string', default: '0' },
    threads: { type: 'string', default: '1' },
    dir: { type: 'string', default: 'bench/results/fidelity' },
  },
});
const { crop, seed, dir } = values as Record<string, string>;
const paperFile = `${dir}/fidelity-${crop}-${seed}-shared-ours.json`;
if (!existsSync(paperFile)) throw new Error(`${paperFile} is missing: run npm run bench:fidelity -- --runs ours --crop ${crop} --seed ${seed} first`);
const paper = JSON.parse(readFileSync(paperFile, 'utf8')) as { best: number; seconds: number; iterations: number; threads: number };

const noisy = (await readImage(`${dir}/noisy-${crop}-${seed}.png`)).image;
const clean = (await readImage(`${dir}/clean-${crop}.png`)).image;
let last = 0;
const fast = await restore(
  { task: 'denoise', image: noisy, reference: clean, seed: Number(seed), threads: Number(values.threads), backend: 'cpu' },
  {
    onProgress: (p) => {
      if (p.iteration - last >= 250) {
        last = p.iteration;
        console.log(`  fast preset ${p.iteration}  smoothed ${p.psnrSmoothed?.toFixed(2)} dB  ${p.seconds.toFixed(0)} s`);
      }
    },
  },
);
const fastPsnr = psnr(fast.image, clean);
const rows = [
  `F16 ${crop}² centre crop, σ = 25, seed ${seed} (noisy PSNR ${psnr(noisy, clean).toFixed(2)} dB)`,
  '| preset | iterations | stop | PSNR | wall time |',
  '|---|---|---|---|---|',
  `| paper (fixed ${paper.iterations}) | ${paper.iterations} | fixed | best smoothed ${paper.best.toFixed(2)} (oracle) | ${paper.seconds.toFixed(0)} s (${paper.threads} threads) |`,
  `| fast, defaults | ${fast.iterations} | ${fast.options.stopRule ?? fast.stopReason} | **${fastPsnr.toFixed(2)}** (returned image) | ${fast.seconds.toFixed(0)} s (${fast.options.threads} threads) |`,
  '',
  `fast − paper best: ${(fastPsnr - paper.best).toFixed(2)} dB (bar: ≥ −0.5); wall time ratio ${(fast.seconds / paper.seconds).toFixed(2)} (bar: ≤ 0.25)`,
];
console.log(rows.join('\n'));
