/**
 * Measures the calibration of a backend and thread count: the default denoising fit on synthetic
 * images at two small sizes, a few steps each (seconds, not minutes), timed step by step and, on the
 * CPU, with the process's peak resident memory. The result is cached per machine, backend, threads
 * and deep-prior version; without a cache or a way to measure, the shipped values are used.
 */
import { createImage } from '../image/image.js';
import type { HistoryEntry, RestoreOptions } from '../options/index.js';
import { restoreSingle } from '../restore/single.js';
import type { BackendName, Platform } from '../runtime/engine.js';
import { Rng } from '../util/random.js';
import { calibrationFrom, calibrationKey, parseCalibration, shippedCalibration, type Calibration, type ProbePoint } from './calibration.js';
import type { PlanEnvironment } from './environment.js';
import { stepCostAt } from './step-cost.js';

/** Probe sizes (square, pixels per side) and steps per probe (the first, which warms up, is not timed). */
export const PROBE_SIDES = [256, 512] as const;
export const PROBE_STEPS = 4;
/** Memory the larger probe needs on top of the process (a little more than measured): less budget, no probe. */
const PROBE_BYTES = 1600 * 2 ** 20;

export interface CalibrationRequest {
  platform: Platform;
  backend: BackendName;
  threads: number;
  env: PlanEnvironment;
  /** Measure again even when a cached calibration exists. */
  recalibrate?: boolean;
  /** The run's memory budget: no probe runs when it could not fit in it. */
  budgetBytes?: number | null;
  log?: (message: string) => void;
  /** Probe sides other than PROBE_SIDES (tests). */
  sides?: readonly [number, number];
}

/** The cached calibration, else a fresh measurement (then cached), else the shipped one. */
export async function calibrationFor(r: CalibrationRequest): Promise<Calibration> {
  const { env, backend, threads } = r;
  const key = calibrationKey(backend, threads, env.machine, env.version);
  if (!r.recalibrate) {
    const cached = parseCalibration((await env.cache?.read(key)) ?? null);
    if (cached) return cached;
  }
  const room = r.budgetBytes == null ? Number.POSITIVE_INFINITY : r.budgetBytes - (env.residentBytes?.() ?? 0);
  if (!env.cache || env.shippedOnly || room < PROBE_BYTES) {
    const why = env.shippedOnly ?? (env.cache ? 'the memory budget leaves no room for the probes' : 'nowhere to keep a measurement');
    r.log?.(`plan: using the shipped calibration (${why})`);
    return shippedCalibration(backend, threads);
  }
  r.log?.(`plan: calibrating time and memory on ${backend} with ${threads} thread(s), once for this machine (a few seconds)`);
  const measured = await measureCalibration(r);
  await env.cache.write(key, JSON.stringify(measured));
  return measured;
}

/** Runs the probes and fits the calibration's lines. */
export async function measureCalibration(r: CalibrationRequest): Promise<Calibration> {
  const { env } = r;
  const baseline = env.residentBytes?.() ?? 0;
  const [small, large] = r.sides ?? PROBE_SIDES;
  const clock = r.backend === 'cpu' && env.cpuSeconds ? 'cpu' : 'wall';
  const points = [await probe(r, small, clock, null), await probe(r, large, clock, baseline)];
  const fitted = calibrationFrom(points[0], points[1], shippedCalibration(r.backend, r.threads));
  return { ...fitted, clock, measuredAt: new Date().toISOString(), machine: env.machine, version: env.version };
}

/**
 * One probe: its static cost, its median seconds per step — CPU time ÷ threads on the CPU backend
 * when the process's CPU time is known (what the step costs when it has the cores to itself),
 * else wall time — and, measured against `baseline` (null: not), the peak resident bytes it adds.
 */
async function probe(r: CalibrationRequest, side: number, clock: 'cpu' | 'wall', baseline: number | null): Promise<ProbePoint> {
  const { env } = r;
  const request = probeRequest(side, r.backend, r.threads);
  const cost = await stepCostAt(request, side, side);
  const measureMemory = baseline !== null && r.backend === 'cpu' && !!env.peakResidentBytes;
  if (measureMemory) env.resetPeak?.();
  const cpu: number[] = [];
  const onProgress = clock === 'cpu' ? () => void cpu.push(env.cpuSeconds!()) : undefined;
  const result = await restoreSingle(r.platform, request, { onProgress });
  const seconds = clock === 'cpu' ? medianDelta(cpu) / r.threads : medianStepSeconds(result.history);
  return { cost, seconds, bytes: measureMemory ? env.peakResidentBytes!() - baseline! : undefined };
}

/** Median difference of consecutive readings after the first (whose step includes warm-up). */
function medianDelta(readings: readonly number[]): number {
  const d = readings
    .slice(1)
    .map((v, i) => v - readings[i])
    .sort((a, b) => a - b);
  return d.length ? d[Math.floor(d.length / 2)] : 0;
}

/** Median seconds between consecutive steps after the first (which includes warm-up). */
export function medianStepSeconds(history: readonly HistoryEntry[]): number {
  return history.length > 1 ? medianDelta(history.map((h) => h.seconds)) : (history[0]?.seconds ?? 0);
}

/** The default denoising fit of a synthetic noisy gradient of `side`² pixels. */
function probeRequest(side: number, backend: BackendName, threads: number): RestoreOptions {
  const image = createImage(side, side, 3);
  const rng = new Rng(side);
  for (let i = 0; i < image.data.length; i++) image.data[i] = Math.min(1, Math.max(0, (i % (3 * side)) / (3 * side) + 0.1 * rng.normal()));
  return { task: 'denoise', image, stop: 'fixed', iterations: PROBE_STEPS, backend, threads, seed: 0 };
}
