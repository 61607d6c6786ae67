import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Graph } from '../src/graph/graph.js';
import { add, conv2d, gemmTransB, mul } from '../src/graph/index.js';
import { createImage } from '../src/image/image.js';
import { TASKS, type RestoreOptions } from '../src/options/index.js';
import { calibrationFor, measureCalibration } from '../src/plan/calibrate.js';
import { calibrationFrom, fitLine, graphBytes, parseCalibration, shippedCalibration, stepWork, type Calibration } from '../src/plan/calibration.js';
import { fileCache, nodePlanEnvironment } from '../src/plan/environment-node.js';
import { graphCost } from '../src/plan/graph-cost.js';
import { costCurve, stepCostAt } from '../src/plan/step-cost.js';
import { restoreSingle } from '../src/restore/single.js';
import type { Platform } from '../src/runtime/engine.js';
import { taskDefinition } from '../src/tasks/index.js';
import { effectiveSettings } from '../src/tasks/settings.js';
import { expectedIterations } from '../src/tasks/task.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { Rng } from '../src/util/random.js';

const MB = 2 ** 20;

function noisy(w: number, h: number, seed = 1) {
  const img = createImage(w, h, 3);
  new Rng(seed).fillUniform(img.data);
  return img;
}
const denoise = (side: number, extra: Partial<RestoreOptions> = {}): RestoreOptions => ({
  task: 'denoise',
  image: noisy(side, side),
  stop: 'fixed',
  iterations: 4,
  backend: 'cpu',
  threads: 2,
  ...extra,
});

describe('static step costs', () => {
  it("counts a convolution's and a matrix product's FLOPs from their shapes", () => {
    const g = new Graph();
    const x = g.input('x', [1, 2, 8, 8]);
    const w = g.input('w', [4, 2, 3, 3]);
    g.output(conv2d(x, w, null, { pads: 1 }), 'y');
    const a = g.input('a', [5, 7]);
    const b = g.input('b', [3, 7]);
    g.output(gemmTransB(a, b), 'z');
    // Conv: 4·8·8 outputs, each a 2·3·3 dot product; Gemm: 5·3 outputs of length 7; 2 FLOPs per multiply-add.
    expect(graphCost(g).convFlops).toBe(2 * 4 * 64 * 18 + 2 * 5 * 3 * 7);
  });

  it('the live-set peak: a value lives from its producer to its last consumer, outputs to the end', () => {
    const g = new Graph();
    const x = g.input('x', [1000]);
    const a = mul(x, 2);
    const b = add(a, 1);
    g.output(mul(b, b), 'c');
    const c = graphCost(g);
    // a, then a+b (a dies at Add), then b+c (b dies at the last Mul); the output's Identity aliases c.
    expect(c.peakLiveBytes).toBe(8000);
    expect(c.inputBytes).toBe(4000);
    expect(c.convFlops).toBe(0);
    // Bytes read and written: x·2 and a+1 read a 4-byte scalar too; b·b reads b twice.
    expect(c.streamBytes).toBe(8004 + 8004 + 12000);
  });

  it('grows with the image, and the curve of two builds matches an exact build elsewhere', async () => {
    const o = denoise(64);
    const costs = await Promise.all([64, 96, 160].map((s) => stepCostAt(o, s, s)));
    for (let i = 1; i < costs.length; i++) {
      expect(costs[i].peakLiveBytes).toBeGreaterThan(costs[i - 1].peakLiveBytes);
      expect(costs[i].convFlops).toBeGreaterThan(costs[i - 1].convFlops);
      expect(costs[i].inputBytes).toBeGreaterThan(costs[i - 1].inputBytes);
    }
    const exact = await stepCostAt(o, 320, 192);
    const curve = await costCurve(o);
    const at = curve.at(exact.canvas.width * exact.canvas.height);
    for (const k of ['peakLiveBytes', 'inputBytes', 'convFlops', 'streamBytes'] as const) expect(Math.abs(at[k] / exact[k] - 1)).toBeLessThan(0.01);
    expect(curve.canvasFor(320, 192)).toEqual(exact.canvas);
  });
});

