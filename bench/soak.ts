/**
 * Soak run of `deep-prior batch`: N small generated images (sizes 24–40 px, grey, RGB and RGBA),
 * each fitted for a few iterations with a tiny network, in one batch process. The bench samples the
 * batch process's resident memory (/proc) every 50 ms and prints the peak over the first 50 and the
 * last 50 files; they must differ by less than 10 % (exit 1 otherwise). Also prints the process's
 * CPU time and the load average (wall times on a shared machine include waiting). Before the batch
 * the plan's calibration for these settings is made sure of (`deep-prior plan` once): it is measured
 * once per machine, backend and thread count (two probe fits at 256² and 512², about 1.4 GB), and
 * inside the first window it would be read as the batch's memory.
 *
 *   npm run bench:soak                                   # 500 files, 3 iterations, decoder net, 4 channels
 *   npm run bench:soak -- --files 1000 --arch skip --iterations 5 --concurrency 2
 */
import { spawn, spawnSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createImage, Rng, writeImage } from '../src/node.js';

const { values } = parseArgs({
  options: {
    files: { type: 'string', default: '500' },
    iterations: { type: 'string', default: '3' },
    arch: { type: 'string', default: 'decoder' },
    channels: { type: 'string', default: '4' },
    concurrency: { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const N = Number(values.files);
const WINDOW = 50;

async function makeInputs(dir: string): Promise<void> {
  const rng = new Rng(2024);
  for (let i = 0; i < N; i++) {
    const w = 24 + Math.floor(rng.uniform() * 17);
    const h = 24 + Math.floor(rng.uniform() * 17);
    const img = createImage(w, h, ([1, 3, 4] as const)[i % 3]);
    for (let k = 0; k < img.data.length; k++) img.data[k] = Math.round(rng.uniform() * 255) / 255;
    await writeImage(path.join(dir, `d${Math.floor(i / 100)}`, `img${String(i).padStart(5, '0')}.png`), img);
  }
}

/** Resident memory (MiB) and CPU seconds of a live process, from /proc. */
function sample(pid: number): { rss: number; cpu: number } | null {
  try {
    const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { rss, cpu: (Number(stat[11]) + Number(stat[12])) / 100 };
  } catch {
    return null;
  }
}

const root = await fs.mkdtemp(path.join(os.tmpdir(), 'deep-prior-soak-'));
const inDir = path.join(root, 'in');
await fs.mkdir(inDir);
for (let d = 0; d * 100 < N; d++) await fs.mkdir(path.join(inDir, `d${d}`));
await makeInputs(inDir);
const load0 = os.loadavg()[0];
const fitFlags = ['--stop', 'fixed', '--iterations', values.iterations!, '--arch', values.arch!, '--channels', values.channels!, '--backend', 'cpu'];
const args = ['batch', 'denoise', inDir, '-o', path.join(root, 'out'), '--json', ...fitFlags, '--concurrency', values.concurrency!];
const firstInput = path.join(inDir, 'd0', 'img00000.png');
const planned = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'plan', 'denoise', firstInput, ...fitFlags], { encoding: 'utf8' });
if (planned.status !== 0) throw new Error(`deep-prior plan failed: ${planned.stderr}`);
const t0 = performance.now();
const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
let finished = 0;
let failed = 0;
let buffered = '';
const peak = new Map<number, number>(); // file index being fitted → peak RSS while it ran
let last = { rss: 0, cpu: 0 };
child.stdout.on('data', (d: Buffer) => {
  buffered += d;
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    const e = JSON.parse(line) as { type: string; status?: string };
    if (e.type !== 'file') continue;
    finished++;
    if (e.status === 'failed') failed++;
    if (finished % 50 === 0) process.stderr.write(`${finished}/${N} files, RSS ${last.rss.toFixed(0)} MiB\n`);
  }
});
const timer = setInterval(() => {
  const s = sample(child.pid!);
  if (!s) return;
  last = s;
  peak.set(finished, Math.max(peak.get(finished) ?? 0, s.rss));
}, 50);
const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
clearInterval(timer);
const wall = (performance.now() - t0) / 1000;

const peakOver = (from: number, to: number) => Math.max(...[...peak].filter(([i]) => i >= from && i < to).map(([, r]) => r));
const first = peakOver(0, WINDOW);
const lastPeak = peakOver(N - WINDOW, N);
const change = (lastPeak - first) / first;
console.log(`files: ${N} (${finished} finished, ${failed} failed), batch exit code ${code}`);
console.log(
  `peak RSS over files 1–${WINDOW}: ${first.toFixed(1)} MiB; over files ${N - WINDOW + 1}–${N}: ${lastPeak.toFixed(1)} MiB (${(100 * change).toFixed(1)} %)`,
);
console.log(
  `wall ${wall.toFixed(0)} s, batch process CPU ${last.cpu.toFixed(0)} s (last sample), load average ${load0.toFixed(1)} → ${os.loadavg()[0].toFixed(1)} on ${os.availableParallelism()} cores`,
);
console.log(`settings: ${args.slice(5).join(' ')}`);
if (!values.keep) await fs.rm(root, { recursive: true, force: true });
else console.log(`kept ${root}`);
process.exitCode = code === 0 && failed === 0 && Math.abs(change) < 0.1 ? 0 : 1;
