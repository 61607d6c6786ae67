/**
 * Engine benchmark: one DIP training step (forward + backward + Adam) of the reference skip net
 * (methods.md §1.3: 5 levels, skip 4, 32-channel input, reflection pad, bilinear) in deep-prior on each
 * available provider and in PyTorch on the same machine, in the same run, each configuration in its
 * own process (peak memory is per configuration), deep-prior and PyTorch alternating for --rounds
 * rounds. Reports wall and process CPU time per step, their ratio to PyTorch, and the fraction of the
 * machine's FLOP limit each reaches: the graph's conv/GEMM FLOPs (bench/flops.ts) per second of wall
 * time over the large-GEMM peak that ONNX Runtime's SGEMM measures on the same threads at the start of
 * the run (bench/gemm-peak.ts).
 *
 *   npm run bench:engine                 # 128², 256², 512² at 128 channels, 256² at 48 (the fast preset)
 *   npm run bench:engine -- --only 256x128,128x32 --rounds 5
 *   npm run bench:engine -- --webgpu     # also WebGPU (on lavapipe this measures a CPU rasteriser)
 * PyTorch comes from Debian (scripts/install-torch.sh); without it the PyTorch columns say so.
 * On a shared machine take the lock: flock /tmp/deep-prior-cpu.lock npm run bench:engine
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    webgpu: { type: 'boolean', default: false },
    threads: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    out: { type: 'string', default: 'bench/results/engine.json' },
    /** e.g. --only 256x128,128x32 */
    only: { type: 'string' },
  },
});

interface Row {
  engine: string;
  size: number;
  channels: number;
  msMedian: number;
  msMin: number;
  cpuMsMedian: number;
  peakRssMB: number;
  gflop?: number;
}
type Result = Row | { error: string };

const configs: [number, number][] = values.only
  ? values.only.split(',').map((c) => c.split('x').map(Number) as [number, number])
  : values.quick
    ? [[128, 128]]
    : [
        [128, 128],
        [256, 128],
        [512, 128],
        [256, 48],
      ];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Result {
  try {
    const out = execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 24 });
    const line = out
      .trim()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .pop();
    return JSON.parse(line!);
  } catch (e) {
    const msg = (e as { stderr?: string }).stderr || (e as Error).message;
    return { error: msg.trim().split('\n').pop()!.slice(0, 160) };
  }
}

const python = '/usr/bin/python3';
const hasTorch =
  existsSync(python) &&
  (() => {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

/** The median round of one engine (by wall time), with the median CPU time and the largest RSS over the rounds. */
function combine(rounds: Result[]): Result {
  const ok = rounds.filter((r): r is Row => !('error' in r));
  if (!ok.length) return rounds[0];
  const byWall = [...ok].sort((a, b) => a.msMedian - b.msMedian);
  const mid = byWall[Math.floor(byWall.length / 2)];
  const cpu = ok.map((r) => r.cpuMsMedian).sort((a, b) => a - b)[Math.floor(ok.length / 2)];
  return { ...mid, msMin: Math.min(...ok.map((r) => r.msMin)), cpuMsMedian: cpu, peakRssMB: Math.max(...ok.map((r) => r.peakRssMB)) };
}

const threads = values.threads!;
const peakRun = run('npx', ['tsx', 'bench/gemm-peak.ts']);
const peak = 'error' in peakRun ? null : (peakRun as unknown as { rows: { threads: number; gflopsWall: number; gflopsPerCpuSecond: number }[] }).rows;
const peakGflops = peak?.find((r) => `${r.threads}` === threads)?.gflopsWall ?? null;
process.stderr.write(`GEMM peak: ${JSON.stringify(peak)}\n`);

const backends = ['cpu', ...(values.webgpu ? ['webgpu'] : [])];
const results: { config: [number, number]; load: number[]; torch: Result; ours: Record<string, Result> }[] = [];
for (const [size, ch] of configs) {
  const warm = size >= 512 ? '1' : '2';
  const repeats = size >= 512 ? '3' : values.repeats!;
  const load = loadavg();
  const ours: Record<string, Result[]> = Object.fromEntries(backends.map((b) => [b, []]));
  const torch: Result[] = [];
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const b of backends) {
      const step = ['tsx', 'bench/engine-step.ts', '--size', `${size}`, '--channels', `${ch}`, '--backend', b, '--threads', threads];
      ours[b].push(run('npx', [...step, '--warmup', warm, '--repeats', b === 'webgpu' ? '2' : repeats], { XDG_RUNTIME_DIR: '/tmp' }));
    }
    const args = ['bench/torch/engine_step.py', '--size', `${size}`, '--channels', `${ch}`, '--threads', threads, '--warmup', warm, '--repeats', repeats];
    torch.push(hasTorch ? run(python, args) : { error: 'PyTorch not installed: run scripts/install-torch.sh' });
  }
  results.push({ config: [size, ch], load, torch: combine(torch), ours: Object.fromEntries(backends.map((b) => [b, combine(ours[b])])) });
  process.stderr.write(`done ${size}² × ${ch} (load ${load.map((l) => l.toFixed(1)).join(' ')})\n`);
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const pct = (gflop: number, ms: number) => (peakGflops ? `${((100 * gflop) / (ms / 1000) / peakGflops).toFixed(0)} %` : 'n/a');
const peakLine = peak
  ? `FLOP limit: ONNX Runtime SGEMM 2048³ ${peak.map((r) => `${r.gflopsWall.toFixed(0)} GFLOP/s on ${r.threads} thread${r.threads > 1 ? 's' : ''}`).join(', ')} (${threads} used below)`
  : `FLOP limit: GEMM peak failed (${(peakRun as { error: string }).error})`;
const lines = [
  `Engine benchmark — ${new Date().toISOString().slice(0, 10)}, ${threads} threads, ${values.rounds} rounds; median (min) wall ms per training step, median process CPU ms, peak RSS MB`,
  peakLine,
  '',
  '| size | ch | backend | GFLOP | deep-prior ms | CPU ms | PyTorch ms | CPU ms | ratio | % of limit (ours / PyTorch) | deep-prior MB | PyTorch MB | load |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
];
for (const r of results) {
  for (const [b, o] of Object.entries(r.ours)) {
    const head = `| ${r.config[0]}² | ${r.config[1]} | ${b}`;
    if ('error' in o) {
      lines.push(`${head} | | failed: ${o.error} | | | | | | | | |`);
      continue;
    }
    const t = 'error' in r.torch ? null : r.torch;
    const gflop = o.gflop ?? 0;
    const torchCols = t ? `${fmt(t.msMedian)} (${fmt(t.msMin)}) | ${fmt(t.cpuMsMedian)} | ${(o.msMedian / t.msMedian).toFixed(2)}` : 'n/a | | ';
    const limit = `${pct(gflop, o.msMedian)} / ${t ? pct(gflop, t.msMedian) : 'n/a'}`;
    lines.push(
      `${head} | ${gflop.toFixed(1)} | ${fmt(o.msMedian)} (${fmt(o.msMin)}) | ${fmt(o.cpuMsMedian)} | ${torchCols} | ${limit} | ${fmt(o.peakRssMB)} | ${t ? fmt(t.peakRssMB) : 'n/a'} | ${r.load[0].toFixed(1)} |`,
    );
  }
}
if (!hasTorch) lines.push('', 'PyTorch columns: not installed here (scripts/install-torch.sh installs Debian python3-torch).');
console.log(lines.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out!, JSON.stringify({ date: new Date().toISOString(), threads, rounds: values.rounds, peak, results }, null, 2));