describe('calibration', () => {
  it('lines through two probes; a noisy non-increasing pair falls back to a line through the origin', () => {
    expect(fitLine(1, 3, 3, 7)).toEqual({ slope: 2, intercept: 1 });
    expect(fitLine(1, 3, 3, 2)).toEqual({ slope: 1, intercept: 0 });
    expect(fitLine(1, 1, 3, 9)).toEqual({ slope: 3, intercept: 0 }); // the intercept would be negative
  });

  const cost = (s: number) => ({ inputBytes: s, peakLiveBytes: 3 * s, convFlops: 100 * s, streamBytes: 10 * s, nodes: 5 });
  const [a, b] = [cost(1e6), cost(4e6)];

  it('fits seconds to work through both probes, bytes to graph bytes through the larger over the fixed part', () => {
    const base: Calibration = { ...shippedCalibration('cpu', 2), fixedBytes: 5e7 };
    const cal = calibrationFrom(
      { cost: a, seconds: 0.01 + 1e-9 * stepWork(a), bytes: 4e7 + 1.6 * graphBytes(a) },
      { cost: b, seconds: 0.01 + 1e-9 * stepWork(b), bytes: 5e7 + 1.5 * graphBytes(b) },
      base,
    );
    expect(cal.secondsPerWork).toBeCloseTo(1e-9, 15);
    expect(cal.secondsPerStep).toBeCloseTo(0.01, 10);
    expect(cal.bytesPerGraphByte).toBeCloseTo(1.5, 10);
    expect(cal.fixedBytes).toBe(5e7);
    expect([cal.source, cal.memorySource]).toEqual(['measured', 'measured']);
  });

  it('a per-step overhead above half the small step (the load changed) falls back to the larger probe and the shipped overhead', () => {
    const base: Calibration = { ...shippedCalibration('cpu', 2), secondsPerStep: 0.02 };
    const cal = calibrationFrom({ cost: a, seconds: 1.0 }, { cost: b, seconds: 1.2 }, base);
    expect(cal.secondsPerStep).toBe(0.02);
    expect(cal.secondsPerWork).toBeCloseTo((1.2 - 0.02) / stepWork(b), 18);
    expect(cal.memorySource).toBe('shipped');
    expect(cal.bytesPerGraphByte).toBe(base.bytesPerGraphByte);
  });

  it('is cached in a file per key and read back; damaged entries are ignored', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'deep-prior-cal-'));
    const cache = fileCache(path.join(dir, 'deep-prior'));
    expect(await cache.read('k')).toBeNull();
    const cal: Calibration = { ...shippedCalibration('cpu', 2), source: 'measured', secondsPerWork: 3e-12 };
    await cache.write('k', JSON.stringify(cal));
    const back = parseCalibration(await cache.read('k'));
    expect(back).toMatchObject({ secondsPerWork: 3e-12, source: 'cached' });
    expect(await cache.read('other')).toBeNull();
    expect(parseCalibration('{"secondsPerWork": -1}')).toBeNull();
    expect(parseCalibration('not json')).toBeNull();
  });

  it('a cached calibration is used without running anything; shippedOnly uses the shipped one', async () => {
    const untouchable = {
      loadOrt: () => {
        throw new Error('no probe should run');
      },
    } as unknown as Platform;
    const stored: Calibration = { ...shippedCalibration('cpu', 3), source: 'measured', secondsPerWork: 7e-12 };
    const cache = { location: 'memory', read: async () => JSON.stringify(stored), write: async () => {} };
    const cached = await calibrationFor({ platform: untouchable, backend: 'cpu', threads: 3, env: { cache } });
    expect(cached).toMatchObject({ source: 'cached', secondsPerWork: 7e-12 });
    const lines: string[] = [];
    const shipped = await calibrationFor({ platform: untouchable, backend: 'cpu', threads: 3, env: { shippedOnly: 'a test' }, log: (m) => lines.push(m) });
    expect(shipped.source).toBe('shipped');
    expect(lines[0]).toMatch(/shipped calibration \(a test\)/);
  });

  it('measured at two small sizes, predicts a third within 30 % (memory, CPU time per step ÷ threads)', async () => {
    const env = { ...nodePlanEnvironment(), cache: undefined };
    const baseline = env.residentBytes!();
    const cal = await measureCalibration({ platform: nodePlatform, backend: 'cpu', threads: 2, env, sides: [96, 192] });
    expect([cal.memorySource, cal.clock]).toEqual(['measured', 'cpu']);
    const o = denoise(144, { iterations: 6 });
    const cost = await stepCostAt(o, 144, 144);
    env.resetPeak!();
    const cpu: number[] = [];
    await restoreSingle(nodePlatform, o, { onProgress: () => void cpu.push(env.cpuSeconds!()) });
    const bytes = env.peakResidentBytes!() - baseline;
    const steps = cpu
      .slice(1)
      .map((c, i) => c - cpu[i])
      .sort((x, y) => x - y);
    const seconds = steps[Math.floor(steps.length / 2)] / 2;
    const predictedBytes = cal.bytesPerGraphByte * graphBytes(cost) + cal.fixedBytes;
    const predictedSeconds = cal.secondsPerWork * stepWork(cost) + cal.secondsPerStep;
    const report = `memory ${(predictedBytes / MB).toFixed(0)} vs ${(bytes / MB).toFixed(0)} MB, time ${predictedSeconds.toFixed(3)} vs ${seconds.toFixed(3)} s`;
    expect(Math.abs(predictedBytes / bytes - 1), report).toBeLessThan(0.3);
    expect(Math.abs(predictedSeconds / seconds - 1), report).toBeLessThan(0.3);
  });
});

