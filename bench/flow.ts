/**
 * The shipped HCFlow weights (weights/) on ../shared/data/sr_benchmarks Set5, Set14 and BSD100, with
 * the papers' protocol (src/flow/evaluate.ts: modcrop, MATLAB-like bicubic, Y-PSNR with border = scale;
 * bridge.png is grey and measured as its own Y):
 *   - rescaling ×2 and ×4: down→up at τ = 0 against bicubic down→bicubic up;
 *   - SR ×4: the τ = 0 sample of the bicubic LR against bicubic upscaling (Y-PSNR, Y-SSIM), its
 *     LR-consistency and the per-pixel diversity of `--samples` samples at `--temperature`;
 *   - the time of `rescale up` and `sample` for a 512² result (median of 3; wall and CPU seconds).
 * Writes bench/results/flow.json and, with --pictures, docs/img/flow-*.png.
 *   flock /tmp/deep-prior-cpu.lock npm run bench:flow -- --threads 1 --pictures
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sideBySide } from '../src/cli/demo.js';
import { listImageFiles } from '../src/flow/dataset-node.js';
import { bicubicDown, bicubicUp, modcrop, type RescalingScore, type SrScore, scoreRescaling, scoreSuperResolution } from '../src/flow/evaluate.js';
import { type LoadedFlow, rescaleDown, rescaleUp, sampleSuperResolution } from '../src/flow/inference.js';
import { loadFlowModel } from '../src/flow/shipped-node.js';
import { cropImage, type Image } from '../src/image/image.js';
import { readImage } from '../src/image/io-node.js';
import { resampleAntialiased } from '../src/image/resample.js';
import { Engine } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';

const { values } = parseArgs({
  options: {
    sets: { type: 'string', default: 'Set5,Set14,BSD100' },
    limit: { type: 'string' },
    'weights-dir': { type: 'string', default: 'weights' },
    threads: { type: 'string', default: '1' },
    samples: { type: 'string', default: '4' },
    temperature: { type: 'string', default: '0.9' },
    pictures: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results/flow.json' },
  },
});
const benchmarks = path.resolve(import.meta.dirname, '../../shared/data/sr_benchmarks');
const engine = await Engine.create(nodePlatform, { backend: 'cpu', threads: Number(values.threads) });
const load = (kind: 'rescaling' | 'sr', scale: 2 | 4) => loadFlowModel(path.join(values['weights-dir'], `${kind}-x${scale}.hcflow`), kind, scale);
const models = { x2: await load('rescaling', 2), x4: await load('rescaling', 4), sr: await load('sr', 4) };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

interface SetRow {
  set: string;
  images: number;
  x2: RescalingScore;
  x4: RescalingScore;
  sr: SrScore;
}

async function evaluateSet(set: string): Promise<SetRow> {
  const files = (await listImageFiles(path.join(benchmarks, set), '--sets')).slice(0, values.limit ? Number(values.limit) : undefined);
  const x2: RescalingScore[] = [];
  const x4: RescalingScore[] = [];
  const sr: SrScore[] = [];
  for (const file of files) {
    const image = (await readImage(file)).image;
    x2.push(await scoreRescaling(engine, models.x2, image));
    x4.push(await scoreRescaling(engine, models.x4, image));
    sr.push(await scoreSuperResolution(engine, models.sr, image, { samples: Number(values.samples), temperature: Number(values.temperature) }));
    const last = (s: RescalingScore) => `${s.flow.toFixed(2)}/${s.bicubic.toFixed(2)}`;
    console.log(`${set}/${path.basename(file)}: ×2 ${last(x2.at(-1)!)}, ×4 ${last(x4.at(-1)!)}, SR ${last(sr.at(-1)!)} dB (HCFlow/bicubic)`);
  }
  const avg = <T extends object>(rows: T[]) => Object.fromEntries(Object.keys(rows[0]).map((k) => [k, mean(rows.map((r) => r[k as keyof T] as number))])) as T;
  return { set, images: files.length, x2: avg(x2), x4: avg(x4), sr: avg(sr) };
}

/** Median wall and CPU seconds of `f` over 3 runs (after one untimed run). */
async function timed(f: () => Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  await f();
  const runs: { wall: number; cpu: number }[] = [];
  for (let k = 0; k < 3; k++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await f();
    const c = process.cpuUsage(c0);
    runs.push({ wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 });
  }
  return runs.sort((a, b) => a.wall - b.wall)[1];
}

