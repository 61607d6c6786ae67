/**
 * Fidelity against the official code: the paper preset for denoising on a centre crop of F16 with σ = 25,
 * in deep-prior and in a PyTorch re-statement of the same network and loop (bench/torch/fidelity_denoise.py),
 * on the same noisy image. Prints PSNR (raw and smoothed) of each run every `--every` iterations, the best
 * smoothed PSNR of each run, and writes a picture of the curves.
 *
 *   npm run bench:fidelity                                   # the full protocol: 256² crop, 3000 iterations
 *   npm run bench:fidelity -- --crop 128 --iterations 1000   # a shorter run
 *   npm run bench:fidelity -- --runs ours                    # one run only (then --runs torch, later)
 *   npm run bench:fidelity -- --runs ours,torch,control      # with the PyTorch-vs-PyTorch control
 *   npm run bench:fidelity -- --runs none                    # only the table and picture of saved runs
 *
 * Runs:
 *   ours     deep-prior, paper preset;
 *   torch    the PyTorch re-statement;
 *   control  the PyTorch re-statement again with other reg-noise draws (another torch seed): how far two
 *            runs of the *same* implementation drift apart. The training loop is chaotic at the level of
 *            float rounding (Adam's first steps move every weight by ±lr whatever the gradient's size, so
 *            a rounding difference that flips a tiny gradient's sign changes the trajectory): deep-prior
 *            vs PyTorch can only be judged against this spread.
 * By default every run starts from the same point (--init shared): deep-prior draws the initial weights
 * (PyTorch's default distribution) and the input code, and the PyTorch runs load them, so the curves
 * differ by the implementation and the reg-noise draws, not by the luck of the initialisation.
 * --init own lets each run draw its own (files tagged without "-shared").
 *
 * Each run's curve is saved as <out>/fidelity-<crop>-<seed>[-shared]-<run>.json; the table and picture
 * use whatever runs are saved for the same crop, seed and length, so on a 2-core machine the runs
 * (about an hour each at 256²) can go at different times. With ours and torch saved for several seeds
 * (--seed N: its own noise and initialisation), a second table gives the gap per seed and its mean.
 * Needs PyTorch (scripts/install-torch.sh); without it only deep-prior's curve is produced.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { restore, readImage, writeImage, addGaussianNoise, cropImage, psnr, Rng, AbortError, type InitialState } from '../src/node.js';
import { lineChart } from '../src/report/svg-chart.js';

const RUNS = ['ours', 'torch', 'control'] as const;
type RunName = (typeof RUNS)[number];
const LABEL: Record<RunName, string> = { ours: 'deep-prior', torch: 'PyTorch', control: 'PyTorch (other draws)' };
/** The control's torch seed is offset from --seed, so its reg-noise draws differ from the torch run's. */
const CONTROL_SEED_OFFSET = 7919;

const { values } = parseArgs({
  options: {
    crop: { type: 'string', default: '256' },
    iterations: { type: 'string', default: '3000' },
    every: { type: 'string', default: '250' },
    seed: { type: 'string', default: '0' },
    runs: { type: 'string', default: 'ours,torch' },
    // The runs go side by side, one thread each (on a 2-core machine, half the wall time of running
    // them one after the other); --sequential gives each run every thread in turn.
    threads: { type: 'string' },
    sequential: { type: 'boolean', default: false },
    init: { type: 'string', default: 'shared' },
    image: { type: 'string', default: '../shared/data/denoising/F16_GT.png' },
    out: { type: 'string', default: 'bench/results/fidelity' },
  },
});
const crop = Number(values.crop);
const iterations = Number(values.iterations);
const every = Number(values.every);
const seed = Number(values.seed);
// 'none' fits nothing: it prints the table and picture from the runs saved earlier.
const runs = values.runs === 'none' ? [] : values.runs!.split(',').map((r) => r.trim());
for (const r of runs) if (!(RUNS as readonly string[]).includes(r)) throw new Error(`--runs takes ${RUNS.join(', ')} (comma-separated) or none, got ${r}`);
if (!['shared', 'own'].includes(values.init!)) throw new Error(`--init must be shared or own, got ${values.init}`);
const shared = values.init === 'shared';
const concurrent = !values.sequential && runs.length > 1;
const threads = values.threads ?? (concurrent ? '1' : '2');
mkdirSync(values.out!, { recursive: true });