describe('expected iterations', () => {
  const at = (o: Partial<RestoreOptions>) => {
    const request = { ...denoise(128), stop: undefined, iterations: undefined, ...o } as RestoreOptions;
    return expectedIterations(taskDefinition(request.task), effectiveSettings(request), request);
  };

  it('denoise: where the discrepancy rule stopped on the images and presets it was measured on, else the ceiling', () => {
    expect(at({ preset: 'fast' })).toBe(774);
    expect(at({ preset: 'paper' })).toBe(774);
    expect(at({ preset: 'fast', iterations: 500 })).toBe(500);
    // Not measured: the boost schedule (lite), the controlled decoder, another rule, --stop fixed.
    expect(at({ preset: 'lite' })).toBe(taskDefinition('denoise').presets.lite!.iterations);
    expect(at({ preset: 'controlled' })).toBe(taskDefinition('denoise').presets.controlled!.iterations);
    expect(at({ preset: 'fast', stopRule: 'wmv' })).toBe(1800);
    expect(at({ preset: 'fast', stop: 'fixed' })).toBe(1800);
    // Above the 128² crops it was measured on (on a 256² crop it did not fire within 1800).
    expect(at({ preset: 'fast', image: noisy(256, 256) })).toBe(1800);
  });

  it('lie within every preset budget of every task', () => {
    for (const name of TASKS) {
      const task = taskDefinition(name);
      for (const [preset, settings] of Object.entries(task.presets)) {
        const o = { task: name, image: noisy(64, 64), preset } as RestoreOptions;
        const n = expectedIterations(task, { ...settings, stop: 'auto', stopRule: task.stopRule }, o);
        expect(n, `${name} ${preset}`).toBeGreaterThan(0);
        expect(n, `${name} ${preset}`).toBeLessThanOrEqual(settings.iterations);
      }
    }
  });
});
