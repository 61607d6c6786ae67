/** Stopping rules on synthetic statistics (fast, deterministic). */
import { describe, expect, it } from 'vitest';
import { WmvStopper } from '../src/stop/wmv.js';
import { DiscrepancyStopper } from '../src/stop/discrepancy.js';
import { RatioStopper } from '../src/stop/ratio.js';

/** Drives a WMV stopper the way the step graph does (window sums computed here in float64). */
function driveWmv(stopper: WmvStopper, frames: Float32Array[]): number | null {
  let sum = new Float32Array(frames[0].length);
  for (let t = 0; t < frames.length; t++) {
    const { wmv_oldest } = stopper.feeds(t + 1);
    const next = sum.map((s, i) => s + frames[t][i] - wmv_oldest[i]);
    const sq = frames[t].reduce((a, v) => a + v * v, 0);
    const sumSq = next.reduce((a, v) => a + v * v, 0);
    sum = next;
    const outputs = { output: frames[t], wmv_sum_next: next, wmv_sq: Float32Array.of(sq), wmv_sum_sq: Float32Array.of(sumSq) };
    if (stopper.observe({ iteration: t + 1, estimate: frames[t], outputs })) return t + 1;
  }
  return null;
}

describe('stopping rules', () => {
  it('ES-WMV: picks the iterate of minimal windowed variance and stops after the patience', () => {
    // Outputs jitter with an amplitude that falls until t = 300, then rises (fitting noise).
    const frames = Array.from({ length: 900 }, (_, t) => {
      const amp = 0.05 + Math.abs(t - 300) / 1000;
      return Float32Array.from({ length: 8 }, (_, i) => 0.5 + amp * Math.sin(1.7 * t + i));
    });
    const s = new WmvStopper(8, 50, 200);
    const stoppedAt = driveWmv(s, frames);
    const pick = s.best()!;
    expect(pick.iteration).toBeGreaterThan(290);
    expect(pick.iteration).toBeLessThan(360);
    expect(stoppedAt).toBe(pick.iteration + 200);
    expect(s.describe()).toMatch(/stopped at/);
  });

  it('ES-WMV: the window variance equals a direct computation', () => {
    const frames = Array.from({ length: 20 }, (_, t) => Float32Array.from({ length: 4 }, (_, i) => Math.cos(t * 0.3 + i)));
    const s = new WmvStopper(4, 5, 100);
    driveWmv(s, frames);
    const last = s.variances[s.variances.length - 1];
    const win = frames.slice(15, 20);
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const m = win.reduce((a, f) => a + f[i], 0) / 5;
      v += win.reduce((a, f) => a + (f[i] - m) ** 2, 0) / 5;
    }
    expect(last.iteration).toBe(20);
    expect(last.variance).toBeCloseTo(v / 4, 6);
  });

  it('ratio rule: stops once the blur/sharpness ratio settles (window n, ε)', () => {
    const s = new RatioStopper(10, 0.01);
    let stopped = 0;
    for (let t = 1; t <= 200 && !stopped; t++) {
      const blur = t < 60 ? 1 - t / 100 : 0.4;
      const outputs = { blur: Float32Array.of(blur), sharp: Float32Array.of(1) };
      if (s.observe({ iteration: t, estimate: new Float32Array(1), outputs })) stopped = t;
    }
    // Settled from t = 60 on: the two windows agree once both lie (almost) after it.
    expect(stopped).toBeGreaterThan(60);
    expect(stopped).toBeLessThan(85);
    expect(s.best()!.iteration).toBe(stopped);
  });

  it('discrepancy: stops at the first iteration after the warm-up where the smoothed loss reaches σ²', () => {
    const sigma = 0.1;
    // Loss falls linearly from 3σ² to 0.5σ² over 400 iterations; with smoothing 0 the rule fires where it crosses σ².
    const s = new DiscrepancyStopper(sigma, 1, 1, 0, 100);
    const lossAt = (t: number) => sigma ** 2 * (3 - (2.5 * t) / 400);
    let stopped = 0;
    for (let t = 1; t <= 400 && !stopped; t++) {
      if (s.observe({ iteration: t, estimate: Float32Array.of(t), outputs: { loss: Float32Array.of(lossAt(t)) } })) stopped = t;
    }
    expect(stopped).toBe(320);
    expect(s.best()!.output[0]).toBe(320);
    expect(s.statistic).toBeLessThanOrEqual(1);
    expect(s.describe()).toMatch(/reached the noise level \(σ ≈ 25.5\/255/);
  });

  it('discrepancy: a loss averaged over padding is rescaled; no noise means no stop', () => {
    const padded = new DiscrepancyStopper(0.1, 0.5, 1, 0, 0);
    // Half the values are padding: a loss of 0.6σ² over the canvas is 1.2σ² over the image, not yet there.
    expect(padded.observe({ iteration: 1, estimate: new Float32Array(1), outputs: { loss: Float32Array.of(0.006) } })).toBe(false);
    expect(padded.observe({ iteration: 2, estimate: new Float32Array(1), outputs: { loss: Float32Array.of(0.0049) } })).toBe(true);
    const clean = new DiscrepancyStopper(0, 1, 1, 0, 0);
    expect(clean.observe({ iteration: 1, estimate: new Float32Array(1), outputs: { loss: Float32Array.of(0) } })).toBe(false);
  });
});