async function timings(): Promise<Record<string, { wall: number; cpu: number }>> {
  const hr = modcrop((await readImage(path.join(benchmarks, 'Set14/monarch.png'))).image, 512);
  const photo = cropImage(hr, 0, 0, 512, 512);
  const lr = (s: number) => resampleAntialiased(photo, 512 / s, 512 / s, 'bicubic');
  const small2 = await rescaleDown(engine, models.x2, photo);
  const small4 = await rescaleDown(engine, models.x4, photo);
  return {
    'rescale up ×2 (256² → 512²)': await timed(() => rescaleUp(engine, models.x2, small2, { temperature: 0 })),
    'rescale up ×4 (128² → 512²)': await timed(() => rescaleUp(engine, models.x4, small4, { temperature: 0 })),
    'sample ×4 (128² → 512², one sample)': await timed(() => sampleSuperResolution(engine, models.sr, lr(4), { temperature: 0.9 })),
  };
}

function table(rows: SetRow[]): string {
  const d = (a: number, b: number) => `${a.toFixed(2)} / ${b.toFixed(2)} (**${a - b >= 0 ? '+' : ''}${(a - b).toFixed(2)}**)`;
  const lines = [
    '| set | images | rescaling ×2: HCFlow / bicubic (gain), Y-PSNR dB | rescaling ×4: HCFlow / bicubic (gain) | SR ×4 τ = 0: HCFlow / bicubic (gain), Y-PSNR dB | SR ×4 Y-SSIM: HCFlow / bicubic | SR LR-consistency, dB | SR diversity (τ = 0.9, 0–255) |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.set} | ${r.images} | ${d(r.x2.flow, r.x2.bicubic)} | ${d(r.x4.flow, r.x4.bicubic)} | ${d(r.sr.flow, r.sr.bicubic)} | ${r.sr.flowSsim.toFixed(4)} / ${r.sr.bicubicSsim.toFixed(4)} | ${r.sr.lrConsistency.toFixed(2)} | ${r.sr.diversity.toFixed(2)} |`,
    );
  }
  return lines.join('\n');
}

/** The side of the pictures' crop: small files for the docs. */
const PICTURE = 128;

/** docs/img/flow-rescale.png (HR, bicubic, HCFlow ×2 and ×4 and its LR) and docs/img/flow-sr.png (bicubic, τ = 0, two τ = 0.9 samples, HR). */
async function pictures(): Promise<void> {
  const hr = cropImage((await readImage(path.join(benchmarks, 'Set14/monarch.png'))).image, 272, 152, PICTURE, PICTURE);
  const panel = async (file: string, panels: { image: Image; label: string }[]) => writeFileSync(file, await sideBySide(panels));
  const viaBicubic = (s: number) => bicubicUp(bicubicDown(hr, s), s);
  const up = async (m: LoadedFlow) => rescaleUp(engine, m, await rescaleDown(engine, m, hr), { temperature: 0 });
  const lr4 = await rescaleDown(engine, models.x4, hr);
  await panel('docs/img/flow-rescale.png', [
    { image: hr, label: 'original' },
    { image: viaBicubic(4), label: 'bicubic ↓4 ↑4' },
    { image: await up(models.x4), label: 'HCFlow ↓4 ↑4' },
    { image: resampleAntialiased(lr4, PICTURE, PICTURE, 'box'), label: 'HCFlow ↓4 (shown ×4)' },
    { image: viaBicubic(2), label: 'bicubic ↓2 ↑2' },
    { image: await up(models.x2), label: 'HCFlow ↓2 ↑2' },
  ]);
  const lr = bicubicDown(hr, 4);
  const [mean0] = await sampleSuperResolution(engine, models.sr, lr, { temperature: 0 });
  const warm = await sampleSuperResolution(engine, models.sr, lr, { temperature: 0.9, count: 2, seed: 1 });
  await panel('docs/img/flow-sr.png', [
    { image: bicubicUp(lr, 4), label: 'bicubic ×4' },
    { image: mean0, label: 'sample τ = 0' },
    { image: warm[0], label: 'sample τ = 0.9' },
    { image: warm[1], label: 'another τ = 0.9' },
    { image: hr, label: 'original' },
  ]);
}

const rows: SetRow[] = [];
for (const set of values.sets.split(',')) rows.push(await evaluateSet(set));
const load0 = loadavg();
const times = await timings();
console.log(`\n${table(rows)}\n`);
for (const [what, t] of Object.entries(times)) console.log(`${what}: ${t.wall.toFixed(2)} s wall, ${t.cpu.toFixed(2)} s CPU (threads ${values.threads})`);
console.log(
  `load average during the timings: ${load0.map((l) => l.toFixed(1)).join(' ')} → ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
if (values.pictures) await pictures();
mkdirSync(path.dirname(values.out), { recursive: true });
const manifests = Object.fromEntries(
  Object.entries(models).map(([k, m]) => [k, { training: m.weights.manifest.training, validation: m.weights.manifest.validation }]),
);
writeFileSync(values.out, JSON.stringify({ rows, times, load: [load0, loadavg()], threads: Number(values.threads), manifests }, null, 2));
console.log(`wrote ${values.out}`);
