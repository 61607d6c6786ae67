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
 * Convolution FLOPs that take as long as streaming one byte through the other operators, fitted
 * (`npx tsx bench/stream-weight.ts`) to the CPU seconds per step of 18 measured configurations: six
 * denoise networks from the fast preset to lite and drp at 1024×768 and 512×384, and denoise and inpaint
 * at 256², 512² and 1024×768. With 46 every row is within −9 … +17 %; the 6 this replaced (read off one
 * profile's op times) put inpaint at 1024×768 38 % and lite 3× too slow, since a byte the graph streams
 * costs more than the profile's elementwise passes suggested.
 */
export const STREAM_WEIGHT = 46;

/** Changes when what a calibration means changes, so older cached ones are measured again. */
const CALIBRATION_MODEL = 4;

export type CalibrationSource = 'measured' | 'cached' | 'shipped';

export interface Calibration {
  backend: BackendName;
  threads: number;
  source: CalibrationSource;
  /**
   * What the seconds are: 'cpu' = CPU time per step ÷ threads (the step with the cores to itself;
   * other programs sharing them make it longer), 'wall' = elapsed time (GPU backends).
   */
  clock?: 'cpu' | 'wall';
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
 * The development machine (2-core x86-64 VM, AVX2), 2 threads, CPU provider: time from
 * `npx tsx bench/stream-weight.ts --overhead 0.06` (4.0·10⁻¹² CPU seconds per work unit with the
 * per-step overhead held at 0.06 CPU seconds, every row within −15 … +20 %; halved for two threads).
 * The free fit's overhead, 0.15 CPU seconds, is an artefact of fitting large steps: it made the plan
 * of the 128² demo 1.8× its measured step. Memory from the peak RSS at 256², 512² and 1024×768 (a
 * line through all three within 1 %).
 */
export const SHIPPED_CPU: Omit<Calibration, 'backend' | 'threads' | 'source' | 'memorySource'> = {
  secondsPerWork: 2.0e-12,
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
    clock: backend === 'cpu' ? 'cpu' : 'wall',
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

/**
 * The calibration two probes give. Time: the line through both, unless its intercept (the per-step
 * overhead) is negative or above half the small probe's step, a sign that the machine's load changed
 * between the probes; then the line from the shipped overhead through the larger probe. Memory:
 * the slope from the larger probe over the shipped fixed part (ONNX Runtime's session and the loop's
 * buffers), because the peak RSS of one fit varies by ±50 MB with the arena's growth steps: through
 * two probes 256² apart that moved the slope by ±0.2 (±20 % at 1024×768), through one it moves ±0.07.
 * Without bytes (no RSS to read, GPU memory) the shipped memory line stays.
 */
export function calibrationFrom(small: ProbePoint, large: ProbePoint, base: Calibration): Calibration {
  const line = fitLine(stepWork(small.cost), small.seconds, stepWork(large.cost), large.seconds);
  const anchored = line.intercept <= small.seconds / 2 && line.intercept > 0 ? line : throughLarge(large.seconds, stepWork(large.cost), base.secondsPerStep);
  const memory = large.bytes !== undefined ? throughLarge(large.bytes, graphBytes(large.cost), base.fixedBytes) : null;
  return {
    ...base,
    source: 'measured',
    secondsPerWork: anchored.slope,
    secondsPerStep: anchored.intercept,
    ...(memory && { bytesPerGraphByte: memory.slope, fixedBytes: memory.intercept, memorySource: 'measured' as const }),
  };
}

/** The line through (x, y) with the given intercept (none, when that leaves no positive slope). */
function throughLarge(y: number, x: number, intercept: number): { slope: number; intercept: number } {
  return y > intercept ? { slope: (y - intercept) / x, intercept } : { slope: y / x, intercept: 0 };
}

/** The key a calibration is cached under. */
export function calibrationKey(backend: BackendName, threads: number, machine = '', version = ''): string {
  return JSON.stringify({ model: CALIBRATION_MODEL, backend, threads, machine, version });
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
