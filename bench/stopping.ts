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
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
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
  auto?: { rule: string; stoppedAt: number; iteration: number; psnr: number };
}
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
    ...(r.watched && { auto: { rule, stoppedAt: r.watched.stoppedAt, iteration: r.watched.iteration, psnr: psnr(r.watched.image, clean) } }),
  };
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
    row.vanilla = arm(await restore({ ...base, preset: values['vanilla-preset'] as 'paper', iterations: finalVanilla, stopRule: rule }), clean, rule);
    log(`vanilla ${describe(row.vanilla)}`);
  }
  if (methods.includes('controlled')) {
    const rule = values['controlled-rule'] as 'ratio';
    const extra: Partial<RestoreOptions> = {
      ...(values.lambda && { lipschitz: Number(values.lambda) }),
      ...(values['controlled-channels'] && { channels: Number(values['controlled-channels']) }),
    };
    row.controlled = arm(await restore({ ...base, preset: 'controlled', iterations: ceiling, stopRule: rule, ...extra }), clean, rule);
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
