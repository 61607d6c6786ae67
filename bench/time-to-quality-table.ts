/** The arms of bench/time-to-quality.ts, its saved row, and the table it prints (crops against the paper preset, the photo against today's fast preset). */
import type { RestoreOptions } from '../src/node.js';

/** The paper preset's fixed budget: its wall time in the comparison is this × its seconds per iteration. */
export const PAPER_BUDGET = 3000;

/** Today's fast preset, pinned (48 channels everywhere, constant rate, one stage), whatever the preset becomes. */
const TODAY: Partial<RestoreOptions> = { preset: 'fast', channels: 48, widthProfile: 'uniform', lrSchedule: 'constant', coarseIterations: 0, iterations: 1800 };

/**
 * Each arm: its options and, where the oracle needs more, how many iterations at least its fit goes on
 * past the rule's stop (the paper preset peaks late at 256² and falls fast: see its fidelity curves).
 */
export const ARMS: Record<string, { label: string; options: Partial<RestoreOptions>; watchPast?: number }> = {
  paper: { label: 'the paper preset (the DIP notebook; its wall time is its fixed 3000 iterations)', options: { preset: 'paper' }, watchPast: 500 },
  fast: { label: "today's fast preset", options: TODAY },
  boost: { label: 'fast + --lr-schedule boost', options: { ...TODAY, lrSchedule: 'boost' } },
  pyramid: { label: 'fast + --width-profile pyramid --channels 128', options: { ...TODAY, widthProfile: 'pyramid', channels: 128 } },
  'pyramid-boost': {
    label: 'fast + --width-profile pyramid --channels 128 --lr-schedule boost',
    options: { ...TODAY, widthProfile: 'pyramid', channels: 128, lrSchedule: 'boost' },
  },
  c2f: { label: 'fast + --coarse-iterations 500', options: { ...TODAY, coarseIterations: 500 } },
  drp: { label: '--preset drp', options: { preset: 'drp' } },
  'lite-900': { label: "--preset lite, ceiling 900 (its curve past the preset's ceiling)", options: { preset: 'lite', iterations: 900 } },
  default: { label: 'the default (no preset: chosen by size)', options: {} },
};

export interface Row {
  arm: string;
  image: string;
  size: [number, number];
  threads: number;
  /** Where the discrepancy rule stopped (or the ceiling), what it returned, the wall and CPU seconds up to it. */
  stop: { fired: boolean; iteration: number; psnr: number; seconds: number; cpuSeconds: number };
  /** The best smoothed PSNR of the run (which goes on a while past the stop), and where. */
  best: number;
  bestIteration: number;
  iterations: number;
  seconds: number;
  cpuSeconds: number;
  /** One-minute load average when the row started and ended (the machine is shared). */
  loadAverage: [number, number];
  stages?: { width: number; height: number; iterations: number }[];
  options: Record<string, unknown>;
  /** The arm whose fit this row is (identical effective settings and seed), when it was reused rather than refitted. */
  sameAs?: string;
  /** [iteration, smoothed PSNR, wall seconds, CPU seconds] of every iteration of the full-size fit. */
  curve: [number, number, number, number][];
}

/** A paper-preset run saved by bench/stopping.ts (--methods vanilla --crop 256). */
export interface PaperRun {
  image: string;
  best: number;
  bestIteration: number;
  seconds: number;
  iterations: number;
  auto?: { stoppedAt: number; psnr: number };
}

interface TableOptions {
  crop: number;
  budget: number;
  /** Seconds per paper step to use instead of the saved runs' own. */
  stepSeconds?: number;
  paperDir: string;
}

const f2 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(2));
const f0 = (x: number | undefined) => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(0));
const mean = (xs: (number | undefined)[]) => {
  const v = xs.filter((x): x is number => x !== undefined && Number.isFinite(x));
  return v.length === xs.length && v.length ? v.reduce((a, b) => a + b, 0) / v.length : undefined;
};

/** The first iteration whose smoothed PSNR reaches `target`: its wall seconds (the oracle's view of "reaches"). */
function secondsToReach(row: Row, target: number): number | undefined {
  return row.curve.find((p) => p[1] >= target)?.[2];
}

const paperWall = (p: PaperRun, o: TableOptions) => o.budget * (o.stepSeconds ?? p.seconds / p.iterations);

/** A paper-arm row as the paper run the crop table compares with (its curve stands for the fixed budget's run up to past its peak). */
export function paperRunOf(row: Row): PaperRun {
  return {
    image: row.image,
    best: row.best,
    bestIteration: row.bestIteration,
    seconds: row.seconds,
    iterations: row.iterations,
    auto: row.stop.fired ? { stoppedAt: row.stop.iteration, psnr: row.stop.psnr } : undefined,
  };
}

export function formatTable(rows: Row[], paper: PaperRun[], o: TableOptions): string {
  const crops = rows.filter((r) => r.image !== 'photo-1024x768' && r.arm !== 'paper');
  const photo = rows.filter((r) => r.image === 'photo-1024x768');
  const out = [cropTable(crops, paper, o)];
  if (photo.length) out.push('', photoTable(photo));
  return out.join('\n');
}

