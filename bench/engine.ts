/**
 * Engine benchmark: one DIP training step (forward + backward + Adam) of the reference skip net
 * (methods.md §1.3: 5 levels, skip 4, 32-channel input, reflection pad, bilinear) in deep-prior on each
 * available provider and in PyTorch on the same machine, in the same run. Each configuration runs in
 * its own process so peak memory is per configuration.
 *
 *   npm run bench:engine                 # 128², 256², 512² at 128 channels; 128², 256² at 32 channels
 *   npm run bench:engine -- --quick      # 128² only
 *   npm run bench:engine -- --webgpu     # also WebGPU (on lavapipe this measures a CPU rasteriser)
 * PyTorch comes from Debian (scripts/install-torch.sh); without it the PyTorch columns say so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    webgpu: { type: 'boolean', default: false },
    threads: { type: 'string', default: '2' },
    repeats: { type: 'string', default: '5' },
    out: { type: 'string', default: 'bench/results/engine.json' },
    /** e.g. --only 256x128,128x32 */
    only: { type: 'string' },
  },
});

interface Row {
  engine: string;
  backend?: string;
  size: number;
  channels: number;
  msMedian: number;
  msMin: number;
  peakRssMB: number;
}

const configs: [number, number][] = values.only
  ? values.only.split(',').map((c) => c.split('x').map(Number) as [number, number])
  : values.quick
    ? [
        [128, 128],
        [128, 32],
      ]
    : [
        [128, 128],
        [256, 128],
        [512, 128],
        [128, 32],
        [256, 32],
      ];

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Row | { error: string } {
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

const backends = ['cpu', ...(values.webgpu ? ['webgpu'] : [])];
const results: { config: [number, number]; torch: Row | { error: string }; ours: Record<string, Row | { error: string }> }[] = [];
for (const [size, ch] of configs) {
  const warm = size >= 512 ? '1' : '2';
  const repeats = size >= 512 ? '3' : values.repeats!;
  const ours: Record<string, Row | { error: string }> = {};
  for (const b of backends) {
    const reps = b === 'webgpu' ? '2' : repeats;
    ours[b] = run(
      'npx',
      [
        'tsx',
        'bench/engine-step.ts',
        '--size',
        `${size}`,
        '--channels',
        `${ch}`,
        '--backend',
        b,
        '--threads',
        values.threads!,
        '--warmup',
        warm,
        '--repeats',
        reps,
      ],
      { XDG_RUNTIME_DIR: '/tmp' },
    );
  }
  const torch = hasTorch
    ? run(python, [
        'bench/torch/engine_step.py',
        '--size',
        `${size}`,
        '--channels',
        `${ch}`,
        '--threads',
        values.threads!,
        '--warmup',
        warm,
        '--repeats',
        repeats,
      ])
    : { error: 'PyTorch not installed: run scripts/install-torch.sh' };
  results.push({ config: [size, ch], torch, ours });
  process.stderr.write(`done ${size}² × ${ch}\n`);
  // Let the machine settle between configurations (page cache, frequency).
  await new Promise((r) => setTimeout(r, 2000));
}

const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const lines = [
  `Engine benchmark — ${new Date().toISOString().slice(0, 10)}, ${values.threads} threads, median (min) ms per training step, peak RSS MB`,
  '',
  '| size | channels | backend | deep-prior ms | PyTorch ms | ratio (median) | deep-prior MB | PyTorch MB | memory ratio |',
  '|---|---|---|---|---|---|---|---|---|',
];
for (const r of results) {
  for (const [b, o] of Object.entries(r.ours)) {
    const t = r.torch;
    if ('error' in o) {
      lines.push(`| ${r.config[0]}² | ${r.config[1]} | ${b} | failed: ${o.error} | | | | | |`);
      continue;
    }
    const tt = 'error' in t ? null : t;
    lines.push(
      `| ${r.config[0]}² | ${r.config[1]} | ${b} | ${fmt(o.msMedian)} (${fmt(o.msMin)}) | ${tt ? `${fmt(tt.msMedian)} (${fmt(tt.msMin)})` : 'n/a'} | ${tt ? (o.msMedian / tt.msMedian).toFixed(2) : 'n/a'} | ${fmt(o.peakRssMB)} | ${tt ? fmt(tt.peakRssMB) : 'n/a'} | ${tt ? (o.peakRssMB / tt.peakRssMB).toFixed(2) : 'n/a'} |`,
    );
  }
}
if (!hasTorch) lines.push('', 'PyTorch columns: not installed here (scripts/install-torch.sh installs Debian python3-torch).');
console.log(lines.join('\n'));
mkdirSync('bench/results', { recursive: true });
writeFileSync(values.out!, JSON.stringify({ date: new Date().toISOString(), threads: values.threads, results }, null, 2));
