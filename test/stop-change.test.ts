/** The change rule on scripted estimate sequences, its sums computed here in float64 as the step graph would. */
import { describe, expect, it } from 'vitest';
import { ChangeStopper, isLook, nextLook } from '../src/stop/change.js';
import { Rng } from '../src/util/random.js';

const N = 1024;
const base = 40;
const jitterWindow = 30;

/** Runs the rule over x(1), x(2), … up to `last`; returns the iteration it fired at (0 = never). */
function drive(stopper: ChangeStopper, x: (t: number) => Float32Array, last: number): number {
  for (let t = 1; t <= last; t++) {
    const refs = stopper.feeds(t);
    const xt = x(t);
    const se = (ref: Float32Array) => xt.reduce((a, v, i) => a + (v - ref[i]) ** 2, 0);
    const outputs = { change_long: Float32Array.of(se(refs.change_ref_long)), change_short: Float32Array.of(se(refs.change_ref_short)) };
    if (stopper.observe({ iteration: t, estimate: xt, outputs })) return t;
  }
  return 0;
}

function rule(options: { margin?: number; patience?: number } = {}) {
  return new ChangeStopper(N, 1, { smoothed: true, width: N, height: 1 }, { base, jitterWindow, ...options });
}

/** An estimate approaching `target` as `approach(t)` (in [0, 1]) plus a fresh jitter of RMS `jitter` at every step. */
function sequence(approach: (t: number) => number, jitter: number, seed = 1): (t: number) => Float32Array {
  const target = Float32Array.from({ length: N }, (_, i) => 0.5 + 0.3 * Math.sin(i));
  const cache = new Map<number, Float32Array>();
  return (t) => {
    if (!cache.has(t)) {
      const rng = new Rng(seed * 100003 + t);
      const a = approach(t);
      cache.set(
        t,
        Float32Array.from(target, (v) => v * (1 - a) + 0.2 * a + jitter * rng.normal()),
      );
    }
    return cache.get(t)!;
  };
}

describe('change rule', () => {
  it('looks at base × 2, 3, 4, 6, 8, 12, …', () => {
    const looks = Array.from({ length: 1000 }, (_, i) => i + 1).filter((t) => isLook(t, base));
    expect(looks).toEqual([80, 120, 160, 240, 320, 480, 640, 960]);
    expect(nextLook(500, base)).toBe(640);
    expect(nextLook(0, base)).toBe(80);
  });

  it('fires once the estimate only jitters, two quiet looks in a row, and returns the estimate at the stop', () => {
    // Converges with a time constant of 60 iterations: by 480 the remaining drift (≈ 3e-5) is far under the jitter (1e-2).
    const x = sequence((t) => Math.exp(-t / 60), 0.01);
    const s = rule();
    const stopped = drive(s, x, 4000);
    const quietFrom = s.looks.findIndex((l) => l.drift <= 1.25 * l.jitter);
    expect(quietFrom).toBeGreaterThanOrEqual(0);
    // Every look before the stop that was quiet was followed by the stop or a loud look.
    expect(stopped).toBe(s.looks[quietFrom + 1].iteration);
    expect(stopped).toBeLessThanOrEqual(640);
    expect(s.best()!.iteration).toBe(stopped);
    expect(Array.from(s.best()!.output)).toEqual(Array.from(x(stopped)));
    expect(s.describe()).toMatch(/stopped moving .* at iteration \d+/);
  });

  it('does not fire while the estimate still drifts more than it jitters (a slow power-law approach)', () => {
    const x = sequence((t) => Math.min(1, 2 / Math.sqrt(t)), 0.0005);
    const s = rule();
    expect(drive(s, x, 4000)).toBe(0);
    expect(s.looks.length).toBeGreaterThan(5);
    for (const l of s.looks) expect(l.drift).toBeGreaterThan(1.25 * l.jitter);
    expect(s.describe()).toMatch(/still moving/);
  });

  it('patience: one quiet look followed by a loud one fires nothing; the count starts again', () => {
    // Moves over [0, 300], rests until 700, moves again over [700, 1100], then rests for good.
    const position = (t: number) => Math.min(t, 300) / 300 + Math.min(Math.max(t - 700, 0), 400) / 800;
    const x = sequence(position, 0.01);
    const quietLooks = (s: ChangeStopper) => s.looks.filter((l) => l.drift <= 1.25 * l.jitter).map((l) => l.iteration);
    const two = rule({ patience: 2 });
    expect(drive(two, x, 8000)).toBe(3840);
    // 640 compares with 320 (both at rest): quiet, but 960 sees the second move and resets the count.
    expect(quietLooks(two)).toEqual([640, 2560, 3840]);
    const three = rule({ patience: 3 });
    expect(drive(three, x, 8000)).toBe(5120);
    expect(three.statistic).toBeCloseTo(three.looks.at(-1)!.drift / three.looks.at(-1)!.jitter, 10);
  });

  it('a fit without jitter stops once its half-run change is under half a grey level', () => {
    const x = sequence((t) => Math.exp(-t / 100), 0);
    const s = rule();
    const stopped = drive(s, x, 4000);
    const invisible = s.looks.filter((l) => l.drift <= 0.5 / 255);
    expect(stopped).toBe(invisible[1].iteration);
    // Before that the (deterministic) drift was visible and larger than the "jitter" over 30 iterations.
    expect(s.looks[0].drift).toBeGreaterThan(0.5 / 255);
  });
});
