/**
 * Photos at real sizes with the defaults: the plan against what the fit measures, and what tiling
 * does. Every fit is the real command line (node dist/cli/main.js, built first) in a child process
 * under /usr/bin/time -v, whose "maximum resident set size" is the measured peak RSS; the plan and
 * the per-iteration times come from the fit's --report.
 *
 * Photos (../shared/data): 256² = the centre of F16 (denoising/F16_GT.png), 512² = F16 whole,
 * 1024×768 = kodim01 (spectral_bias/denoising, 768×512) enlarged 1.5× (Lanczos) and centre-cropped,
 * 3000×2000 = kodim01 enlarged 3.90625×. Denoise: σ = 25 Gaussian noise (seeded). Inpaint: the words
 * "deep image prior" drawn over the photo (degrade --text), their mask as --mask.
 *
 * Rows (each saved to bench/results/photos/<row>.json when it ends and reused; --fresh refits):
 *   check-<task>-<size>  --stop fixed --iterations 8: planned vs measured peak RSS and s/iteration
 *   auto-<task>-<size>   the defaults (automatic stop or the preset budget): tiles, iterations, wall time, PSNR
 *   big-denoise          3000×2000, --max-memory 2G, --stop fixed --iterations 4 (a short run, peak RSS
 *                        under 2 GB) plus the plan of the full default run under the same budget
 *
 *   npm run bench:photos -- --rows check --sizes 256,512,1024x768
 *   npm run bench:photos -- --rows auto --sizes 256,512 --tasks denoise,inpaint --lock /path/to/cpu.lock
 *   npm run bench:photos -- --rows big
 * --lock FILE runs each fit under flock FILE (timed runs on a shared machine); the calibration is
 * measured again at the start (--no-recalibrate keeps the cached one).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { addGaussianNoise, cropImage, overlayText, psnr, readImage, resizeImage, Rng, writeImage, type Image } from '../src/node.js';
import { formatBytes } from '../src/options/kinds.js';
import type { Plan } from '../src/plan/types.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: 'check,auto,big' },
    sizes: { type: 'string', default: '256,512,1024x768' },
    tasks: { type: 'string', default: 'denoise,inpaint' },
    'check-iterations': { type: 'string', default: '8' },
    'big-iterations': { type: 'string', default: '4' },
    'big-memory': { type: 'string', default: '2G' },
    threads: { type: 'string', default: '2' },
    lock: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    'no-recalibrate': { type: 'boolean', default: false },
    dir: { type: 'string', default: 'bench/results/photos' },
  },
});
const DIR = values.dir!;
const WORK = `${DIR}/inputs`;
mkdirSync(WORK, { recursive: true });

interface Measured {
  peakRssBytes: number;
  wallSeconds: number;
  cpuSeconds: number;
  secondsPerIteration: number;
  iterations: number;
  stopReason: string;
  seconds: number;
  psnr: number;
}
interface Row {
  row: string;
  task: string;
  size: string;
  args: string[];
  plan: Plan;
  measured?: Measured;
  /** big: the plan of the full default run under the same budget. */
  fullPlan?: Plan;
  load: number[];
  date: string;
}

const cli = (args: string[]) => ['dist/cli/main.js', ...args];

/** Runs the command line in a child under /usr/bin/time -v (and flock with --lock); returns its stderr. */
function timed(args: string[]): { stderr: string; code: number } {
  const command = ['/usr/bin/time', '-v', process.execPath, ...cli(args)];
  const full = values.lock ? ['flock', values.lock, ...command] : command;
  const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26 });
  return { stderr: r.stderr, code: r.status ?? 1 };
}

function timeField(stderr: string, name: string): number {
  const m = new RegExp(`${name}.*: ([\\d.:]+)$`, 'm').exec(stderr);
  if (!m) throw new Error(`no "${name}" in /usr/bin/time's output`);
  return m[1].split(':').reduce((s, part) => s * 60 + Number(part), 0);
}