function cropTable(rows: Row[], paper: PaperRun[], o: TableOptions): string {
  const paperOf = (image: string) => paper.find((p) => p.image === image);
  const head = [
    `${o.crop}² centre crops, σ = 25. PSNR in dB of the smoothed estimate; "stop" = the discrepancy rule's stop (or the ceiling); times are up to the stop.`,
    `Paper preset: the paper arm's rows (where one is missing, a bench/stopping.ts run saved in ${o.paperDir}), wall time = ${o.budget} iterations × ${o.stepSeconds ? `${o.stepSeconds} s` : 'its measured seconds per iteration'}.`,
    '',
    '| image | arm | stop it. | PSNR at stop | − (paper best − 0.3) | oracle best (it.) | wall to stop (s) | CPU to stop (s) | wall / paper wall | wall to paper best − 0.3 (s) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  const lines: string[] = [];
  const images = [...new Set(rows.map((r) => r.image))];
  for (const image of images) {
    const p = paperOf(image);
    if (p)
      lines.push(
        `| ${image} | paper preset | ${p.auto?.stoppedAt ?? '–'} | ${f2(p.auto?.psnr)} | ${f2(p.auto && p.auto.psnr - (p.best - 0.3))} | ${f2(p.best)} (${p.bestIteration}) | ${f0(paperWall(p, o))} (budget) | – | 1 | – |`,
      );
    for (const r of rows.filter((x) => x.image === image)) lines.push(cropLine(r, p, o));
  }
  lines.push(...cropMeans(rows, paperOf, o));
  return [...head, ...lines].join('\n');
}

function cropLine(r: Row, p: PaperRun | undefined, o: TableOptions): string {
  const target = p && p.best - 0.3;
  const stop = `${r.stop.iteration}${r.stop.fired ? '' : ' (ceiling)'}`;
  return `| ${r.image} | ${r.arm}${r.sameAs ? ` (= ${r.sameAs})` : ''} | ${stop} | ${f2(r.stop.psnr)} | ${f2(target && r.stop.psnr - target)} | ${f2(r.best)} (${r.bestIteration}) | ${f0(r.stop.seconds)} | ${f0(r.stop.cpuSeconds)} | ${f2(p && r.stop.seconds / paperWall(p, o))} | ${f0(target && secondsToReach(r, target))} |`;
}

function cropMeans(rows: Row[], paperOf: (image: string) => PaperRun | undefined, o: TableOptions): string[] {
  return [...new Set(rows.map((r) => r.arm))].map((arm) => {
    const mine = rows.filter((r) => r.arm === arm);
    const gap = mean(mine.map((r) => paperOf(r.image) && r.stop.psnr - (paperOf(r.image)!.best - 0.3)));
    const ratio = mean(mine.map((r) => paperOf(r.image) && r.stop.seconds / paperWall(paperOf(r.image)!, o)));
    const reach = mean(mine.map((r) => paperOf(r.image) && secondsToReach(r, paperOf(r.image)!.best - 0.3)));
    return `| **mean** (${mine.length}) | **${arm}** | ${f0(mean(mine.map((r) => r.stop.iteration)))} | ${f2(mean(mine.map((r) => r.stop.psnr)))} | **${f2(gap)}** | ${f2(mean(mine.map((r) => r.best)))} | ${f0(mean(mine.map((r) => r.stop.seconds)))} | ${f0(mean(mine.map((r) => r.stop.cpuSeconds)))} | **${f2(ratio)}** | ${f0(reach)} |`;
  });
}

function photoTable(rows: Row[]): string {
  const fast = rows.find((r) => r.arm === 'fast');
  const [w, h] = rows[0].size;
  const head = [
    `The ${w}×${h} photo (kodim01 ×1.5, σ = 25), ${rows[0].threads} threads. Δ = PSNR at stop − today's fast preset's.`,
    '',
    '| arm | stop it. | PSNR at stop | Δ vs fast | oracle best (it.) | wall to stop (s) | CPU to stop (s) | minutes | stages |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const lines = rows.map((r) => {
    const stages = r.stages?.map((s) => `${s.width}×${s.height}: ${s.iterations}`).join(', ') ?? '–';
    const stop = `${r.stop.iteration}${r.stop.fired ? '' : ' (ceiling)'}`;
    return `| ${r.arm}${r.sameAs ? ` (= ${r.sameAs})` : ''} | ${stop} | ${f2(r.stop.psnr)} | ${f2(fast && r.stop.psnr - fast.stop.psnr)} | ${f2(r.best)} (${r.bestIteration}) | ${f0(r.stop.seconds)} | ${f0(r.stop.cpuSeconds)} | ${(r.stop.seconds / 60).toFixed(1)} | ${stages} |`;
  });
  return [...head, ...lines].join('\n');
}
