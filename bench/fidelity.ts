/**
 * Fidelity against the official code: the paper preset for denoising on a centre crop of F16 with σ = 25,
 * in deep-prior and in a PyTorch re-statement of the same network and loop (bench/torch/fidelity_denoise.py),
 * on the same noisy image. Prints PSNR (raw and smoothed) of both every `--every` iterations, the best
 * smoothed PSNR of each run, and writes a picture of both curves.
 *
 *   npm run bench:fidelity                                   # the full protocol: 256² crop, 3000 iterations
 *   npm run bench:fidelity -- --crop 128 --iterations 1000   # a shorter run
 *   npm run bench:fidelity -- --side ours                    # one half only (then --side torch, later)
 *   npm run bench:fidelity -- --side saved                   # only the table and picture of saved halves
 * Each side's curve is saved as <out>/fidelity-<crop>-<seed>-<side>.json; the table and picture use
 * whatever sides are saved for the same crop, seed and iterations, so on a 2-core machine the two
 * halves (about an hour each at 256²) can run at different times.
 * With both halves saved for several seeds of a crop (--seed N), a second table gives the gap per seed
 * and its mean, which tells a systematic difference from run-to-run variation.
 * Needs PyTorch (scripts/install-torch.sh); without it only deep-prior's curve is produced.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { restore, readImage, writeImage, addGaussianNoise, cropImage, psnr, Rng } from '../src/node.js';
import { lineChart } from '../src/report/svg-chart.js';

const { values } = parseArgs({
  options: {
    crop: { type: 'string', default: '256' },
    iterations: { type: 'string', default: '3000' },
    every: { type: 'string', default: '250' },
    seed: { type: 'string', default: '0' },
    // Both runs go side by side, one thread each (fair on a 2-core machine, and half the wall time
    // of running them one after the other); --sequential gives each run every thread in turn.
    threads: { type: 'string' },
    sequential: { type: 'boolean', default: false },
    side: { type: 'string', default: 'both' },
    image: { type: 'string', default: '../shared/data/denoising/F16_GT.png' },
    out: { type: 'string', default: 'bench/results/fidelity' },
  },
});
const crop = Number(values.crop);
const iterations = Number(values.iterations);
const every = Number(values.every);
// 'saved' fits nothing: it prints the table and picture from the halves saved earlier.
const side = values.side as 'both' | 'ours' | 'torch' | 'saved';
if (!['both', 'ours', 'torch', 'saved'].includes(side)) throw new Error(`--side must be both, ours, torch or saved, got ${side}`);
const threads = values.threads ?? (values.sequential || side !== 'both' ? '2' : '1');
mkdirSync(values.out!, { recursive: true });

const src = (await readImage(values.image!)).image;
const clean = cropImage(src, Math.floor((src.width - crop) / 2), Math.floor((src.height - crop) / 2), crop, crop);
const noisy = addGaussianNoise(clean, 25, new Rng(Number(values.seed) + 1000));
// Per seed: runs of several seeds may go side by side, and the PyTorch side reads this file.
const noisyPath = `${values.out}/noisy-${crop}-${values.seed}.png`;
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

/** One side's run: its curve at every `every` iterations, the best smoothed PSNR over every iteration, wall time. */
interface Side {
  points: Point[];
  best: number;
  seconds: number;
  iterations: number;
  threads: number;
  /** Backtracking fallbacks during the run (absent in halves saved before this was recorded). */
  fallbacks?: number;
}

const sideFile = (name: 'ours' | 'torch') => `${values.out}/fidelity-${crop}-${values.seed}-${name}.json`;

function loadSide(name: 'ours' | 'torch'): Side | null {
  if (!existsSync(sideFile(name))) return null;
  const saved = JSON.parse(readFileSync(sideFile(name), 'utf8')) as Side;
  return saved.iterations === iterations ? saved : null;
}

function saveSide(name: 'ours' | 'torch', run: Side): Side {
  writeFileSync(sideFile(name), JSON.stringify(run, null, 2));
  return run;
}

async function runTorch(): Promise<Side | null> {
  if (!existsSync('/usr/bin/python3')) {
    console.log('PyTorch side skipped: no /usr/bin/python3 (scripts/install-torch.sh)');
    return null;
  }
  return new Promise((resolve) => {
    const args = ['bench/torch/fidelity_denoise.py', '--image', cleanPath, '--noisy', noisyPath, '--crop', `${crop}`, '--iterations', `${iterations}`, '--every', `${every}`, '--seed', values.seed!, '--threads', threads];
    const p = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const points: Point[] = [];
    let seconds = 0;
    let best = NaN;
    let fallbacks: number | undefined;
    let buf = '';
    p.stdout.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (!l.startsWith('{')) continue;
        const j = JSON.parse(l);
        if (j.done) {
          seconds = j.seconds;
          best = j.bestPsnrSmoothed;
          fallbacks = j.fallbacks;
        } else {
          points.push(j);
          console.log(`  pytorch    ${String(j.iteration).padStart(5)}  ${j.psnr.toFixed(2)}  ${j.psnrSmoothed.toFixed(2)}`);
        }
      }
    });
    p.on('close', (code) => resolve(code === 0 ? saveSide('torch', { points, seconds, best, iterations, threads: Number(threads), fallbacks }) : null));
  });
}

