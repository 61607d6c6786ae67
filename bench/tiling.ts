/**
 * Tiled against whole: the same denoising fit (same seed, same fixed number of iterations, default
 * network) of a noisy crop, once as one fit and once forced into tiles by a --max-memory that holds
 * only a --tile-sized fit. Prints both PSNRs against the clean crop, and the gradient energy
 * (luma, forward differences) on the seam lines — every inner tile edge and overlap centre, ±1 px —
 * against the rest of the image, for the tiled output, the whole output, the clean crop and the
 * difference tiled − whole. A visible seam would raise the tiled ratio above the whole one.
 *
 *   npm run bench:tiling                                  # F16 512², σ = 25, 600 iterations, 320² tiles
 *   npm run bench:tiling -- --iterations 1800 --tile 256
 *   npm run bench:tiling -- --size 256 --tile 160 --iterations 1800 --stop auto --dir bench/results/tiling-256   # each fit stops by its rule
 *   npm run bench:tiling -- --size 256 --tile 160 --iterations 1800 --tiling independent --dir bench/results/tiling-256   # one fit per tile
 * Each fit is saved to bench/results/tiling/<name>-<iterations>.json and .png when it ends and reused (--fresh refits);
 * the tiled fit is named joint-<tile> or tiled-<tile> (independent). --figure FILE draws the tiled
 * output, the whole output, the clean crop and the difference tiled − whole (×4 about mid-grey, the
 * tile edges and overlap centres in red) side by side.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { sideBySide } from '../src/cli/demo.js';
import { addGaussianNoise, cropImage, plan, psnr, readImage, restore, Rng, toLumaY, writeImage, type Image, type RestoreOptions } from '../src/node.js';
import { formatBytes } from '../src/options/kinds.js';
import { BUDGET_FILL } from '../src/plan/plan.js';
import { axisStarts } from '../src/tile/geometry.js';

const { values } = parseArgs({
  options: {
    image: { type: 'string', default: '../shared/data/denoising/F16_GT.png' },
    size: { type: 'string', default: '512' },
    iterations: { type: 'string', default: '600' },
    /** fixed: every fit runs --iterations; auto: each fit (each tile) stops by its own rule, --iterations the ceiling. */
    stop: { type: 'string', default: 'fixed' },
    tile: { type: 'string', default: '320' },
    /** joint (the default: one network over all tiles) or independent (one fit per tile). */
    tiling: { type: 'string', default: 'joint' },
    threads: { type: 'string', default: '2' },
    seed: { type: 'string', default: '0' },
    fresh: { type: 'boolean', default: false },
    dir: { type: 'string', default: 'bench/results/tiling' },
    figure: { type: 'string' },
  },
});
const size = Number(values.size);
const DIR = values.dir!;
mkdirSync(DIR, { recursive: true });

interface Run {
  name: string;
  tiles: number;
  tiling: unknown;
  /** How the tiles were fitted (joint or independent). */
  mode?: string;
  psnr: number;
  seconds: number;
  iterations: number;
  /** The process's CPU seconds over the fit, and the 1-minute load average when it started. */
  cpuSeconds: number;
  load: number;
  maxMemory?: number;
}

const src = (await readImage(values.image!)).image;
const clean = cropImage(src, Math.floor((src.width - size) / 2), Math.floor((src.height - size) / 2), size, size);
const noisy = addGaussianNoise(clean, 25, new Rng(25));
const base: RestoreOptions = {
  task: 'denoise',
  image: noisy,
  stop: values.stop === 'auto' ? 'auto' : 'fixed',
  iterations: Number(values.iterations),
  seed: Number(values.seed),
  backend: 'cpu',
  threads: Number(values.threads),
};

/** A budget that holds a fit of a tile² crop (plus the stitching buffers), not the whole crop. */
async function tileBudget(tile: number): Promise<number> {
  const crop = cropImage(noisy, 0, 0, tile, tile);
  const one = await plan({ ...base, image: crop });
  return one.peakMemoryBytes / BUDGET_FILL + 32 * 2 ** 20;
}

async function fitted(name: string, o: RestoreOptions): Promise<{ run: Run; image: Image }> {
  const json = `${DIR}/${name}.json`;
  const png = `${DIR}/${name}.png`;
  if (!values.fresh && existsSync(json) && existsSync(png)) {
    return { run: JSON.parse(readFileSync(json, 'utf8')) as Run, image: (await readImage(png)).image };
  }
  process.stderr.write(`${name}: fitting (${o.maxMemory ? `--max-memory ${formatBytes(o.maxMemory)}` : 'whole'})\n`);
  const load = os.loadavg()[0];
  const cpu0 = process.cpuUsage();
  const r = await restore(o, { log: (m) => process.stderr.write(`${name}: ${m}\n`) });
  const cpu = process.cpuUsage(cpu0);
  const run: Run = {
    name,
    tiles: r.plan!.tiles,
    tiling: r.plan!.tiling,
    mode: (r.options.tiling as string | undefined) ?? 'independent',
    psnr: psnr(r.image, clean),
    seconds: r.seconds,
    iterations: r.iterations,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    load,
    maxMemory: o.maxMemory,
  };
  await writeImage(png, r.image, { bitDepth: 16 });
  writeFileSync(`${json}.tmp`, JSON.stringify(run, null, 2));
  renameSync(`${json}.tmp`, json);
  return { run, image: (await readImage(png)).image };
}