/** Median seconds between steps of each tile's fit (its first step, which warms up, left out). */
function medianStep(history: { iteration: number; seconds: number; tile?: number }[]): number {
  const d: number[] = [];
  for (let i = 1; i < history.length; i++) if (history[i].tile === history[i - 1].tile) d.push(history[i].seconds - history[i - 1].seconds);
  d.sort((a, b) => a - b);
  return d[Math.floor(d.length / 2)] ?? Number.NaN;
}

async function photo(size: string): Promise<Image> {
  const [w, h] = size.includes('x') ? size.split('x').map(Number) : [Number(size), Number(size)];
  if (w <= 512 && h <= 512) {
    const f16 = (await readImage('../shared/data/denoising/F16_GT.png')).image;
    return cropImage(f16, (512 - w) / 2, (512 - h) / 2, w, h);
  }
  const kodim = (await readImage('../shared/data/spectral_bias/denoising/kodim01.png')).image;
  const f = Math.max(w / 768, h / 512);
  const big = await resizeImage(kodim, Math.round(768 * f), Math.round(512 * f));
  return cropImage(big, Math.floor((big.width - w) / 2), Math.floor((big.height - h) / 2), w, h);
}

/** Writes the clean photo and the task's damaged input (and mask); returns the extra arguments. */
async function inputs(task: string, size: string): Promise<{ clean: string; args: string[] }> {
  const base = `${WORK}/${size}`;
  const clean = `${base}-clean.png`;
  const img = await photo(size);
  if (!existsSync(clean)) await writeImage(clean, img);
  if (task === 'denoise') {
    const file = `${base}-noisy.png`;
    if (!existsSync(file)) await writeImage(file, addGaussianNoise(img, 25, new Rng(25)));
    return { clean, args: [file] };
  }
  const file = `${base}-text.png`;
  const mask = `${base}-text-mask.png`;
  if (!existsSync(file) || !existsSync(mask)) {
    const t = await overlayText(img, 'deep image prior', { seed: 7 });
    await writeImage(file, t.image);
    await writeImage(mask, t.mask);
  }
  return { clean, args: [file, '--mask', mask] };
}

/** One fit: the command line with a report, measured; `extra` are its options. */
async function fitRow(name: string, task: string, size: string, extra: string[]): Promise<Row> {
  const { clean, args } = await inputs(task, size);
  const out = `${WORK}/${name}-out.png`;
  const report = `${WORK}/${name}-report.json`;
  const all = [task, ...args, ...extra, '-o', out, '--report', report, '--threads', values.threads!, '--force', '--quiet'];
  process.stderr.write(`${name}: deep-prior ${all.join(' ')}\n`);
  const load = os.loadavg();
  const { stderr, code } = timed(all);
  if (code !== 0) throw new Error(`${name} failed (${code}): ${stderr.split('\n').slice(-25).join('\n')}`);
  const r = JSON.parse(readFileSync(report, 'utf8'));
  const measured: Measured = {
    peakRssBytes: timeField(stderr, 'Maximum resident set size') * 1024,
    wallSeconds: timeField(stderr, 'Elapsed \\(wall clock\\) time'),
    cpuSeconds: timeField(stderr, 'User time') + timeField(stderr, 'System time'),
    secondsPerIteration: medianStep(r.history),
    iterations: r.iterations,
    stopReason: r.stopReason,
    seconds: r.seconds,
    psnr: psnr((await readImage(out)).image, (await readImage(clean)).image),
  };
  return { row: name, task, size, args: all, plan: r.plan, measured, load, date: new Date().toISOString() };
}

