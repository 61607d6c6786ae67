/**
 * Photos at real sizes with the defaults: the plan against what the fit measures, and what tiling
 * does. Every fit runs in a child process of its own (bench/photo-fit.ts: the library's restore,
 * as the command line calls it) under /usr/bin/time -v; the measured peak RSS is the child's VmHWM,
 * the seconds per iteration are the median step within a tile, as wall time and as the process's
 * CPU time ÷ threads (what the plan predicts: the step with the cores to itself; on a shared machine
 * wall time is longer by however much the others take).
 *
 * Photos (../shared/data): 256² = the centre of F16 (denoising/F16_GT.png), 512² = F16 whole,
 * 1024×768 = kodim01 (spectral_bias/denoising, 768×512) enlarged 1.5× (Lanczos) and centre-cropped,
 * 3000×2000 = kodim01 enlarged 3.90625×. Denoise: σ = 25 Gaussian noise (seeded). Inpaint: the words
 * "deep image prior" drawn over the photo (degrade --text), their mask as --mask.
 *
 * Rows (each saved to bench/results/photos/<row>.json when it ends and reused; --fresh refits):
 *   check-<task>-<size>  --stop fixed --iterations 8: planned vs measured peak RSS and s/iteration
 *   auto-<task>-<size>   the defaults (automatic stop or the preset budget): tiles, iterations, wall time, PSNR;
 *                        checkpointed (<row>.ckpt every 25 steps): a row ended midway resumes on the next run
 *   big-denoise          3000×2000, --max-memory 2G, --stop fixed --iterations 4 with the default run's preset
 *                        (a short run of its tiles: peak RSS under 2 GB) plus the plan of the full default run
 *
 *   npm run bench:photos -- --rows check --sizes 256,512,1024x768
 *   npm run bench:photos -- --rows auto --sizes 256,512 --tasks denoise,inpaint --lock /path/to/cpu.lock
 *   npm run bench:photos -- --rows big
 * --lock FILE runs each fit under flock FILE (timed runs on a shared machine); the calibration is
 * measured again at the start (--no-recalibrate keeps the cached one); --nice N lowers the children's priority;
 * --saved-only prints the table of the rows saved so far and fits nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { addGaussianNoise, cropImage, overlayText, psnr, readImage, resizeImage, Rng, writeImage, type Image, type RestoreOptions } from '../src/node.js';
import { formatBytes } from '../src/options/kinds.js';
import type { Plan } from '../src/plan/types.js';
import type { Carried, FitArgs } from './photo-fit-args.js';

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
    nice: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    'saved-only': { type: 'boolean', default: false },
    'no-recalibrate': { type: 'boolean', default: false },
    dir: { type: 'string', default: 'bench/results/photos' },
  },
});
const DIR = values.dir!;
const WORK = `${DIR}/inputs`;
mkdirSync(WORK, { recursive: true });
const threads = Number(values.threads);

interface Measured {
  peakRssBytes: number;
  /** /usr/bin/time's maximum resident set size, a cross-check of VmHWM. */
  maxRssBytes: number;
  wallSeconds: number;
  cpuSeconds: number;
  /** Median step: CPU time ÷ threads, and wall time. */
  secondsPerIteration: number;
  wallPerIteration: number;
  iterations: number;
  stopReason: string;
  tiles: number;
  psnr: number;
  /** How many processes the fit took (more than one: resumed from its checkpoint). */
  processes?: number;
}
interface Row {
  row: string;
  task: string;
  size: string;
  options: Partial<RestoreOptions>;
  plan: Plan;
  measured?: Measured;
  /** big: the plan of the full default run under the same budget. */
  fullPlan?: Plan;
  /** os.loadavg() when the row started; loadAfter when it ended (its 15-minute figure spans a long row). */
  load: number[];
  loadAfter?: number[];
  date: string;
}