/** Pixels on the seams of the tiled run: inner tile edges and overlap centres, ±1, as a 0/1 map. */
function seamMap(tileWidth: number, tileHeight: number, overlap: number): Uint8Array {
  const lines = (length: number, tile: number) => {
    const xs = axisStarts(length, tile, overlap);
    const at: number[] = [];
    for (let k = 1; k < xs.length; k++) at.push(xs[k], xs[k - 1] + tile - 1, Math.round((xs[k] + xs[k - 1] + tile) / 2));
    return at;
  };
  // 2 on the lines themselves (for the figure), 1 on their ±1 neighbours.
  const map = new Uint8Array(size * size);
  const mark = (p: number, d: number) => {
    map[p] = d === 0 ? 2 : Math.max(map[p], 1);
  };
  for (const x of lines(size, tileWidth))
    for (let y = 0; y < size; y++) for (let d = -1; d <= 1; d++) if (x + d >= 0 && x + d < size) mark(y * size + x + d, d);
  for (const y of lines(size, tileHeight))
    for (let x = 0; x < size; x++) for (let d = -1; d <= 1; d++) if (y + d >= 0 && y + d < size) mark((y + d) * size + x, d);
  return map;
}

/** Mean gradient energy on the seams and off them. */
function energy(img: Image, seams: Uint8Array): { seam: number; rest: number } {
  const y = toLumaY(img).data;
  let [es, ns, er, nr] = [0, 0, 0, 0];
  for (let j = 0; j < size - 1; j++) {
    for (let i = 0; i < size - 1; i++) {
      const p = j * size + i;
      const e = (y[p + 1] - y[p]) ** 2 + (y[p + size] - y[p]) ** 2;
      if (seams[p]) [es, ns] = [es + e, ns + 1];
      else [er, nr] = [er + e, nr + 1];
    }
  }
  return { seam: es / ns, rest: er / nr };
}

/** The difference ×4 about mid-grey, clipped, with the seams' centre lines (map value 2) in red. */
function seamFigure(a: Image, b: Image, lines: Uint8Array): Image {
  const c = a.channels;
  const data = Float32Array.from(a.data, (v, i) => Math.min(1, Math.max(0, 0.5 + 4 * (v - b.data[i]))));
  for (let p = 0; p < lines.length; p++) if (lines[p] === 2) data.set(c === 3 ? [1, 0.15, 0.15] : [1], p * c);
  return { ...a, data };
}

function difference(a: Image, b: Image): Image {
  return { ...a, data: Float32Array.from(a.data, (v, i) => 0.5 + v - b.data[i]) };
}

const runName = values.stop === 'auto' ? `auto-${values.iterations}` : values.iterations;
const whole = await fitted(`whole-${runName}`, base);
const tiling = values.tiling === 'independent' ? 'independent' : 'joint';
const tiledName = `${tiling === 'joint' ? 'joint' : 'tiled'}-${values.tile}-${runName}`;
const tiled = await fitted(tiledName, { ...base, tiling, maxMemory: await tileBudget(Number(values.tile)) });
const t = tiled.run.tiling as { tileWidth: number; tileHeight: number; overlap: number };
const seams = seamMap(t.tileWidth, t.tileHeight, t.overlap);
const rows: [string, Image][] = [
  ['tiled output', tiled.image],
  ['whole output', whole.image],
  ['clean crop', clean],
  ['tiled − whole', difference(tiled.image, whole.image)],
];
const lines = [
  `Tiling benchmark: ${values.image} centre ${size}², σ = 25, denoise defaults, ${values.stop === 'auto' ? `--stop auto (ceiling ${values.iterations}; whole ${whole.run.iterations} iterations, tiles ${tiled.run.iterations})` : `--stop fixed --iterations ${values.iterations}`}, seed ${values.seed}; tiled (--tiling ${tiling}): ${tiled.run.tiles} tiles of ${t.tileWidth}×${t.tileHeight}, overlap ${t.overlap} (--max-memory ${formatBytes(tiled.run.maxMemory!)}).`,
  '',
  '| run | tiles | PSNR dB | wall s | CPU s | load |',
  '|---|---|---|---|---|---|',
  ...[whole.run, tiled.run].map(
    (r) => `| ${r.name} | ${r.tiles} | ${r.psnr.toFixed(2)} | ${r.seconds.toFixed(0)} | ${r.cpuSeconds.toFixed(0)} | ${r.load.toFixed(1)} |`,
  ),
  `| tiled − whole | | ${(tiled.run.psnr - whole.run.psnr).toFixed(2)} | | | |`,
  '',
  '| image | gradient energy on seams | elsewhere | seams / elsewhere |',
  '|---|---|---|---|',
  ...rows.map(([name, img]) => {
    const e = energy(img, seams);
    return `| ${name} | ${e.seam.toExponential(3)} | ${e.rest.toExponential(3)} | ${(e.seam / e.rest).toFixed(3)} |`;
  }),
];
console.log(lines.join('\n'));
if (values.figure) {
  const panels = [
    { image: tiled.image, label: `tiled (${tiled.run.tiles} tiles), ${tiled.run.psnr.toFixed(2)} dB` },
    { image: whole.image, label: `whole, ${whole.run.psnr.toFixed(2)} dB` },
    { image: clean, label: 'clean crop' },
    { image: seamFigure(tiled.image, whole.image, seams), label: 'tiled − whole ×4, seams in red' },
  ];
  writeFileSync(values.figure, await sideBySide(panels));
  console.log(`figure: ${values.figure}`);
}
writeFileSync(`${DIR}/table-${runName}.md`, `${lines.join('\n')}\n`);
