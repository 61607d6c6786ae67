/**
 * The plan's STREAM_WEIGHT (src/plan/calibration.ts): how many FLOPs of convolution take as long as one
 * byte streamed through the other operators. Each configuration's step graph is built for a blank image
 * (src/plan/step-cost.ts: conv FLOPs F and streamed bytes B) and its measured CPU seconds per step (2
 * threads) are fitted by least squares of the relative error to a·F + b·B + c; STREAM_WEIGHT is b / a.
 * Then the fit with the weight fixed shows every row's error.
 *
 * The measurements are the CPU seconds per step of docs/PERFORMANCE.md: `npm run bench:step-cost` at
 * 1024×768 and `-- --size 512x384` (six denoise configurations), and `npm run bench:photos -- --rows check`
 * (denoise and inpaint with the fast preset at 256², 512², 1024×768: CPU ÷ threads × 2). Rerun those and
 * edit MEASURED to refit.
 *
 *   npx tsx bench/stream-weight.ts
 *   npx tsx bench/stream-weight.ts --overhead 0.06   # the rate with the per-step CPU seconds held (the shipped calibration's)
 */
import { parseArgs } from 'node:util';
import { createImage } from '../src/image/image.js';
import type { RestoreOptions } from '../src/options/index.js';
import { costCurve } from '../src/plan/step-cost.js';
import { STEP_CONFIGS } from './step-configs.js';

const CONFIGS = STEP_CONFIGS;

/** [task, configuration, width, height, measured CPU seconds per step on 2 threads] */
type Measured = readonly [RestoreOptions['task'], string, number, number, number];
const MEASURED: readonly Measured[] = [
  ...['fast', 'pyramid-128', 'pyramid-96', 'pyramid-64', 'lite', 'drp'].flatMap((c, i): Measured[] => [
    ['denoise', c, 1024, 768, [8.04, 6.08, 4.89, 3.97, 2.92, 4.71][i]],
    ['denoise', c, 512, 384, [2.35, 1.75, 1.32, 1.01, 0.73, 1.41][i]],
  ]),
  ['denoise', 'fast', 256, 256, 0.9],
  ['inpaint', 'fast', 256, 256, 1.2],
  ['denoise', 'fast', 512, 512, 3.0],
  ['inpaint', 'fast', 512, 512, 4.04],
  ['denoise', 'fast', 1024, 768, 7.98],
  ['inpaint', 'fast', 1024, 768, 10.68],
];

async function costs(task: RestoreOptions['task'], config: string, w: number, h: number): Promise<{ F: number; B: number }> {
  const image = createImage(w, h, 3);
  const o: RestoreOptions = { task, image, backend: 'cpu', threads: 2, ...CONFIGS[config], ...(task === 'inpaint' && { mask: createImage(w, h, 1) }) };
  const curve = await costCurve(o);
  const canvas = curve.canvasFor(w, h);
  const g = curve.at(canvas.width * canvas.height);
  return { F: g.convFlops, B: g.streamBytes };
}

/** Least squares of the relative error: rows of features x with targets y, solved by the normal equations. */
function relativeFit(x: number[][], y: number[]): number[] {
  const n = x[0].length;
  const m = Array.from({ length: n }, () => new Array<number>(n + 1).fill(0));
  x.forEach((row, k) => {
    const r = row.map((v) => v / y[k]);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) m[i][j] += r[i] * r[j];
      m[i][n] += r[i];
    }
  });
  for (let i = 0; i < n; i++)
    for (let k = i + 1; k < n; k++) {
      const f = m[k][i] / m[i][i];
      for (let j = i; j <= n; j++) m[k][j] -= f * m[i][j];
    }
  const s = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) s[i] = (m[i][n] - m[i].slice(i + 1, n).reduce((a, v, j) => a + v * s[i + 1 + j], 0)) / m[i][i];
  return s;
}

const { values } = parseArgs({ options: { overhead: { type: 'string' } } });

/** The rate a with the intercept c held: least squares of the relative error of a·x + c. */
function rateWithOverhead(x: number[], y: number[], c: number): number {
  const num = x.reduce((s, v, k) => s + (v / y[k]) * (1 - c / y[k]), 0);
  return num / x.reduce((s, v, k) => s + (v / y[k]) ** 2, 0);
}

const rows = await Promise.all(MEASURED.map(async ([task, config, w, h, cpu]) => ({ task, config, w, h, cpu, ...(await costs(task, config, w, h)) })));
const y = rows.map((r) => r.cpu);
// F and B in units of 10¹⁰ keep the normal equations well conditioned.
const [a, b] = relativeFit(
  rows.map((r) => [r.F / 1e10, r.B / 1e10, 1]),
  y,
);
const weight = b / a;
const work = rows.map((r) => (r.F + weight * r.B) / 1e10);
const held = values.overhead === undefined ? null : Number(values.overhead);
const [a1, c1] =
  held === null
    ? relativeFit(
        work.map((w) => [w, 1]),
        y,
      )
    : [rateWithOverhead(work, y, held), held];
console.log(
  `STREAM_WEIGHT = b / a = ${weight.toFixed(1)} FLOP per byte; with it: ${(a1 / 1e10).toExponential(3)} CPU s per work unit + ${c1.toFixed(3)} s per step\n`,
);
console.log('| task | configuration | size | conv GFLOP | streamed GB | measured CPU s/step | model | error |');
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const model = (a1 * (r.F + weight * r.B)) / 1e10 + c1;
  console.log(
    `| ${r.task} | ${r.config} | ${r.w}×${r.h} | ${(r.F / 1e9).toFixed(1)} | ${(r.B / 1e9).toFixed(1)} | ${r.cpu.toFixed(2)} | ${model.toFixed(2)} | ${((model / r.cpu - 1) * 100).toFixed(0)} % |`,
  );
}