const src = (await readImage(values.image!)).image;
const clean = cropImage(src, Math.floor((src.width - crop) / 2), Math.floor((src.height - crop) / 2), crop, crop);
// Per seed: runs of several seeds may go side by side, and the PyTorch side reads this file. 8-bit, and
// deep-prior fits the file read back, so both sides fit exactly the same values (a 16-bit PNG would reach
// PyTorch through PIL truncated to 8 bits, a different target from deep-prior's).
const noisyPath = `${values.out}/noisy-${crop}-${seed}.png`;
const cleanPath = `${values.out}/clean-${crop}.png`;
await writeImage(noisyPath, addGaussianNoise(clean, 25, new Rng(seed + 1000)), { bitDepth: 8 });
await writeImage(cleanPath, clean, { bitDepth: 8 });
const noisy = (await readImage(noisyPath)).image;
console.log(`F16 ${crop}² centre crop, σ = 25: noisy PSNR ${psnr(noisy, clean).toFixed(2)} dB`);

interface Point {
  iteration: number;
  psnr: number;
  psnrSmoothed: number;
  seconds: number;
}

/** One run: its curve at every `every` iterations, the best smoothed PSNR over every iteration, wall time. */
interface Run {
  points: Point[];
  best: number;
  seconds: number;
  iterations: number;
  threads: number;
  /** Backtracking fallbacks during the run. */
  fallbacks?: number;
}

const tagSuffix = shared ? '-shared' : '';
const runFile = (name: RunName, s = seed) => `${values.out}/fidelity-${crop}-${s}${tagSuffix}-${name}.json`;
// deep-prior's starting point for the PyTorch runs: <stem>.json (shapes) and <stem>.bin (weights, then z).
const initStem = `${values.out}/init-${crop}-${seed}`;

function writeInitialState(state: InitialState): void {
  const flat = new Float32Array(state.params.reduce((n, p) => n + p.length, 0) + state.z.length);
  let offset = 0;
  for (const a of [...state.params, state.z]) {
    flat.set(a, offset);
    offset += a.length;
  }
  writeFileSync(`${initStem}.bin`, new Uint8Array(flat.buffer));
  writeFileSync(`${initStem}.json`, JSON.stringify({ paramShapes: state.paramShapes, inputShape: state.inputShape }));
}

/**
 * Writes the shared starting point: a deep-prior run is cancelled as soon as it has drawn it. Drawn
 * afresh every time (it is seeded, so it is what deep-prior's own run of this seed starts from), so a
 * file left by an older version is never used.
 */
async function writeSharedStart(): Promise<void> {
  const controller = new AbortController();
  try {
    await restore(oursOptions(1), {
      signal: controller.signal,
      onStart: (state) => {
        writeInitialState(state);
        controller.abort();
      },
    });
  } catch (e) {
    if (!(e instanceof AbortError)) throw e;
  }
}

function oursOptions(n: number) {
  return {
    task: 'denoise',
    image: noisy,
    reference: clean,
    preset: 'paper',
    stop: 'fixed',
    iterations: n,
    seed,
    threads: Number(threads),
    backend: 'cpu',
  } as const;
}

function loadRun(name: RunName, s = seed): Run | null {
  if (!existsSync(runFile(name, s))) return null;
  const saved = JSON.parse(readFileSync(runFile(name, s), 'utf8')) as Run;
  return saved.iterations === iterations ? saved : null;
}

function saveRun(name: RunName, run: Run): Run {
  writeFileSync(runFile(name), JSON.stringify(run, null, 2));
  return run;
}

function logPoint(name: RunName, p: Point, extra = ''): void {
  console.log(`  ${LABEL[name].padEnd(22)} ${String(p.iteration).padStart(5)}  ${p.psnr.toFixed(2)}  ${p.psnrSmoothed.toFixed(2)}${extra}`);
}

