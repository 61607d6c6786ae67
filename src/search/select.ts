/**
 * The cohort selection of ISNAS-DIP (methods.md §2.4), as pure functions: keep the K candidates with
 * the lowest metric, fit each (elsewhere), average their outputs weighted by how good their metric
 * was, and pick the candidate whose output is closest (highest PSNR) to that average. The final
 * full-resolution fit then starts the chosen genotype from scratch (the official script instead
 * retrains the loop's last cohort member, whatever was chosen).
 */
import { YCBCR_Y_WEIGHTS } from '../image/image.js';

/** Indices of the k lowest values, best first; NaN counts as worst; ties keep the earlier index. */
export function topK(values: readonly number[], k: number): number[] {
  const key = (i: number) => (Number.isNaN(values[i]) ? Infinity : values[i]);
  const order = values.map((_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
  return order.slice(0, Math.max(0, k));
}

/**
 * Weight (max − m)/(max − min) per cohort member: 1 for the best metric, 0 for the worst. Equal
 * weights when every value is the same (the official formula divides by zero there).
 */
export function cohortWeights(metrics: readonly number[]): number[] {
  const lo = Math.min(...metrics);
  const hi = Math.max(...metrics);
  if (!(hi > lo)) return metrics.map(() => 1);
  return metrics.map((m) => (hi - m) / (hi - lo));
}

/** Σ wᵢ·outputᵢ / Σ wᵢ, in double precision. */
export function weightedAverage(outputs: readonly Float32Array[], weights: readonly number[]): Float32Array {
  if (outputs.length === 0 || outputs.length !== weights.length) throw new RangeError(`weightedAverage: ${outputs.length} outputs, ${weights.length} weights`);
  const n = outputs[0].length;
  const sum = new Float64Array(n);
  let total = 0;
  outputs.forEach((o, k) => {
    if (o.length !== n) throw new RangeError(`weightedAverage: output ${k} has ${o.length} values, not ${n}`);
    total += weights[k];
    for (let i = 0; i < n; i++) sum[i] += weights[k] * o[i];
  });
  return Float32Array.from(sum, (v) => v / total);
}

/**
 * PSNR (data range 1) between planar images; 'y' compares BT.601 luma of RGB planes (the paper's
 * rule for colour super-resolution), the constant offset of Y cancelling.
 */
export function planarPsnr(a: Float32Array, b: Float32Array, channels: number, channel: 'rgb' | 'y' = 'rgb'): number {
  if (a.length !== b.length) throw new RangeError(`planarPsnr: ${a.length} vs ${b.length} values`);
  let s = 0;
  if (channel === 'y' && channels === 3) {
    const plane = a.length / 3;
    const [wr, wg, wb] = YCBCR_Y_WEIGHTS.map((w) => w / 255);
    for (let i = 0; i < plane; i++) {
      const d = wr * (a[i] - b[i]) + wg * (a[plane + i] - b[plane + i]) + wb * (a[2 * plane + i] - b[2 * plane + i]);
      s += d * d;
    }
    s /= plane;
  } else {
    for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
    s /= a.length;
  }
  return s === 0 ? Infinity : -10 * Math.log10(s);
}

/**
 * What a member's output is compared with: `average`, the weighted average of the whole cohort, its
 * own output included (ISNAS-DIP as published); `leave-one-out`, the weighted average of the others.
 * Beyond the paper: with a small cohort the best-screened member carries weight 1 and the worst 0, so
 * the full average leans towards the heaviest members and "closest to the average" tends to pick
 * the best-screened one; leaving each member out of its own comparison removes that pull.
 */
export const SELECTION_RULES = ['average', 'leave-one-out'] as const;
export type SelectionRule = (typeof SELECTION_RULES)[number];

/**
 * Each output's PSNR against the weighted average of the others (equal weights where the others'
 * weights are all 0). A cohort of one has no others: its score is Infinity, as against itself.
 */
export function leaveOneOutScores(outputs: readonly Float32Array[], weights: readonly number[], channels: number, channel: 'rgb' | 'y' = 'rgb'): number[] {
  if (outputs.length < 2) return outputs.map(() => Infinity);
  const n = outputs[0].length;
  const weighted = new Float64Array(n);
  const plain = new Float64Array(n);
  const total = weights.reduce((a, b) => a + b, 0);
  outputs.forEach((o, k) => {
    for (let i = 0; i < n; i++) {
      weighted[i] += weights[k] * o[i];
      plain[i] += o[i];
    }
  });
  return outputs.map((o, k) => {
    const rest = total - weights[k];
    const others =
      rest > 0 ? Float32Array.from(weighted, (v, i) => (v - weights[k] * o[i]) / rest) : Float32Array.from(plain, (v, i) => (v - o[i]) / (outputs.length - 1));
    return planarPsnr(o, others, channels, channel);
  });
}

export interface Selection {
  /** Position in the cohort of the chosen member. */
  chosen: number;
  average: Float32Array;
  weights: number[];
  /** PSNR of each member's output against the average (with `leave-one-out`, against the others'). */
  psnr: number[];
  /** Both rules' scores, whichever chose. */
  psnrByRule: Record<SelectionRule, number[]>;
}

/** The member whose (fitted) output is closest to the metric-weighted average of the outputs (see SelectionRule). */
export function closestToAverage(
  outputs: readonly Float32Array[],
  metrics: readonly number[],
  channels: number,
  channel: 'rgb' | 'y' = 'rgb',
  rule: SelectionRule = 'average',
): Selection {
  const weights = cohortWeights(metrics);
  const average = weightedAverage(outputs, weights);
  const psnrByRule = {
    average: outputs.map((o) => planarPsnr(o, average, channels, channel)),
    'leave-one-out': leaveOneOutScores(outputs, weights, channels, channel),
  };
  const psnr = psnrByRule[rule];
  let chosen = 0;
  for (let i = 1; i < psnr.length; i++) if (psnr[i] > psnr[chosen]) chosen = i;
  return { chosen, average, weights, psnr, psnrByRule };
}
