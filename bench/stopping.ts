/**
 * Stopping benchmark (spectral-bias issue): on the 9 denoising images of ../shared/data/spectral_bias
 * (σ = 25, the same crops and noise for every method) compare
 *   vanilla    — DIP, paper preset (--vanilla-preset), fixed budget: oracle best PSNR and PSNR at its final iteration;
 *   controlled — Shi et al.'s controlled decoder (--preset controlled: Lipschitz λ, Gaussian upsampling,
 *                mean-only BN) up to the ceiling: best PSNR and PSNR at the ceiling;
 *   auto       — where each rule would have stopped each run and the PSNR of the estimate it returns,
 *                measured with --stop watch on the same runs (the rule only sees the past, so this is
 *                exactly what --stop auto returns, without fitting twice).
 *
 *   npm run bench:stopping                                    # 4 images, 128² crops, ceiling 4000
 *   npm run bench:stopping -- --images 9 --crop 0             # the full protocol (whole images cropped to /32)
 *   npm run bench:stopping -- --controlled-channels 64        # a cheaper controlled arm
 *   npm run bench:stopping -- --methods vanilla --vanilla-preset fast --images 3   # the rules on the CPU preset
 *
 * Each (image, arm) result is saved under bench/results/stopping/<arm>/<image>.json as soon as it
 * ends and reused by later runs with the same settings (--fresh refits): a protocol that takes
 * hours on a 2-core machine can be run a few images at a time (--first, --images) and the table
 * printed at the end covers every requested image.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { lineChart, type Series } from '../src/report/svg-chart.js';
import { restore, readImage, addGaussianNoise, cropImage, centerCropTo, psnr, Rng, type Image, type RestoreOptions, type RestoreResult } from '../src/node.js';

const { values } = parseArgs({
  options: {
    images: { type: 'string', default: '4' },
    // Index (in name order) of the first image: splits the protocol into runs of a few images each.
    first: { type: 'string', default: '0' },
    crop: { type: 'string', default: '128' },
    ceiling: { type: 'string', default: '4000' },
    final: { type: 'string', default: '3000' },
    lambda: { type: 'string' },
    'controlled-channels': { type: 'string' },
    'vanilla-rule': { type: 'string', default: 'discrepancy' },
    'vanilla-preset': { type: 'string', default: 'paper' },
    'controlled-rule': { type: 'string', default: 'ratio' },
    methods: { type: 'string', default: 'vanilla,controlled' },
    fresh: { type: 'boolean', default: false },
    threads: { type: 'string', default: '2' },
    dir: { type: 'string', default: '../shared/data/spectral_bias/denoising' },
    out: { type: 'string', default: 'bench/results/stopping.json' },
  },
});
const crop = Number(values.crop);
const ceiling = Number(values.ceiling);
const finalVanilla = Number(values.final);
const methods = values.methods!.split(',');
const first = Number(values.first);
const files = readdirSync(values.dir!)
  .filter((f) => /\.(png|bmp|jpg)$/i.test(f))
  .sort()
  .slice(first, first + Number(values.images));

interface Arm {
  best: number;
  bestIteration: number;
  final: number;
  iterations: number;
  seconds: number;
  /** Backtracking and divergence recoveries during the run. */
  recoveries?: number;
  auto?: { rule: string; stoppedAt: number; iteration: number; psnr: number };
  /** [iteration, PSNR of the returned estimate] every CURVE_EVERY iterations, for the pictures. */
  curve?: [number, number][];
  /** The data loss of every iteration, so other loss-based rules can be replayed on the run later. */
  losses?: number[];
}
const CURVE_EVERY = 10;
interface Row {
  image: string;
  vanilla?: Arm;
  controlled?: Arm;
}

