/**
 * ISNAS-DIP's search against the default network (docs/RESULTS.md, "Image-specific architecture
 * search"). Per image (bench/search-images.ts: the three ISNAS-DIP examples and spectral-bias
 * denoising images, centre crops identical for every method): the skip net of the paper preset;
 * the search (screening, cohort fits, costs) with the paper preset's fitting settings; then the
 * networks it points at fitted at full resolution — ISNAS-DIP's choice, the cost-aware choices
 * (--prefer balanced and speed) and the cohort's best by ground truth (the oracle). When the cohort
 * copy is the image itself (crops of 64 px or less, super-resolution) its fits are those full fits.
 *
 * Every (image, unit) result is saved under bench/results/search/<settings>/ and reused; each unit
 * runs in its own process under `nice -n 10` (with --lock FILE, under `flock FILE` too: timed units on a shared machine),
 * with its wall and CPU seconds and the load average recorded.
 *
 *   npm run bench:search                                   # 64² crops, 128 candidates, cohort 5, 1 thread
 *   npm run bench:search -- --crop 128 --images isnas-f16-denoise,baboon
 *   npm run bench:search -- --table                         # print the table from the saved results only
 *   npm run bench:search -- --default-net compete           # the preset's network competes (results in a folder ending -with-default)
 *   npm run bench:search -- --width-variants 2              # the choice's half- and quarter-width copies for --prefer (…-narrower2)
 *   npm run bench:search -- --fresh-search                  # run the searches again (the skip-net fits are kept)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { BENCH_IMAGES, type BenchImage } from './search-images.js';
import { printTable } from './search-table.js';
import { runUnit, type BenchSettings, type UnitName } from './search-units.js';

const { values } = parseArgs({
  options: {
    crop: { type: 'string', default: '64' },
    candidates: { type: 'string', default: '128' },
    cohort: { type: 'string', default: '5' },
    metrics: { type: 'string', default: 'psd-db-strip-mse' },
    images: { type: 'string', default: BENCH_IMAGES.map((b) => b.name).join(',') },
    threads: { type: 'string', default: '1' },
    /** Iteration ceilings: denoising stops by its rule first; inpainting and super-resolution run them. */
    'iterations-denoise': { type: 'string', default: '3000' },
    'iterations-inpaint': { type: 'string', default: '1000' },
    'iterations-sr': { type: 'string', default: '1000' },
    /** exclude: ISNAS-DIP as published (the product's default); compete: the preset's own network is fitted beside the cohort. */
    'default-net': { type: 'string', default: 'exclude' },
    /** Narrower copies of the choice (halvings of its width) fitted for the cost-aware choice. */
    'width-variants': { type: 'string', default: '0' },
    unit: { type: 'string' },
    lock: { type: 'string' },
    /** Run the search units again though saved (the skip-net fits, which do not depend on the search, are kept). */
    'fresh-search': { type: 'boolean', default: false },
    table: { type: 'boolean', default: false },
  },
});

const settings: BenchSettings = {
  crop: Number(values.crop),
  candidates: Number(values.candidates),
  cohort: Number(values.cohort),
  metrics: values.metrics!.split(','),
  threads: Number(values.threads),
  defaultNet: values['default-net'] === 'compete' ? 'compete' : 'exclude',
  widthVariants: Number(values['width-variants']),
  iterations: {
    denoise: Number(values['iterations-denoise']),
    inpaint: Number(values['iterations-inpaint']),
    'super-resolve': Number(values['iterations-sr']),
  },
};
const dir = `bench/results/search/crop${settings.crop}-n${settings.candidates}-k${settings.cohort}-${settings.metrics.join('+')}-it${Object.values(settings.iterations).join('.')}${settings.defaultNet === 'compete' ? '-with-default' : ''}${settings.widthVariants ? `-narrower${settings.widthVariants}` : ''}`;
const resultPath = (image: string, unit: string) => `${dir}/${image}/${unit.replace(/[^\w.+-]/g, '_')}.json`;

function saved<T>(image: string, unit: string): T | null {
  const p = resultPath(image, unit);
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as T) : null;
}

/** Child process: one unit, timed, saved atomically. */
async function child(spec: string): Promise<void> {
  const [name, unit] = spec.split(':', 2) as [string, UnitName];
  const image = BENCH_IMAGES.find((b) => b.name === name)!;
  const load = loadavg()[0];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await runUnit(image, unit, settings);
  const cpu = process.cpuUsage(cpu0);
  const doc = { ...result, wallSeconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, loadAverage: [load, loadavg()[0]] };
  const p = resultPath(name, unit);
  mkdirSync(p.slice(0, p.lastIndexOf('/')), { recursive: true });
  writeFileSync(`${p}.tmp`, JSON.stringify(doc, null, 1));
  renameSync(`${p}.tmp`, p);
}

function spawnUnit(image: BenchImage, unit: string): void {
  const script = fileURLToPath(import.meta.url);
  const node = [process.execPath, ...process.execArgv, script, ...process.argv.slice(2), '--unit', `${image.name}:${unit}`];
  const command = [...(values.lock ? ['flock', values.lock] : []), 'nice', '-n', '10', ...node];
  process.stderr.write(`${image.name}: ${unit} …\n`);
  const r = spawnSync(command[0], command.slice(1), { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${image.name}:${unit} failed (exit ${r.status})`);
}

/** The units of an image: the skip net, the search, then full fits of the genotypes it points at (none when the cohort was full size). */
function driver(images: BenchImage[]): void {
  for (const image of images) {
    if (!saved(image.name, 'skip')) spawnUnit(image, 'skip');
    if (values['fresh-search'] || !saved(image.name, 'search')) spawnUnit(image, 'search');
    const search = saved<{ finals: string[] }>(image.name, 'search')!;
    for (const g of search.finals) if (!saved(image.name, `final-${g}`)) spawnUnit(image, `final-${g}`);
  }
}

const chosen = values.images!.split(',').map((n) => {
  const b = BENCH_IMAGES.find((x) => x.name === n);
  if (!b) throw new Error(`unknown image ${n}: use ${BENCH_IMAGES.map((x) => x.name).join(', ')}`);
  return b;
});
if (values.unit) await child(values.unit);
else {
  if (!values.table) driver(chosen);
  printTable(
    chosen.map((b) => b.name),
    settings,
    (image, unit) => saved(image, unit),
    dir,
  );
}