/** bench/photo-fit.ts in a child under /usr/bin/time -v (with --lock, under flock; with --nice, niced). */
function child(args: FitArgs, env: NodeJS.ProcessEnv = process.env): { out: Record<string, unknown>; stderr: string } {
  let command = ['/usr/bin/time', '-v', process.execPath, '--import', 'tsx', 'bench/photo-fit.ts', JSON.stringify(args)];
  if (values.nice) command = ['nice', '-n', values.nice, ...command];
  if (values.lock) command = ['flock', values.lock, ...command];
  const r = spawnSync(command[0], command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26, env });
  if (r.status !== 0) throw new Error(`photo-fit failed (${r.status}): ${r.stderr.split('\n').slice(-25).join('\n')}`);
  const last = r.stdout.trim().split('\n').pop()!;
  return { out: JSON.parse(last) as Record<string, unknown>, stderr: r.stderr };
}

function timeField(stderr: string, name: string): number {
  const m = new RegExp(`${name}.*: ([\\d.:]+)$`, 'm').exec(stderr);
  if (!m) throw new Error(`no "${name}" in /usr/bin/time's output`);
  return m[1].split(':').reduce((s, part) => s * 60 + Number(part), 0);
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

/** Writes the clean photo and the task's damaged input (and mask). */
async function inputs(task: string, size: string): Promise<{ clean: string; input: string; mask?: string }> {
  const base = `${WORK}/${size}`;
  const clean = `${base}-clean.png`;
  const img = await photo(size);
  if (!existsSync(clean)) await writeImage(clean, img);
  if (task === 'denoise') {
    const input = `${base}-noisy.png`;
    if (!existsSync(input)) await writeImage(input, addGaussianNoise(img, 25, new Rng(25)));
    return { clean, input };
  }
  const input = `${base}-text.png`;
  const mask = `${base}-text-mask.png`;
  if (!existsSync(input) || !existsSync(mask)) {
    const t = await overlayText(img, 'deep image prior', { seed: 7 });
    await writeImage(input, t.image);
    await writeImage(mask, t.mask);
  }
  return { clean, input, mask };
}

/**
 * One fit with `options` on top of the defaults, measured. With `resumable`, the fit checkpoints
 * beside the row's file and a later run of the bench resumes it (the wall and CPU time of every
 * process it took are added up, the peak RSS is the largest).
 */
async function fitRow(name: string, task: string, size: string, options: Partial<RestoreOptions>, resumable = false): Promise<Row> {
  const { clean, input, mask } = await inputs(task, size);
  const output = `${WORK}/${name}-out.png`;
  const all = { backend: 'cpu' as const, threads, ...options };
  const checkpoint = resumable ? `${DIR}/${name}.ckpt` : undefined;
  if (checkpoint && values.fresh) for (const f of [checkpoint, `${checkpoint}.json`]) rmSync(f, { force: true });
  const resuming = checkpoint !== undefined && existsSync(checkpoint);
  process.stderr.write(`${name}: ${task} ${input} ${JSON.stringify(all)}${resuming ? ` (resuming ${checkpoint})` : ''}\n`);
  const load = os.loadavg();
  const { out, stderr } = child({ task: task as FitArgs['task'], input, mask, output, options: all, checkpoint });
  const carried = out.carried as Carried;
  const measured: Measured = {
    peakRssBytes: Math.max(out.peakRssBytes as number, carried.peakRssBytes),
    maxRssBytes: timeField(stderr, 'Maximum resident set size') * 1024,
    wallSeconds: carried.wallSeconds + timeField(stderr, 'Elapsed \\(wall clock\\) time'),
    cpuSeconds: carried.cpuSeconds + timeField(stderr, 'User time') + timeField(stderr, 'System time'),
    secondsPerIteration: (out.cpuPerStep as number) / threads,
    wallPerIteration: out.wallPerStep as number,
    iterations: out.iterations as number,
    stopReason: out.stopReason as string,
    tiles: out.tiles as number,
    psnr: psnr((await readImage(output)).image, (await readImage(clean)).image),
    processes: carried.processes + 1,
  };
  if (checkpoint) for (const f of [checkpoint, `${checkpoint}.json`]) rmSync(f, { force: true });
  return { row: name, task, size, options: all, plan: out.plan as Plan, measured, load, loadAfter: os.loadavg(), date: new Date().toISOString() };
}

/** 3000×2000 under a budget: the short run measured, and the full default run's plan. */
async function bigRow(): Promise<Row> {
  const maxMemory = parseSize(values['big-memory']!);
  const { input } = await inputs('denoise', '3000x2000');
  const fullPlan = child({ task: 'denoise', input, output: '', options: { backend: 'cpu', threads, maxMemory }, planOnly: true }).out.plan as Plan;
  // The short run fits the tiles of the full default run, with the preset --preset auto chose for it
  // (its few iterations alone would let auto choose the slower fast preset, in other tiles).
  const preset = fullPlan.preset.name as RestoreOptions['preset'];
  const row = await fitRow('big-denoise', 'denoise', '3000x2000', { maxMemory, preset, stop: 'fixed', iterations: Number(values['big-iterations']) });
  return { ...row, fullPlan };
}

function parseSize(s: string): number {
  const m = /^(\d+(?:\.\d+)?)([MG])$/i.exec(s);
  if (!m) throw new Error(`--big-memory: a size such as 2G, got ${s}`);
  return Math.round(Number(m[1]) * 2 ** (m[2].toUpperCase() === 'G' ? 30 : 20));
}

/** The saved row, else a fresh one (saved); with --saved-only, nothing for a row not saved yet. */
async function saved(name: string, make: () => Promise<Row>): Promise<Row[]> {
  const file = `${DIR}/${name}.json`;
  if (!values.fresh && existsSync(file)) return [JSON.parse(readFileSync(file, 'utf8')) as Row];
  if (values['saved-only']) return [];
  const row = await make();
  writeFileSync(`${file}.tmp`, JSON.stringify(row, null, 2));
  renameSync(`${file}.tmp`, file);
  return [row];
}

/** A fresh calibration in a child, so every row's plan uses the same one (measured now, at this load). */
async function calibrate(): Promise<void> {
  if (values['no-recalibrate'] || values['saved-only']) return;
  process.stderr.write('calibrating\n');
  const { input } = await inputs('denoise', '256');
  child({ task: 'denoise', input, output: '', options: { backend: 'cpu', threads }, planOnly: true, recalibrate: true });
}

const pct = (planned: number, measured: number) => `${planned >= measured ? '+' : ''}${((100 * (planned - measured)) / measured).toFixed(0)} %`;
const secs = (s: number) => (s >= 10 ? s.toFixed(0) : s.toFixed(2));

/** The load a row ran under: the 1-minute average at its start, and the 15-minute one at its end where saved. */
const loadText = (r: Row) => `${r.load[0].toFixed(1)}${r.loadAfter ? ` → ${r.loadAfter[2].toFixed(1)}` : ''}`;

function table(rows: Row[]): string {
  const head =
    '| row | tiles | peak planned | peak measured | Δ | s/it planned | s/it measured (CPU ÷ threads) | Δ | s/it wall | iterations (stop) | wall s | CPU s | load (start → 15 min at the end) | PSNR dB |';
  const lines = [head, `|${'---|'.repeat(14)}`];
  for (const r of rows) {
    const m = r.measured!;
    const p = r.plan;
    lines.push(
      `| ${r.row} | ${m.tiles} | ${formatBytes(p.peakMemoryBytes)} | ${formatBytes(m.peakRssBytes)} | ${pct(p.peakMemoryBytes, m.peakRssBytes)} | ${secs(p.secondsPerIteration)} | ${secs(m.secondsPerIteration)} | ${pct(p.secondsPerIteration, m.secondsPerIteration)} | ${secs(m.wallPerIteration)} | ${m.iterations} (${m.stopReason}${(m.processes ?? 1) > 1 ? `; resumed ${m.processes! - 1}×` : ''}) | ${m.wallSeconds.toFixed(0)} | ${m.cpuSeconds.toFixed(0)} | ${loadText(r)} | ${m.psnr.toFixed(2)} |`,
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
await calibrate();
const rows: Row[] = [];
for (const size of sizes) {
  for (const task of tasks) {
    if (wanted.includes('check')) {
      const name = `check-${task}-${size}`;
      rows.push(...(await saved(name, () => fitRow(name, task, size, { stop: 'fixed', iterations: Number(values['check-iterations']) }))));
    }
    if (wanted.includes('auto')) rows.push(...(await saved(`auto-${task}-${size}`, () => fitRow(`auto-${task}-${size}`, task, size, {}, true))));
  }
}
if (wanted.includes('big')) rows.push(...(await saved('big-denoise', bigRow)));
console.log(table(rows));