/** 3000×2000 under a budget: the short run measured, and the full default run's plan. */
async function bigRow(): Promise<Row> {
  const budget = values['big-memory']!;
  const row = await fitRow('big-denoise', 'denoise', '3000x2000', ['--max-memory', budget, '--stop', 'fixed', '--iterations', values['big-iterations']!]);
  const planned = execFileSync(
    process.execPath,
    cli(['plan', 'denoise', `${WORK}/3000x2000-noisy.png`, '--max-memory', budget, '--threads', values.threads!, '--json']),
    {
      encoding: 'utf8',
    },
  );
  return { ...row, fullPlan: JSON.parse(planned) as Plan };
}

async function saved(name: string, make: () => Promise<Row>): Promise<Row> {
  const file = `${DIR}/${name}.json`;
  if (!values.fresh && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Row;
  const row = await make();
  writeFileSync(`${file}.tmp`, JSON.stringify(row, null, 2));
  renameSync(`${file}.tmp`, file);
  return row;
}

function calibrate(): void {
  if (values['no-recalibrate']) return;
  process.stderr.write('calibrating (deep-prior plan --recalibrate)\n');
  const args = ['plan', 'denoise', '../shared/data/denoising/F16_GT.png', '--recalibrate', '--threads', values.threads!];
  const full = values.lock ? ['flock', values.lock, process.execPath, ...cli(args)] : [process.execPath, ...cli(args)];
  execFileSync(full[0], full.slice(1), { stdio: 'inherit' });
}

const pct = (planned: number, measured: number) => `${planned >= measured ? '+' : ''}${((100 * (planned - measured)) / measured).toFixed(0)} %`;
const secs = (s: number) => (s >= 10 ? s.toFixed(0) : s.toFixed(2));

function table(rows: Row[]): string {
  const head = '| row | tiles | peak planned | peak measured | Δ | s/it planned | s/it measured | Δ | iterations (stop) | wall s | CPU s | load | PSNR dB |';
  const lines = [head, `|${'---|'.repeat(13)}`];
  for (const r of rows) {
    const m = r.measured!;
    const p = r.plan;
    lines.push(
      `| ${r.row} | ${p.tiles} | ${formatBytes(p.peakMemoryBytes)} | ${formatBytes(m.peakRssBytes)} | ${pct(p.peakMemoryBytes, m.peakRssBytes)} | ${secs(p.secondsPerIteration)} | ${secs(m.secondsPerIteration)} | ${pct(p.secondsPerIteration, m.secondsPerIteration)} | ${m.iterations} (${m.stopReason}) | ${m.wallSeconds.toFixed(0)} | ${m.cpuSeconds.toFixed(0)} | ${r.load[0].toFixed(1)} | ${m.psnr.toFixed(2)} |`,
    );
  }
  const big = rows.find((r) => r.fullPlan);
  if (big?.fullPlan) {
    const f = big.fullPlan;
    lines.push(
      '',
      `big-denoise, the full default run under --max-memory ${values['big-memory']}: ${f.tiles} tiles of ${f.tiling?.tileWidth}×${f.tiling?.tileHeight}, peak ≈ ${formatBytes(f.peakMemoryBytes)}, ≈ ${secs(f.secondsPerIteration)} s/iteration × ${f.iterations} iterations per tile ≈ ${(f.totalSeconds / 3600).toFixed(1)} h.`,
    );
  }
  return lines.join('\n');
}

const wanted = values.rows!.split(',');
const sizes = values.sizes!.split(',');
const tasks = values.tasks!.split(',');
execFileSync('npm', ['run', 'build', '--silent'], { stdio: 'inherit' });
calibrate();
const rows: Row[] = [];
for (const size of sizes) {
  for (const task of tasks) {
    if (wanted.includes('check')) {
      const name = `check-${task}-${size}`;
      rows.push(await saved(name, () => fitRow(name, task, size, ['--stop', 'fixed', '--iterations', values['check-iterations']!])));
    }
    if (wanted.includes('auto')) rows.push(await saved(`auto-${task}-${size}`, () => fitRow(`auto-${task}-${size}`, task, size, [])));
  }
}
if (wanted.includes('big')) rows.push(await saved('big-denoise', bigRow));
console.log(table(rows));