async function runOurs(): Promise<Side> {
  const points: Point[] = [];
  const result = await restore(
    { task: 'denoise', image: noisy, reference: clean, preset: 'paper', stop: 'fixed', iterations, seed: Number(values.seed), threads: Number(threads), backend: 'cpu' },
    {
      onProgress: (p) => {
        if (p.iteration % every === 0 || p.iteration === iterations) {
          points.push({ iteration: p.iteration, psnr: p.psnr!, psnrSmoothed: p.psnrSmoothed!, seconds: p.seconds });
          console.log(`  deep-prior ${String(p.iteration).padStart(5)}  ${p.psnr!.toFixed(2)}  ${p.psnrSmoothed!.toFixed(2)}  (${p.iterationsPerSecond.toFixed(2)} it/s)`);
        }
      },
    },
  );
  const best = Math.max(...result.history.map((h) => h.psnrSmoothed ?? -Infinity));
  return saveSide('ours', { points, best, seconds: result.seconds, iterations, threads: Number(threads), fallbacks: result.recoveries });
}

const runBoth = side === 'both';
const torchRun = side === 'torch' || (runBoth && !values.sequential) ? runTorch() : null;
const oursRun = side === 'ours' || runBoth ? await runOurs() : loadSide('ours');
const torch = (await torchRun) ?? (runBoth && values.sequential ? await runTorch() : loadSide('torch'));
const ours = oursRun;

const f2 = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2));
const rows = ['| iteration | deep-prior PSNR | deep-prior smoothed | PyTorch PSNR | PyTorch smoothed | Δ smoothed |', '|---|---|---|---|---|---|'];
const iterationsShown = [...new Set([...(ours?.points ?? []), ...(torch?.points ?? [])].map((p) => p.iteration))].sort((a, b) => a - b);
for (const it of iterationsShown) {
  const o = ours?.points.find((q) => q.iteration === it);
  const t = torch?.points.find((q) => q.iteration === it);
  rows.push(`| ${it} | ${f2(o?.psnr)} | ${f2(o?.psnrSmoothed)} | ${f2(t?.psnr)} | ${f2(t?.psnrSmoothed)} | ${o && t ? (o.psnrSmoothed - t.psnrSmoothed).toFixed(2) : ''} |`);
}
rows.push('', `best smoothed PSNR over every iteration: deep-prior ${f2(ours?.best)} dB, PyTorch ${f2(torch?.best)} dB${ours && torch ? ` (Δ ${(ours.best - torch.best).toFixed(2)} dB)` : ''}`);
rows.push(`wall time: deep-prior ${ours ? `${ours.seconds.toFixed(0)} s (${ours.threads} threads)` : 'n/a'}, PyTorch ${torch ? `${torch.seconds.toFixed(0)} s (${torch.threads} threads)` : 'n/a'}`);
rows.push(`backtracking fallbacks: deep-prior ${ours?.fallbacks ?? 'n/a'}, PyTorch ${torch?.fallbacks ?? 'n/a'}`);
console.log(rows.join('\n'));

// Every seed of this crop with both halves saved: the smoothed-PSNR gap at each common iteration.
const pairs = readdirSync(values.out!)
  .map((f) => new RegExp(`^fidelity-${crop}-(\\d+)-ours\\.json$`).exec(f)?.[1])
  .filter((seed): seed is string => seed !== undefined && existsSync(`${values.out}/fidelity-${crop}-${seed}-torch.json`))
  .sort((a, b) => Number(a) - Number(b))
  .map((seed) => {
    const read = (name: string) => JSON.parse(readFileSync(`${values.out}/fidelity-${crop}-${seed}-${name}.json`, 'utf8')) as Side;
    return { seed, ours: read('ours'), torch: read('torch') };
  });
if (pairs.length > 1) {
  const common = [...new Set(pairs.flatMap((p) => p.ours.points.map((q) => q.iteration)))]
    .filter((it) => pairs.every((p) => p.ours.points.some((q) => q.iteration === it) && p.torch.points.some((q) => q.iteration === it)))
    .sort((a, b) => a - b);
  const gap = (p: (typeof pairs)[number], it: number) => p.ours.points.find((q) => q.iteration === it)!.psnrSmoothed - p.torch.points.find((q) => q.iteration === it)!.psnrSmoothed;
  const seedRows = [
    '',
    `smoothed PSNR gap (deep-prior − PyTorch) per seed, ${crop}² crop (each seed: its own noise and initialisation):`,
    `| seed | ${common.map((it) => `@${it}`).join(' | ')} | best (same length) |`,
    `|---|${common.map(() => '---').join('|')}|---|`,
    ...pairs.map((p) => `| ${p.seed} | ${common.map((it) => gap(p, it).toFixed(2)).join(' | ')} | ${p.ours.iterations === p.torch.iterations ? (p.ours.best - p.torch.best).toFixed(2) : '–'} |`),
    `| **mean** | ${common.map((it) => (pairs.reduce((a, p) => a + gap(p, it), 0) / pairs.length).toFixed(2)).join(' | ')} | |`,
  ];
  console.log(seedRows.join('\n'));
}

const curves = (name: string, run: Side | null) =>
  run
    ? [
        { name, points: run.points.map((p) => [p.iteration, p.psnr] as [number, number]) },
        { name: `${name} smoothed`, points: run.points.map((p) => [p.iteration, p.psnrSmoothed] as [number, number]), dashed: true },
      ]
    : [];
const chart = lineChart([...curves('deep-prior', ours), ...curves('PyTorch', torch)], {
  title: `Denoising F16 ${crop}², σ = 25, paper preset`,
  xLabel: 'iteration',
  yLabel: 'PSNR (dB)',
});
writeFileSync(`${values.out}/fidelity-${crop}.svg`, chart);
console.log(`wrote ${values.out}/fidelity-${crop}.svg`);
