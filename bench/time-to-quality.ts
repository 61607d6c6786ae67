/**
 * Time to quality: what each way of making the fit cheaper returns and what it costs, against the paper
 * preset and today's fast preset. Rows: arm × image, on 256² centre crops of the spectral-bias denoising
 * images (σ = 25, image k in name order gets addGaussianNoise(clean, 25, new Rng(100 + k)) and seed k, as
 * bench/stopping.ts) and on one 1024×768 photo (kodim01 upscaled 1.5× by Lanczos-3 and centre-cropped:
 * the data set has no photo that large; noise Rng(109), seed 9).
 *
 * Each fit runs with --stop watch and the discrepancy rule, and goes on past the rule's stop (by a
 * quarter of the stop's iteration, at least 200) to see the oracle best, then is ended: the PSNR at the
 * automatic stop, the oracle best, the wall and process CPU time up to the stop are what --stop auto
 * would have given. The paper arm (the paper preset) is fitted the same way, at least 500 iterations
 * past its stop for its oracle; its wall time in the table is its fixed budget of 3000 iterations × its
 * measured seconds per iteration (or × --paper-step-seconds). Where an image has no paper-arm row, a
 * bench/stopping.ts run saved under --paper-dir stands in.
 *
 *   npm run bench:time-to-quality                                   # every arm, images 0–3 and the photo (no paper arm on it)
 *   npm run bench:time-to-quality -- --arms fast,default --images 0,1 --no-photo
 *   npm run bench:time-to-quality -- --arms default --images none           # the photo only
 *   npm run bench:time-to-quality -- --lock /tmp/deep-prior-cpu.lock   # each row in its own process, under flock
 *   npm run bench:time-to-quality -- --table-only                  # reprint from the saved rows
 *
 * Each row is saved under bench/results/time-to-quality/<crop256 | photo>/<arm>/<image>.json as soon as it ends and reused
 * (--fresh refits); rows that are missing are fitted, so the protocol can be run a few rows at a time. A row
 * in progress checkpoints itself (<image>.json.ckpt, every 200 steps, 25 on the photo): an interrupted
 * run resumes it where it was, CPU seconds included.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FileCheckpointStore } from '../src/cli/checkpoint-node.js';
import { effectiveSettings } from '../src/tasks/settings.js';
import { validateRestoreOptions } from '../src/validate.js';
import {
  addGaussianNoise,
  cropImage,
  psnr,
  readImage,
  resampleAntialiased,
  restore,
  Rng,
  type Image,
  type RestoreOptions,
  type RestoreResult,
} from '../src/node.js';
import { ARMS, PAPER_BUDGET, formatTable, paperRunOf, type PaperRun, type Row } from './time-to-quality-table.js';

const { values } = parseArgs({
  options: {
    arms: { type: 'string', default: Object.keys(ARMS).join(',') },
    images: { type: 'string', default: '0,1,2,3' },
    photo: { type: 'boolean', default: true },
    'no-photo': { type: 'boolean', default: false },
    crop: { type: 'string', default: '256' },
    threads: { type: 'string', default: '1' },
    'photo-threads': { type: 'string', default: '2' },
    dir: { type: 'string', default: '../shared/data/spectral_bias/denoising' },
    'paper-dir': { type: 'string', default: 'bench/results/stopping/vanilla-paper-2000-discrepancy-crop256' },
    'paper-step-seconds': { type: 'string' },
    out: { type: 'string', default: 'bench/results/time-to-quality' },
    lock: { type: 'string' },
    only: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    'table-only': { type: 'boolean', default: false },
  },
});
const crop = Number(values.crop);
const files = readdirSync(values.dir!)
  .filter((f) => /\.(png|bmp|jpg)$/i.test(f))
  .sort();
const PHOTO = 'photo-1024x768';
const cropIndices = values.images === 'none' ? [] : values.images!.split(',').map(Number);
const imageKeys = [...cropIndices.map((k) => files[k].replace(/\.[^.]+$/, '')), ...(values.photo && !values['no-photo'] ? [PHOTO] : [])];
const arms = values.arms!.split(',');
for (const a of arms) if (!ARMS[a]) throw new Error(`unknown arm ${a}: use ${Object.keys(ARMS).join(', ')}`);
/** Where a row is saved: by crop size (or the photo), arm and image. */
const rowPath = (arm: string, image: string) => `${values.out}/${image === PHOTO ? 'photo' : `crop${crop}`}/${arm}/${image}.json`;

