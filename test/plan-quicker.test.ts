import { describe, expect, it } from 'vitest';
import { createImage } from '../src/image/image.js';
import type { RestoreOptions } from '../src/options/index.js';
import type { PlanEnvironment } from '../src/plan/environment.js';
import { planLines } from '../src/plan/format.js';
import { LONG_RUN_SECONDS, PREVIEW_SECONDS, quickerRun } from '../src/plan/quicker-run.js';
import type { Plan } from '../src/plan/types.js';
import { planWith } from '../src/restore/index.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { CLI_NAMING } from '../src/cli/flags.js';
import { InputError } from '../src/util/errors.js';

const request = (w: number, h: number, extra: Partial<RestoreOptions> = {}): RestoreOptions => ({
  task: 'denoise',
  image: createImage(w, h, 3),
  backend: 'cpu',
  threads: 2,
  ...extra,
});

/** A plan whose only figure that matters here is its total. */
const planOf = (totalSeconds: number) => ({ totalSeconds }) as Plan;

/** A stand-in for planning: seconds per pixel by preset (lite ten times cheaper), and the sizes asked for. */
function fakePlanner(perPixel: { fast: number; lite: number }, refuseAbove = Number.POSITIVE_INFINITY) {
  const asked: string[] = [];
  const planAt = async (o: RestoreOptions) => {
    const preset = o.preset ?? 'auto';
    asked.push(`${o.image.width}x${o.image.height}:${preset}`);
    if (o.image.width * o.image.height > refuseAbove) throw new InputError('does not fit', { code: 'MEMORY_BUDGET' });
    return planOf(o.image.width * o.image.height * (preset === 'lite' ? perPixel.lite : perPixel.fast));
  };
  return { planAt, asked };
}

describe('the quicker run a long plan offers', () => {
  it('none for a plan of at most half an hour, without planning anything', async () => {
    const { planAt, asked } = fakePlanner({ fast: 1, lite: 1 });
    expect(await quickerRun(request(4000, 3000), planOf(LONG_RUN_SECONDS), planAt)).toBeNull();
    expect(asked).toEqual([]);
  });

  it('the whole image with the cheaper preset first, when that fits the preview time', async () => {
    const pixels = 2048 * 1536;
    const { planAt, asked } = fakePlanner({ fast: 3600 / pixels, lite: 300 / pixels });
    const q = await quickerRun(request(2048, 1536), planOf(3600), planAt);
    expect(q).toEqual({ preset: 'lite', width: 2048, height: 1536, factor: 1, totalSeconds: 300 });
    expect(asked).toEqual(['2048x1536:lite']);
  });

  it('else the largest copy that fits, trying the own preset before the cheaper one at each size', async () => {
    // fast: 1 s per 1000 pixels, lite: 10× cheaper; PREVIEW_SECONDS = 600 s ⇒ fast fits ≤ 600 000 pixels, lite ≤ 6 000 000.
    const { planAt, asked } = fakePlanner({ fast: 1e-3, lite: 1e-4 }, 4_000_000);
    const q = await quickerRun(request(6000, 4000), planOf(24_000), planAt);
    // The whole image (24 MP), 4096×2731 and 3072×2048 are refused (over 4 MP); 2048×1365 fits with lite (280 s), not with fast (2800 s).
    expect(q).toMatchObject({ maxSize: 2048, preset: 'lite', width: 2048, height: 1365, factor: 6000 / 2048 });
    expect(q!.totalSeconds).toBeLessThanOrEqual(PREVIEW_SECONDS);
    expect(asked).toEqual(['6000x4000:lite', '4096x2731:auto', '4096x2731:lite', '3072x2048:auto', '3072x2048:lite', '2048x1365:auto', '2048x1365:lite']);
  });

  it('a preset the user chose is kept: only smaller copies are offered', async () => {
    const { planAt, asked } = fakePlanner({ fast: 1e-3, lite: 1e-4 });
    const q = await quickerRun(request(2000, 1000, { preset: 'paper' }), planOf(7200), planAt);
    // 1536×768 takes 1180 s, 1024×512 524 s.
    expect(q).toMatchObject({ maxSize: 1024, width: 1024, height: 512 });
    expect(q!.preset).toBeUndefined();
    expect(asked.every((a) => a.endsWith(':paper'))).toBe(true);
  });

  it('no copy smaller than a quarter of the long side is offered', async () => {
    const { planAt, asked } = fakePlanner({ fast: 1, lite: 1 });
    expect(await quickerRun(request(2000, 1500, { task: 'inpaint' }), planOf(7200), planAt)).toBeNull();
    // 1536, 1024, 768 and 512 (a factor of 3.9) are tried; 384 (5.2) is not.
    expect(asked.map((a) => a.split('x')[0])).toEqual(['1536', '1024', '768', '512']);
  });

  it('where no copy fits the preview time, the quickest that is not itself a long run; none if every one is', async () => {
    // fast: 1 s per 1000 pixels, lite: 10× cheaper. 6000×4000 down to a quarter (1536×1024): lite takes 157 s at 1536×1024…
    // so ask for a machine 8× slower: 1258 s, over the preview time, under the half hour.
    const { planAt } = fakePlanner({ fast: 8e-3, lite: 8e-4 });
    const q = await quickerRun(request(6000, 4000), planOf(200_000), planAt);
    expect(q).toMatchObject({ maxSize: 1536, preset: 'lite', width: 1536, height: 1024 });
    expect(q!.totalSeconds).toBeCloseTo(1536 * 1024 * 8e-4, 6);
    expect(q!.totalSeconds).toBeGreaterThan(PREVIEW_SECONDS);
    // Twice slower again: every copy is a long run itself.
    const slower = fakePlanner({ fast: 20e-3, lite: 2e-3 });
    expect(await quickerRun(request(6000, 4000), planOf(500_000), slower.planAt)).toBeNull();
  });

  it('a planning defect is not mistaken for a refusal', async () => {
    const planAt = async () => {
      throw new TypeError('bug');
    };
    await expect(quickerRun(request(3000, 2000), planOf(10_000), planAt)).rejects.toThrow('bug');
  });
});

describe('a long plan with its quicker run', () => {
  // Shipped calibration, nothing cached: deterministic.
  const env: PlanEnvironment = { residentBytes: () => 200 * 2 ** 20 };

  it('offers a run that, planned as given, takes what the offer says, within the preview time', async () => {
    const big = request(2400, 1600, { maxMemory: 64 * 2 ** 30 });
    const plan = await planWith(nodePlatform, big, {}, env);
    expect(plan.totalSeconds).toBeGreaterThan(LONG_RUN_SECONDS);
    const q = plan.quickerRun!;
    expect(q).toBeDefined();
    expect(q.totalSeconds).toBeLessThanOrEqual(PREVIEW_SECONDS);
    const taken = await planWith(
      nodePlatform,
      { ...big, ...(q.maxSize && { maxSize: q.maxSize }), ...(q.preset && { preset: q.preset as RestoreOptions['preset'] }) },
      {},
      env,
    );
    expect(taken.totalSeconds).toBeCloseTo(q.totalSeconds, 6);
    expect(taken.quickerRun).toBeUndefined();
    const line = planLines(plan, CLI_NAMING).find((l) => l.includes('quicker'));
    expect(line).toContain(q.maxSize ? `--max-size ${q.maxSize}` : `--preset ${q.preset}`);
  });

  it('a short plan has none', async () => {
    const plan = await planWith(nodePlatform, request(128, 128), {}, env);
    expect(plan.totalSeconds).toBeLessThan(LONG_RUN_SECONDS);
    expect(plan.quickerRun).toBeUndefined();
  });
});