function arm(r: RestoreResult, clean: Image, rule: string): Arm {
  const smoothed = r.history.map((h) => h.psnrSmoothed ?? h.psnr!);
  const best = Math.max(...smoothed);
  return {
    best,
    bestIteration: r.history[smoothed.indexOf(best)].iteration,
    final: psnr(r.image, clean),
    iterations: r.iterations,
    seconds: r.seconds,
    recoveries: r.recoveries,
    losses: r.history.map((h) => Number(h.loss.toPrecision(6))),
    curve: r.history.flatMap((h, k) => (h.iteration % CURVE_EVERY === 0 ? [[h.iteration, Number(smoothed[k].toFixed(3))] as [number, number]] : [])),
    ...(r.watched && { auto: { rule, stoppedAt: r.watched.stoppedAt, iteration: r.watched.iteration, psnr: psnr(r.watched.image, clean) } }),
  };
}

/** The folder of one arm's saved results: every setting that changes its numbers is in the name. */
function armKey(name: 'vanilla' | 'controlled'): string {
  const size = crop > 0 ? `crop${crop}` : 'whole';
  if (name === 'vanilla') return ['vanilla', values['vanilla-preset'], finalVanilla, values['vanilla-rule'], size].join('-');
  return [
    'controlled',
    ceiling,
    values['controlled-rule'],
    values['controlled-channels'] ? `ch${values['controlled-channels']}` : 'ch-default',
    values.lambda ? `l${values.lambda}` : 'l-default',
    size,
  ].join('-');
}
const savedPath = (name: 'vanilla' | 'controlled', file: string) => `bench/results/stopping/${armKey(name)}/${file.replace(/\.[^.]+$/, '')}.json`;

/** Runs one arm on one image, or reads it back when a previous run saved it with the same settings. */
async function runArm(name: 'vanilla' | 'controlled', file: string, fit: () => Promise<Arm>): Promise<Arm> {
  const path = savedPath(name, file);
  if (!values.fresh && existsSync(path)) {
    process.stderr.write(`${file}: ${name} read from ${path}\n`);
    return JSON.parse(readFileSync(path, 'utf8')) as Arm;
  }
  const result = await fit();
  mkdirSync(path.slice(0, path.lastIndexOf('/')), { recursive: true });
  writeFileSync(`${path}.tmp`, JSON.stringify(result, null, 2));
  renameSync(`${path}.tmp`, path);
  return result;
}

const rows: Row[] = [];
for (const [i, file] of files.entries()) {
  const k = first + i; // the image's index in the whole set fixes its noise and seed
  const src = (await readImage(`${values.dir}/${file}`)).image;
  const clean: Image = crop > 0 ? cropImage(src, Math.floor((src.width - crop) / 2), Math.floor((src.height - crop) / 2), crop, crop) : centerCropTo(src, 32);
  const noisy = addGaussianNoise(clean, 25, new Rng(100 + k));
  const base: RestoreOptions = { task: 'denoise', image: noisy, reference: clean, seed: k, backend: 'cpu', threads: Number(values.threads), stop: 'watch' };
  const row: Row = { image: file };
  const log = (m: string) => process.stderr.write(`${file}: ${m}\n`);
  const describe = (a: Arm) =>
    `best ${a.best.toFixed(2)} @${a.bestIteration}, final ${a.final.toFixed(2)}; ${a.auto ? `${a.auto.rule} stops at ${a.auto.stoppedAt} → ${a.auto.psnr.toFixed(2)}` : 'rule did not stop'} (${a.seconds.toFixed(0)} s)`;
  if (methods.includes('vanilla')) {
    const rule = values['vanilla-rule'] as 'wmv';
    row.vanilla = await runArm('vanilla', file, async () =>
      arm(await restore({ ...base, preset: values['vanilla-preset'] as 'paper', iterations: finalVanilla, stopRule: rule }), clean, rule),
    );
    log(`vanilla ${describe(row.vanilla)}`);
  }
  if (methods.includes('controlled')) {
    const rule = values['controlled-rule'] as 'ratio';
    const extra: Partial<RestoreOptions> = {
      ...(values.lambda && { lipschitz: Number(values.lambda) }),
      ...(values['controlled-channels'] && { channels: Number(values['controlled-channels']) }),
    };
    row.controlled = await runArm('controlled', file, async () =>
      arm(await restore({ ...base, preset: 'controlled', iterations: ceiling, stopRule: rule, ...extra }), clean, rule),
    );
    log(`controlled ${describe(row.controlled)}`);
  }
  rows.push(row);
}

