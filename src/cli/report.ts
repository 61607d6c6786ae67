/**
 * The `--report out.json` document (SPEC: "The --report JSON"). Keys are camelCase and stable;
 * new keys may be added, none renamed. Non-finite numbers (a diverged loss) are written as null.
 */
import type { HistoryEntry, RestoreResult, StopReason, TaskName, TileSummary } from '../options/index.js';
import type { Plan } from '../plan/types.js';
import type { SearchSummary } from '../search/types.js';
import { writeOutputFile } from './files.js';

export interface ImageFileInfo {
  path: string;
  width: number;
  height: number;
  channels: number;
  bitDepth: 8 | 16;
  format: string;
}

export interface FinalMetrics {
  /** The --reference file. */
  path: string;
  psnr: number;
  ssim: number | null;
  /** Pixels ignored on each side. */
  border: number;
}

export interface Report {
  task: TaskName;
  /** deep-prior's version. */
  version: string;
  /** Every effective setting (after presets and defaults). */
  options: Record<string, unknown>;
  backend: string;
  /** Iterations done. */
  iterations: number;
  stopReason: StopReason;
  /** The iteration whose output was written. */
  bestIteration: number;
  seconds: number;
  /** Backtracking or divergence recoveries. */
  recoveries: number;
  history: HistoryEntry[];
  input: ImageFileInfo & { mask?: string; guide?: string };
  output: ImageFileInfo;
  /** With --reference: PSNR/SSIM of the written output. */
  reference?: FinalMetrics;
  /** With --stop watch: where automatic stopping would have stopped and what it would have returned. */
  watched?: WatchedStop;
  /** The plan made before the fit: layout, memory, time (src/plan/types.ts). */
  plan?: Plan;
  /** Tiled runs: each tile and how its fit went. */
  tiles?: TileSummary[];
  /** With --max-size: the size fitted, the factor, and that detail was lost. */
  preview?: RestoreResult['preview'];
  /** With --arch auto: the architecture search (its phases' costs, the whole ranking, the cohort and the choice). */
  search?: SearchSummary;
}

export interface WatchedStop {
  stoppedAt: number;
  /** The iteration whose estimate auto stopping would have returned. */
  iteration: number;
  reason: string;
  /** With --reference: that estimate's PSNR/SSIM. */
  reference?: FinalMetrics;
}

export interface ReportInput {
  task: TaskName;
  version: string;
  result: RestoreResult;
  /** The settings the user gave, used for keys the result's `options` lacks. */
  requested: Record<string, unknown>;
  input: Report['input'];
  output: ImageFileInfo;
  reference?: FinalMetrics;
  watched?: WatchedStop;
}

export function buildReport(r: ReportInput): Report {
  const res = r.result;
  const report: Report = {
    task: r.task,
    version: r.version,
    options: sanitize({ ...r.requested, ...res.options }) as Record<string, unknown>,
    backend: res.backend,
    iterations: res.iterations,
    stopReason: res.stopReason,
    bestIteration: res.bestIteration,
    seconds: res.seconds,
    recoveries: res.recoveries,
    history: res.history.map(historyEntry),
    input: r.input,
    output: r.output,
  };
  if (r.reference) report.reference = r.reference;
  if (r.watched) report.watched = r.watched;
  if (res.plan) report.plan = res.plan;
  if (res.tiles) report.tiles = res.tiles;
  if (res.preview) report.preview = res.preview;
  if (res.search) report.search = res.search;
  return report;
}

/** Only the documented keys, in a fixed order. */
function historyEntry(h: HistoryEntry): HistoryEntry {
  return {
    iteration: h.iteration,
    loss: h.loss,
    ...(h.psnr !== undefined && { psnr: h.psnr }),
    ...(h.psnrSmoothed !== undefined && { psnrSmoothed: h.psnrSmoothed }),
    seconds: h.seconds,
    ...(h.stopStatistic !== undefined && { stopStatistic: h.stopStatistic }),
    ...(h.tile !== undefined && { tile: h.tile }),
  };
}

/**
 * Makes a settings value JSON-friendly: images become their size, typed arrays and functions are
 * dropped, undefined entries removed.
 */
export function sanitize(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return typeof v === 'function' ? undefined : v;
  if (ArrayBuffer.isView(v)) return undefined;
  if (Array.isArray(v)) return v.map(sanitize);
  const o = v as Record<string, unknown>;
  if (typeof o.width === 'number' && typeof o.height === 'number' && ArrayBuffer.isView(o.data)) {
    return { width: o.width, height: o.height, channels: o.channels };
  }
  const out: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(o)) {
    const s = sanitize(val);
    if (s !== undefined) out[k] = s;
  }
  return out;
}

export function reportJson(report: Report): string {
  return `${JSON.stringify(report, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}

/** Writes the report atomically (temporary file + rename). */
export async function writeReport(file: string, report: Report): Promise<void> {
  await writeOutputFile(file, reportJson(report));
}