async function runTorch(name: 'torch' | 'control'): Promise<Run | null> {
  if (!existsSync('/usr/bin/python3')) {
    console.log(`${LABEL[name]} skipped: no /usr/bin/python3 (scripts/install-torch.sh)`);
    return null;
  }
  const torchSeed = name === 'control' ? seed + CONTROL_SEED_OFFSET : seed;
  return new Promise((resolve) => {
    const args = [
      'bench/torch/fidelity_denoise.py',
      '--image',
      cleanPath,
      '--noisy',
      noisyPath,
      '--crop',
      `${crop}`,
      '--iterations',
      `${iterations}`,
      '--every',
      `${every}`,
      '--seed',
      `${torchSeed}`,
      '--threads',
      threads,
      ...(shared ? ['--init', initStem] : []),
    ];
    const p = spawn('/usr/bin/python3', args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const points: Point[] = [];
    let done: { seconds: number; bestPsnrSmoothed: number; fallbacks: number } | null = null;
    let buf = '';
    p.stdout.on('data', (d) => {
      buf += d;
      const lines = buf.split('\n');
      buf = lines.pop()!;
      for (const l of lines) {
        if (!l.startsWith('{')) continue;
        const j = JSON.parse(l);
        if (j.done) done = j;
        else {
          points.push(j);
          logPoint(name, j);
        }
      }
    });
    p.on('close', (code) =>
      resolve(
        code === 0 && done
          ? saveRun(name, { points, seconds: done.seconds, best: done.bestPsnrSmoothed, iterations, threads: Number(threads), fallbacks: done.fallbacks })
          : null,
      ),
    );
  });
}

async function runOurs(): Promise<Run> {
  const points: Point[] = [];
  const result = await restore(oursOptions(iterations), {
    onProgress: (p) => {
      if (p.iteration % every === 0 || p.iteration === iterations) {
        const point = { iteration: p.iteration, psnr: p.psnr!, psnrSmoothed: p.psnrSmoothed!, seconds: p.seconds };
        points.push(point);
        logPoint('ours', point, `  (${p.iterationsPerSecond.toFixed(2)} it/s)`);
      }
    },
  });
  const best = Math.max(...result.history.map((h) => h.psnrSmoothed ?? -Infinity));
  return saveRun('ours', { points, best, seconds: result.seconds, iterations, threads: Number(threads), fallbacks: result.recoveries });
}

const start = (name: RunName) => (name === 'ours' ? runOurs() : runTorch(name));
if (shared && runs.some((r) => r !== 'ours')) await writeSharedStart();
if (concurrent) await Promise.all(runs.map((r) => start(r as RunName)));
else for (const r of runs) await start(r as RunName);
const saved = Object.fromEntries(RUNS.map((r) => [r, loadRun(r)])) as Record<RunName, Run | null>;
const present = RUNS.filter((r) => saved[r]);

const f2 = (x: number | undefined) => (x === undefined ? 'n/a' : x.toFixed(2));
const at = (name: RunName, it: number) => saved[name]?.points.find((q) => q.iteration === it);
/** Smoothed-PSNR differences shown: deep-prior − PyTorch, and PyTorch − PyTorch when the control ran. */
const gaps = (
  [
    ['ours', 'torch'],
    ['control', 'torch'],
  ] as const
).filter(([a, b]) => saved[a] && saved[b]);
const gapLabel = (a: RunName) => (a === 'ours' ? 'Δ deep-prior − PyTorch' : 'Δ PyTorch − PyTorch');
const header = ['iteration', ...present.flatMap((r) => [`${LABEL[r]} PSNR`, `${LABEL[r]} smoothed`]), ...gaps.map(([a]) => `${gapLabel(a)} (smoothed)`)];
const rows = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
const iterationsShown = [...new Set(present.flatMap((r) => saved[r]!.points.map((p) => p.iteration)))].sort((a, b) => a - b);
for (const it of iterationsShown) {
  const cells = present.flatMap((r) => [f2(at(r, it)?.psnr), f2(at(r, it)?.psnrSmoothed)]);
  const deltas = gaps.map(([a, b]) => {
    const x = at(a, it);
    const y = at(b, it);
    return x && y ? (x.psnrSmoothed - y.psnrSmoothed).toFixed(2) : '';
  });
  rows.push(`| ${it} | ${[...cells, ...deltas].join(' | ')} |`);
}
rows.push(
  '',
  `best smoothed PSNR over every iteration: ${present.map((r) => `${LABEL[r]} ${f2(saved[r]!.best)} dB`).join(', ')}${gaps.map(([a, b]) => `; ${gapLabel(a)} ${(saved[a]!.best - saved[b]!.best).toFixed(2)} dB`).join('')}`,
);
rows.push(`wall time: ${present.map((r) => `${LABEL[r]} ${saved[r]!.seconds.toFixed(0)} s (${saved[r]!.threads} threads)`).join(', ')}`);
rows.push(`backtracking fallbacks: ${present.map((r) => `${LABEL[r]} ${saved[r]!.fallbacks ?? 'n/a'}`).join(', ')}`);
console.log(rows.join('\n'));

// Every seed of this crop with ours and torch saved: the smoothed-PSNR gap at each common iteration.
const pairs = readdirSync(values.out!)
  .map((f) => new RegExp(`^fidelity-${crop}-(\\d+)${tagSuffix}-ours\\.json$`).exec(f)?.[1])
  .filter((s): s is string => s !== undefined && existsSync(runFile('torch', Number(s))))
  .sort((a, b) => Number(a) - Number(b))
  .map((s) => {
    const read = (name: RunName) => JSON.parse(readFileSync(runFile(name, Number(s)), 'utf8')) as Run;
    return { seed: s, ours: read('ours'), torch: read('torch') };
  });
if (pairs.length > 1) {
  const common = [...new Set(pairs.flatMap((p) => p.ours.points.map((q) => q.iteration)))]
    .filter((it) => pairs.every((p) => p.ours.points.some((q) => q.iteration === it) && p.torch.points.some((q) => q.iteration === it)))
    .sort((a, b) => a - b);
  const gap = (p: (typeof pairs)[number], it: number) =>
    p.ours.points.find((q) => q.iteration === it)!.psnrSmoothed - p.torch.points.find((q) => q.iteration === it)!.psnrSmoothed;
  console.log(
    [
      '',
      `smoothed PSNR gap (deep-prior − PyTorch) per seed, ${crop}² crop (each seed: its own noise and ${shared ? 'shared ' : ''}initialisation):`,
      `| seed | ${common.map((it) => `@${it}`).join(' | ')} | best (same length) |`,
      `|---|${common.map(() => '---').join('|')}|---|`,
      ...pairs.map(
        (p) =>
          `| ${p.seed} | ${common.map((it) => gap(p, it).toFixed(2)).join(' | ')} | ${p.ours.iterations === p.torch.iterations ? (p.ours.best - p.torch.best).toFixed(2) : '–'} |`,
      ),
      `| **mean** | ${common.map((it) => (pairs.reduce((a, p) => a + gap(p, it), 0) / pairs.length).toFixed(2)).join(' | ')} | |`,
    ].join('\n'),
  );
}

const COLORS: Record<RunName, string> = { ours: '#d62728', torch: '#1f77b4', control: '#7f7f7f' };
const series = present.flatMap((r) => [
  { name: LABEL[r], points: saved[r]!.points.map((p) => [p.iteration, p.psnr] as [number, number]), color: COLORS[r] },
  { name: `${LABEL[r]} smoothed`, points: saved[r]!.points.map((p) => [p.iteration, p.psnrSmoothed] as [number, number]), color: COLORS[r], dashed: true },
]);
const chart = lineChart(series, {
  title: `Denoising F16 ${crop}², σ = 25, paper preset${shared ? ', shared initialisation' : ''}`,
  xLabel: 'iteration',
  yLabel: 'PSNR (dB)',
});
writeFileSync(`${values.out}/fidelity-${crop}${tagSuffix}.svg`, chart);
console.log(`wrote ${values.out}/fidelity-${crop}${tagSuffix}.svg`);