const f = (x?: number) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(2));
const mean = (xs: (number | undefined)[]) => {
  const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
};
// A rule that never fired returns the last iterate (what --stop auto does at the ceiling).
const autoPsnr = (a?: Arm) => (a ? (a.auto?.psnr ?? a.final) : undefined);
const autoIterations = (a?: Arm) => (a ? (a.auto?.stoppedAt ?? a.iterations) : undefined);
type Column = [string, (r: Row) => number | undefined];
/** The six columns of one arm: best, final, drop, the rule's PSNR, its stop iteration, its gap. */
function armColumns(name: 'vanilla' | 'controlled', last: number, rule: string): Column[] {
  return [
    [`${name} best`, (r) => r[name]?.best],
    [`${name} @${last}`, (r) => r[name]?.final],
    ['drop', (r) => r[name] && r[name].best - r[name].final],
    [`auto (${rule})`, (r) => autoPsnr(r[name])],
    ['stop it.', (r) => autoIterations(r[name])],
    ['gap', (r) => r[name] && autoPsnr(r[name])! - r[name].best],
  ];
}
const columns: Column[] = [...armColumns('vanilla', finalVanilla, values['vanilla-rule']!), ...armColumns('controlled', ceiling, values['controlled-rule']!)];
const cell = (name: string, x: number | undefined) => (name === 'stop it.' ? (x === undefined ? '–' : x.toFixed(0)) : f(x));
const lines = [
  `Stopping benchmark: ${files.length} images, ${crop > 0 ? `${crop}² centre crops` : 'whole images (/32)'}, σ = 25; vanilla = ${values['vanilla-preset']} preset, ${finalVanilla} iterations; controlled = --preset controlled${values.lambda ? ` λ ${values.lambda}` : ''}${values['controlled-channels'] ? `, ${values['controlled-channels']} channels` : ''}, ceiling ${ceiling}. PSNR in dB; gap = auto − best of the same run.`,
  '',
  `| image | ${columns.map(([n]) => n).join(' | ')} |`,
  `|---|${columns.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.image} | ${columns.map(([n, g]) => cell(n, g(r))).join(' | ')} |`),
  `| **mean** | ${columns.map(([n, g]) => cell(n, mean(rows.map(g)))).join(' | ')} |`,
];
console.log(lines.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out!, JSON.stringify({ options: values, rows }, null, 2));

// One picture per image whose curves were saved: both arms' PSNR over the run and where each rule stopped.
const COLORS = { vanilla: '#d62728', controlled: '#1f77b4' };
for (const r of rows) {
  const series: Series[] = [];
  const ys = (['vanilla', 'controlled'] as const).flatMap((name) => r[name]?.curve?.map((p) => p[1]) ?? []);
  for (const name of ['vanilla', 'controlled'] as const) {
    const a = r[name];
    if (!a?.curve) continue;
    series.push({ name: `${name} (${name === 'vanilla' ? `${values['vanilla-preset']} preset` : 'controlled preset'})`, points: a.curve, color: COLORS[name] });
    if (a.auto)
      series.push({
        name: `${name}: ${a.auto.rule} stop`,
        points: [
          [a.auto.stoppedAt, Math.min(...ys)],
          [a.auto.stoppedAt, Math.max(...ys)],
        ],
        color: COLORS[name],
        dashed: true,
      });
  }
  if (!series.length) continue;
  const svg = lineChart(series, { title: `${r.image}: PSNR of the returned estimate (σ = 25)`, xLabel: 'iteration', yLabel: 'PSNR (dB)' });
  const path = `${values.out!.replace(/\.json$/, '')}-${r.image.replace(/\.[^.]+$/, '')}.svg`;
  writeFileSync(path, svg);
  console.log(`wrote ${path}`);
}