/** The clean image, the noisy one, the seed and the threads of a row's image. */
async function inputOf(image: string): Promise<{ clean: Image; noisy: Image; seed: number; threads: number }> {
  if (image === PHOTO) {
    const src = (await readImage(`${values.dir}/kodim01.png`)).image;
    const up = resampleAntialiased(src, Math.round(src.width * 1.5), Math.round(src.height * 1.5), 'lanczos3');
    const clean = cropImage(up, Math.floor((up.width - 1024) / 2), Math.floor((up.height - 768) / 2), 1024, 768);
    return { clean, noisy: addGaussianNoise(clean, 25, new Rng(109)), seed: 9, threads: Number(values['photo-threads']) };
  }
  const k = files.findIndex((f) => f.startsWith(`${image}.`));
  const src = (await readImage(`${values.dir}/${files[k]}`)).image;
  const clean = cropImage(src, Math.floor((src.width - crop) / 2), Math.floor((src.height - crop) / 2), crop, crop);
  return { clean, noisy: addGaussianNoise(clean, 25, new Rng(100 + k)), seed: k, threads: Number(values.threads) };
}

const cpuSeconds = (start: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1e6;
};

/**
 * What a row's fit has done so far, kept beside its checkpoint so that an interrupted row resumes
 * (bench rows on a shared machine can take hours): the process CPU seconds after each step of the
 * current stage (cumulative over processes) and where the rule fired.
 */
interface Progress {
  cpuAt: number[];
  firedAt: number;
}

/** Fits one row: --stop watch, ended a while after the discrepancy rule fires; checkpointed every `every` steps. */
async function fitRow(arm: string, image: string): Promise<Row> {
  const { options, clean, threads } = await optionsOf(arm, image);
  const past = ARMS[arm].watchPast ?? 200;
  const ckpt = `${rowPath(arm, image)}.ckpt`;
  const resuming = existsSync(ckpt) && existsSync(`${ckpt}.json`) && !values.fresh;
  const done: Progress = resuming ? JSON.parse(readFileSync(`${ckpt}.json`, 'utf8')) : { cpuAt: [], firedAt: 0 };
  const base = done.cpuAt.at(-1) ?? 0;
  const controller = new AbortController();
  let lastIteration = done.cpuAt.length - 1;
  const load = loadavg()[0];
  const start = process.cpuUsage();
  const store = new FileCheckpointStore(ckpt, { resume: resuming });
  const r = await restore(options, {
    signal: controller.signal,
    checkpointEvery: image === PHOTO ? 25 : 200,
    checkpoint: {
      load: () => store.load(),
      save: async (d) => {
        await store.save(d);
        writeFileSync(`${ckpt}.json`, JSON.stringify({ ...done, cpuAt: done.cpuAt.slice(0, d.iteration + 1) }));
      },
    },
    onProgress: (p) => {
      if (p.iteration < lastIteration) done.cpuAt.length = 0; // a new stage began
      lastIteration = p.iteration;
      done.cpuAt[p.iteration] = base + cpuSeconds(start);
      if (!done.firedAt && p.iteration > 100 && p.stopStatistic !== undefined && p.stopStatistic <= 1) done.firedAt = p.iteration;
      if (done.firedAt && p.iteration >= done.firedAt + Math.max(past, Math.ceil(done.firedAt / 4))) controller.abort();
    },
    log: (m) => process.stderr.write(`${arm} ${image}: ${m}\n`),
  });
  for (const f of [ckpt, `${ckpt}.json`]) rmSync(f, { force: true });
  return rowOf(arm, image, r, clean, threads, done.cpuAt, [load, loadavg()[0]]);
}

function rowOf(arm: string, image: string, r: RestoreResult, clean: Image, threads: number, cpuAt: number[], loadAverage: [number, number]): Row {
  const smoothed = r.history.map((h) => h.psnrSmoothed ?? h.psnr!);
  const best = Math.max(...smoothed);
  const stopAt = r.watched?.stoppedAt ?? r.iterations;
  return {
    arm,
    image,
    size: [clean.width, clean.height],
    threads,
    stop: {
      fired: !!r.watched,
      iteration: stopAt,
      psnr: psnr(r.watched?.image ?? r.image, clean),
      seconds: r.history[stopAt - 1].seconds,
      cpuSeconds: cpuAt[stopAt],
    },
    best,
    bestIteration: r.history[smoothed.indexOf(best)].iteration,
    iterations: r.iterations,
    seconds: r.seconds,
    cpuSeconds: cpuAt.at(-1) ?? 0,
    loadAverage,
    stages: r.stages,
    options: r.options,
    curve: r.history.map((h, k) => [h.iteration, Number(smoothed[k].toFixed(3)), Number(h.seconds.toFixed(2)), Number((cpuAt[h.iteration] ?? 0).toFixed(2))]),
  };
}

