/**
 * The calibration that turns a step graph's static costs (graph-cost.ts) into seconds and bytes on
 * one backend: two straight lines fitted to steps measured at two small sizes (calibrate.ts).
 *   seconds per step = secondsPerWork · (convFlops + STREAM_WEIGHT · streamBytes) + secondsPerStep
 *   bytes of a fit   = bytesPerGraphByte · (inputBytes + peakLiveBytes) + fixedBytes
 * The second is what the fit adds to the process's resident memory (ONNX Runtime's arena, the feeds
 * and outputs held by the loop). Shipped values, measured on the development machine, stand in when
 * nothing can be measured; the plan says which were used.
 */
import type { BackendName } from '../runtime/engine.js';
import type { GraphCost } from './graph-cost.js';

/**
 * Floating-point operations that take as long as streaming one byte through an elementwise
 * operator: the 256² × 128 profile of docs/PERFORMANCE.md spent 724 ms on 116 GFLOP of Conv and
 * Gemm and 440 ms on 11.3 GB of other traffic, about 6 FLOP per byte.
 */
export const STREAM_WEIGHT = 6;

export type CalibrationSource = 'measured' | 'cached' | 'shipped';

export interface Calibration {
  backend: BackendName;
  threads: number;
  source: CalibrationSource;
  /** Whether the memory line was measured here or is the shipped one (GPU memory, no /proc). */
  memorySource: 'measured' | 'shipped';
  secondsPerWork: number;
  secondsPerStep: number;
  bytesPerGraphByte: number;
  fixedBytes: number;
  /** When and on what it was measured (absent for shipped values). */
  measuredAt?: string;
  machine?: string;
  version?: string;
}

/** One measured probe: its static cost, median seconds per step, bytes added to the process. */
export interface ProbePoint {
  cost: GraphCost;
  seconds: number;
  bytes?: number;
}

/** Work units of a step (FLOP-equivalents). */
export function stepWork(c: Pick<GraphCost, 'convFlops' | 'streamBytes'>): number {
  return c.convFlops + STREAM_WEIGHT * c.streamBytes;
}

export function graphBytes(c: Pick<GraphCost, 'inputBytes' | 'peakLiveBytes'>): number {
  return c.inputBytes + c.peakLiveBytes;
}

/**
 * The development machine (2-core x86-64 VM, AVX2), 2 threads, CPU provider, default denoise fit:
 * time from 1024×768 (work 5.4·10¹¹, about 5.0 s per iteration: 10–11 s of CPU time per step on 2
 * threads); memory from the peak RSS at 256², 512² and 1024×768 (a line through all three within 1 %).
 */
export const SHIPPED_CPU: Omit<Calibration, 'backend' | 'threads' | 'source' | 'memorySource'> = {
  secondsPerWork: 9.2e-12,
  secondsPerStep: 0.03,
  bytesPerGraphByte: 1.44,
  fixedBytes: 142 * 2 ** 20,
};

/** The shipped calibration for a backend and thread count (CPU speed scales with threads, up to 16). */
export function shippedCalibration(backend: BackendName, threads: number): Calibration {
  const speedup = Math.min(threads, 16) / 2;
  return {
    ...SHIPPED_CPU,
    secondsPerWork: SHIPPED_CPU.secondsPerWork / speedup,
    backend,
    threads,
    source: 'shipped',
    memorySource: 'shipped',
  };
}

/**
 * A line through two points (x, y), refusing what would extrapolate badly: a non-positive slope
 * (noise swamped the difference) becomes a line through the origin and the larger point.
 */
export function fitLine(x1: number, y1: number, x2: number, y2: number): { slope: number; intercept: number } {
  const slope = (y2 - y1) / (x2 - x1);
  const intercept = y1 - slope * x1;
  if (!(slope > 0) || !Number.isFinite(slope)) return { slope: Math.max(y2, y1) / Math.max(x2, x1), intercept: 0 };
  if (intercept < 0) return { slope: y2 / x2, intercept: 0 };
  return { slope, intercept };
}

/** The calibration two probes give; memory from the shipped line when they carry no bytes. */
export function calibrationFrom(small: ProbePoint, large: ProbePoint, base: Calibration): Calibration {
  const time = fitLine(stepWork(small.cost), small.seconds, stepWork(large.cost), large.seconds);
  const memory =
    small.bytes !== undefined && large.bytes !== undefined ? fitLine(graphBytes(small.cost), small.bytes, graphBytes(large.cost), large.bytes) : null;
  return {
    ...base,
    source: 'measured',
    secondsPerWork: time.slope,
    secondsPerStep: time.intercept,
    ...(memory && { bytesPerGraphByte: memory.slope, fixedBytes: memory.intercept, memorySource: 'measured' as const }),
  };
}

/** The key a calibration is cached under. */
export function calibrationKey(backend: BackendName, threads: number, machine = '', version = ''): string {
  return JSON.stringify({ backend, threads, machine, version });
}

/** A cached calibration read back; null when it is not one (an old or damaged file). */
export function parseCalibration(text: string | null): Calibration | null {
  if (!text) return null;
  try {
    const c = JSON.parse(text) as Calibration;
    const numbers = [c.secondsPerWork, c.secondsPerStep, c.bytesPerGraphByte, c.fixedBytes];
    return numbers.every((n) => typeof n === 'number' && Number.isFinite(n) && n >= 0) && c.secondsPerWork > 0 ? { ...c, source: 'cached' } : null;
  } catch {
    return null;
  }
}
