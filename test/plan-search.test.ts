/**
 * The plan of an `arch: 'auto'` run: the search's phases before the fit, each planned by the ordinary
 * planner for the typical cross-skip network (the same figures as planning that network directly),
 * the fit after it, and the total of both; printed before the search starts.
 */
import { describe, expect, it } from 'vitest';
import { CLI_NAMING } from '../src/cli/flags.js';
import { typicalGenotype } from '../src/autoarch/plan.js';
import { cohortSize } from '../src/autoarch/small-copy.js';
import { createImage } from '../src/image/image.js';
import type { RestoreOptions } from '../src/options/index.js';
import { DEFAULT_CANDIDATES, DEFAULT_COHORT } from '../src/options/table.js';
import type { PlanEnvironment } from '../src/plan/environment.js';
import { planLines } from '../src/plan/format.js';
import { blankRequest } from '../src/plan/step-cost.js';
import { planWith, restoreWith } from '../src/restore/index.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { parseGenotype } from '../src/search/genotype.js';
import { validateRestoreOptions } from '../src/validate.js';

// Shipped calibration, nothing cached: deterministic.
const env: PlanEnvironment = { residentBytes: () => 200 * 2 ** 20 };
const request = (extra: Partial<RestoreOptions> = {}): RestoreOptions => ({
  task: 'denoise',
  image: createImage(320, 192, 3),
  backend: 'cpu',
  threads: 2,
  arch: 'auto',
  ...extra,
});

describe('the plan of a run with --arch auto', () => {
  it('plans the final fit as the typical cross-skip network would be planned, and adds the search to the total', async () => {
    const plan = await planWith(nodePlatform, request(), {}, env);
    const s = plan.search!;
    expect(s.genotype).toBe(typicalGenotype(validateRestoreOptions(request())));
    expect(parseGenotype(s.genotype).cell).toBe(5);
    const direct = await planWith(nodePlatform, request({ arch: s.genotype }), {}, env);
    expect(direct.search).toBeUndefined();
    expect([plan.secondsPerIteration, plan.iterations, plan.tiles, plan.peakMemoryBytes]).toEqual([
      direct.secondsPerIteration,
      direct.iterations,
      direct.tiles,
      direct.peakMemoryBytes,
    ]);
    expect(plan.totalSeconds).toBeCloseTo(direct.totalSeconds + s.seconds, 6);
    expect(s.seconds).toBeCloseTo(s.screenSeconds + s.cohortSeconds + s.costSeconds, 6);
    expect(plan.quickerRun).toBeUndefined();
  });

  it('the cohort: the default count, fitted on the 64-pixel copy as the search fits it, each member as planned there; then timed at full size', async () => {
    const plan = await planWith(nodePlatform, request(), {}, env);
    const s = plan.search!;
    expect([s.candidates, s.members]).toEqual([DEFAULT_CANDIDATES, DEFAULT_COHORT]);
    const copy = cohortSize(request())!;
    expect(s.cohortImage).toEqual(copy);
    const valid = validateRestoreOptions(request());
    const ceiling = (await planWith(nodePlatform, { ...request(), arch: undefined }, {}, env)).iterationsCeiling;
    const member = await planWith(nodePlatform, blankRequest({ ...valid, arch: s.genotype, iterations: ceiling }, copy.width, copy.height), {}, env);
    expect(s.cohortIterations).toBe(member.iterations);
    expect(s.cohortSeconds).toBeCloseTo(DEFAULT_COHORT * member.totalSeconds, 6);
    expect(s.costSeconds).toBeGreaterThan(0);
    // The paper's sizes: 5000 screened, 15 fitted.
    const paper = (await planWith(nodePlatform, request({ candidates: 5000, cohort: 15 }), {}, env)).search!;
    expect(paper.screenSeconds / s.screenSeconds).toBeCloseTo(5000 / DEFAULT_CANDIDATES, 6);
    expect(paper.cohortSeconds / s.cohortSeconds).toBeCloseTo(15 / DEFAULT_COHORT, 6);
  });

  it('super-resolution fits its cohort on the image itself: nothing is timed apart', async () => {
    const s = (await planWith(nodePlatform, request({ task: 'super-resolve', scale: 4, image: createImage(64, 64, 3) }), {}, env)).search!;
    expect(s.cohortImage).toEqual({ width: 64, height: 64 });
    expect(s.costSeconds).toBe(0);
  });

  it('prints the search before the fit lines, and the total of both', async () => {
    const plan = await planWith(nodePlatform, request(), {}, env);
    const lines = planLines(plan, CLI_NAMING);
    expect(lines[0]).toMatch(
      /^plan: --arch auto searches first: 64 networks screened at 320×192 \(≈ .+\), 4 fitted on a 106×64 copy for about \d+ iterations each \(≈ .+\), each timed at full size \(≈ .+\); then the chosen network's fit, planned below for a typical one \(xs1_5_\w+\)/,
    );
    expect(lines[1]).toMatch(/^plan: 320×192 as one fit/);
    expect(lines).toContainEqual(expect.stringMatching(/^plan: search and fit together ≈ /));
  });

  it('with --max-size the search, like the fit, runs on the copy: planned there, and run there', async () => {
    const big = request({ image: createImage(640, 384, 3), maxSize: 320 });
    const plan = await planWith(nodePlatform, big, {}, env);
    expect(plan.image).toEqual({ width: 320, height: 192 });
    expect(planLines(plan, CLI_NAMING)[0]).toMatch(/64 networks screened at 320×192 .* 4 fitted on a 106×64 copy/);
    // A 128² image previewed at 64²: the search's image is the 64² copy itself, so no member is timed apart,
    // and the final fit (not a reused cohort fit) is scaled back up to 128².
    const small = request({ image: createImage(128, 128, 3), maxSize: 64, candidates: 2, cohort: 1, channels: 16, iterations: 2, cohortIterations: 2 });
    const result = await restoreWith(nodePlatform, small, {}, env);
    expect(result.search!.cohortImage).toEqual({ width: 64, height: 64 });
    expect(result.search!.phases.cost.units).toBe(0);
    expect([result.image.width, result.image.height]).toEqual([128, 128]);
    expect(result.preview).toMatchObject({ width: 64, height: 64 });
  });

  it('a run with --arch auto logs that plan before the search starts', async () => {
    const log: string[] = [];
    const controller = new AbortController();
    const run = restoreWith(
      nodePlatform,
      request({ image: createImage(64, 64, 3), candidates: 2, cohort: 1, channels: 16, iterations: 2 }),
      {
        log: (m) => log.push(m),
        signal: controller.signal,
        onSearchProgress: () => controller.abort(),
      },
      env,
    );
    await run.catch(() => undefined);
    const planned = log.findIndex((l) => /^plan: arch auto searches first: 2 networks screened at 64×64/.test(l));
    expect(planned).toBeGreaterThanOrEqual(0);
    // Nothing of the search itself comes before it.
    expect(log.slice(0, planned).filter((l) => l.startsWith('search:'))).toEqual([]);
  });
});