/** The options of a row's fit. */
async function optionsOf(arm: string, image: string): Promise<{ options: RestoreOptions; clean: Image; threads: number }> {
  const { clean, noisy, seed, threads } = await inputOf(image);
  const options: RestoreOptions = {
    task: 'denoise',
    image: noisy,
    reference: clean,
    seed,
    threads,
    backend: 'cpu',
    stop: 'watch',
    stopRule: 'discrepancy',
    ...ARMS[arm].options,
  };
  return { options, clean, threads };
}

/** What determines a row's numbers: the effective settings (the size picks the default's preset) and the seed. */
async function fitKey(arm: string, image: string): Promise<string> {
  const { options, threads } = await optionsOf(arm, image);
  return JSON.stringify({ s: effectiveSettings(validateRestoreOptions(options), { backend: 'cpu', threads }), seed: options.seed, threads });
}

/** A saved row of another arm whose fit is this one's (deterministic: same settings, seed and threads), if any. */
async function sameFit(arm: string, image: string): Promise<Row | undefined> {
  const key = await fitKey(arm, image);
  for (const other of Object.keys(ARMS)) {
    if (other === arm || !existsSync(rowPath(other, image))) continue;
    const row = JSON.parse(readFileSync(rowPath(other, image), 'utf8')) as Row;
    if (!row.sameAs && (await fitKey(other, image)) === key) return row;
  }
  return undefined;
}

function save(path: string, row: Row): void {
  mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(row));
  renameSync(`${path}.tmp`, path);
}

/** Every missing row: in this process, or each in a child process under `flock --lock` (timed rows never overlap). */
async function fitMissing(): Promise<void> {
  const script = fileURLToPath(import.meta.url);
  const passOn = process.argv.slice(2).filter((a, i, all) => a !== '--lock' && all[i - 1] !== '--lock');
  for (const image of imageKeys) {
    for (const arm of arms) {
      if (arm === 'paper' && image === PHOTO) continue; // hours at 128 channels: the photo compares with the fast preset
      const path = rowPath(arm, image);
      if (existsSync(path) && !values.fresh) continue;
      const twin = await sameFit(arm, image);
      if (twin) {
        process.stderr.write(`${arm} ${image}: the same fit as ${twin.arm} (identical effective settings): its row is reused\n`);
        save(path, { ...twin, arm, sameAs: twin.arm });
        continue;
      }
      if (values.lock) {
        const child = spawnSync('flock', [values.lock, process.execPath, ...process.execArgv, script, ...passOn, '--only', `${arm}:${image}`], {
          stdio: 'inherit',
        });
        if (child.status !== 0) throw new Error(`row ${arm} ${image} failed (exit ${child.status})`);
        continue;
      }
      process.stderr.write(`${arm} ${image}: fitting\n`);
      save(path, await fitRow(arm, image));
    }
  }
}

if (values.only) {
  const [arm, image] = values.only.split(':');
  save(rowPath(arm, image), await fitRow(arm, image));
} else {
  if (!values['table-only']) await fitMissing();
  const rows = imageKeys.flatMap((image) =>
    arms.filter((a) => existsSync(rowPath(a, image))).map((a) => JSON.parse(readFileSync(rowPath(a, image), 'utf8')) as Row),
  );
  const paper = imageKeys.flatMap((image) => {
    if (existsSync(rowPath('paper', image))) return [paperRunOf(JSON.parse(readFileSync(rowPath('paper', image), 'utf8')) as Row)];
    const path = `${values['paper-dir']}/${image}.json`;
    return existsSync(path) ? [{ image, ...(JSON.parse(readFileSync(path, 'utf8')) as Omit<PaperRun, 'image'>) }] : [];
  });
  const stepSeconds = values['paper-step-seconds'] ? Number(values['paper-step-seconds']) : undefined;
  console.log(formatTable(rows, paper, { crop, budget: PAPER_BUDGET, stepSeconds, paperDir: values['paper-dir']! }));
}
