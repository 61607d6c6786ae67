/**
 * Fidelity against the official code: the paper preset for denoising on a centre crop of F16 with σ = 25,
 * in deep-prior and in a PyTorch re-statement of the same network and loop (bench/torch/fidelity_denoise.py),
 * on the same noisy image. Prints PSNR (raw and smoothed) of both every `--every` iterations, the best
 * smoothed PSNR of each run, and writes a picture of both curves.
 *
 *   npm run bench:fidelity                                   # the full protocol: 256² crop, 3000 iterations
 *   npm run bench:fidelity -- --crop 128 --iterations 1000   # a shorter run
 * Needs PyTorch (scripts/install-torch.sh); without it only deep-prior's curve is produced.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { restore, readImage, writeImage, addGaussianNoise, cropImage, psnr, Rng } from '../src/node.js';
import { lineChart } from '../src/report/svg-chart.js';

const { values } = parseArgs({
  options: {
    crop: { type: 'string', default: '256' },
    iterations: { type: 'string', default: '3000' },
    every: { type: 'string', default: '250' },
    seed: { type: 'string', default: '0' },
    threads: { type: 'string', default: '2' },
    image: { type: 'string', default: '../shared/data/denoising/F16_GT.png' },
    out: { type: 'string', default: 'bench/results/fidelity' },
    'skip-torch': { type: 'boolean', default: false },
  },
});
const crop = Number(values.crop);
const iterations = Number(values.iterations);
const every = Number(values.every);
mkdirSync(values.out!, { recursive: true });

const src = (await readImage(values.image!)).image;
const clean = cropImage(src, Math.floor((src.width - crop) / 2), Math.floor((src.height - crop) / 2), crop, crop);
const noisy = addGaussianNoise(clean, 25, new Rng(Number(values.seed) + 1000));
const noisyPath = `${values.out}/noisy-${crop}.png`;
const cleanPath = `${values.out}/clean-${crop}.png`;
await writeImage(noisyPath, noisy, { bitDepth: 16 });
await writeImage(cleanPath, clean, { bitDepth: 16 });
console.log(`F16 ${crop}² centre crop, σ = 25: noisy PSNR ${psnr(noisy, clean).toFixed(2)} dB`);

interface Point {
  iteration: number;
  psnr: number;
  psnrSmoothed: number;
  seconds: number;
}

async function runTorch(): Promise<{ points: Point[]; seconds: number } | null> {
  if (values['skip-torch'] || !existsSync('/usr/bin/python3')) return null;
  return new Promise((resolve) => {
    const args = ['bench/torch/fidelity_denoise.py', '--image', cleanPath, '--noisy', noisyPath, '--crop', `${crop}`, '--iterations', `${iterations}`, '--every', `${every}`, '--seed', values.seed!, '--threads', values.threads!];
    const p = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const points: Point[] = [];
    let seconds = 0;
    let buf = '';
    p.stdout.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (!l.startsWith('{')) continue;
        const j = JSON.parse(l);
        if (j.done) seconds = j.seconds;
        else {
          points.push(j);
          console.log(`  pytorch    ${String(j.iteration).padStart(5)}  ${j.psnr.toFixed(2)}  ${j.psnrSmoothed.toFixed(2)}`);
        }
      }
    });
    p.on('close', (code) => resolve(code === 0 ? { points, seconds } : null));
  });
}

const ours: Point[] = [];
const t0 = performance.now();
const result = await restore(
  { task: 'denoise', image: noisy, reference: clean, preset: 'paper', stop: 'fixed', iterations, seed: Number(values.seed), threads: Number(values.threads), backend: 'cpu' },
  {
    onProgress: (p) => {
      if (p.iteration % every === 0 || p.iteration === iterations) {
        ours.push({ iteration: p.iteration, psnr: p.psnr!, psnrSmoothed: p.psnrSmoothed!, seconds: p.seconds });
        console.log(`  deep-prior ${String(p.iteration).padStart(5)}  ${p.psnr!.toFixed(2)}  ${p.psnrSmoothed!.toFixed(2)}  (${p.iterationsPerSecond.toFixed(2)} it/s)`);
      }
    },
  },
);
const oursSeconds = (performance.now() - t0) / 1000;
// Best smoothed PSNR at the printed iterations, the same sampling for both runs.
const bestOurs = Math.max(...ours.map((p) => p.psnrSmoothed));
const bestOursAll = Math.max(...result.history.map((h) => h.psnrSmoothed ?? -Infinity));
const torch = await runTorch();

const rows = ['| iteration | deep-prior PSNR | deep-prior smoothed | PyTorch PSNR | PyTorch smoothed | Δ smoothed |', '|---|---|---|---|---|---|'];
for (const p of ours) {
  const t = torch?.points.find((q) => q.iteration === p.iteration);
  rows.push(`| ${p.iteration} | ${p.psnr.toFixed(2)} | ${p.psnrSmoothed.toFixed(2)} | ${t ? t.psnr.toFixed(2) : 'n/a'} | ${t ? t.psnrSmoothed.toFixed(2) : 'n/a'} | ${t ? (p.psnrSmoothed - t.psnrSmoothed).toFixed(2) : ''} |`);
}
const torchBest = torch ? Math.max(...torch.points.map((q) => q.psnrSmoothed)) : NaN;
rows.push('', `best smoothed PSNR at the printed iterations: deep-prior ${bestOurs.toFixed(2)} dB, PyTorch ${torch ? torchBest.toFixed(2) + ' dB' : 'n/a'}${torch ? ` (Δ ${(bestOurs - torchBest).toFixed(2)} dB)` : ''}; deep-prior over every iteration: ${bestOursAll.toFixed(2)} dB`);
rows.push(`wall time: deep-prior ${oursSeconds.toFixed(0)} s, PyTorch ${torch ? torch.seconds.toFixed(0) + ' s' : 'n/a'}`);
console.log(rows.join('\n'));

const chart = lineChart(
  [
    { name: 'deep-prior', points: ours.map((p) => [p.iteration, p.psnr]) },
    { name: 'deep-prior smoothed', points: ours.map((p) => [p.iteration, p.psnrSmoothed]), dashed: true },
    ...(torch
      ? [
          { name: 'PyTorch', points: torch.points.map((p) => [p.iteration, p.psnr] as [number, number]) },
          { name: 'PyTorch smoothed', points: torch.points.map((p) => [p.iteration, p.psnrSmoothed] as [number, number]), dashed: true },
        ]
      : []),
  ],
  { title: `Denoising F16 ${crop}², σ = 25, paper preset`, xLabel: 'iteration', yLabel: 'PSNR (dB)' },
);
writeFileSync(`${values.out}/fidelity-${crop}.svg`, chart);
writeFileSync(`${values.out}/fidelity-${crop}.json`, JSON.stringify({ crop, iterations, ours, torch, bestOurs, torchBest, oursSeconds }, null, 2));
console.log(`wrote ${values.out}/fidelity-${crop}.svg`);
