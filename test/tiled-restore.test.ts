import { memoryStore } from './helpers/checkpoint-store.js';
import { describe, expect, it } from 'vitest';
import { createImage, type Image } from '../src/image/image.js';
import type { Progress, RestoreOptions } from '../src/options/index.js';
import { planRestore } from '../src/plan/plan.js';
import { planWith, restoreWith } from '../src/restore/index.js';
import { restoreSingle } from '../src/restore/single.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { axisStarts } from '../src/tile/geometry.js';
import { tileRequest } from '../src/tile/requests.js';
import { runCli, tempDir, writeRandomPng } from './helpers/cli.js';
import { env, MB, noisy, tilingBudget, tiny as tinyFit } from './helpers/tiling.js';
import { formatStatus } from '../src/cli/progress.js';
import { CLI_NAMING } from '../src/cli/flags.js';
import { planLines } from '../src/plan/format.js';

// These tests are of tiles fitted one by one (test/joint-tiling.test.ts: one network over all tiles).
const tiny = (image: Image, extra: Partial<RestoreOptions> = {}): RestoreOptions => tinyFit(image, { tiling: 'independent', ...extra });

describe('tiled restoration', () => {
  it('fits each tile with the single-fit pipeline and stitches them; progress says which tile', async () => {
    const image = noisy(192, 160);
    const o = tiny(image, { maxMemory: await tilingBudget(tiny(image)) });
    const progress: Progress[] = [];
    const r = await restoreWith(nodePlatform, o, { onProgress: (p) => progress.push(p) }, env);
    const n = r.plan!.tiles;
    expect(n).toBeGreaterThan(1);
    expect(r.tiles).toHaveLength(n);
    expect(r.tiles!.every((t) => t.iterations === 3)).toBe(true);
    expect(r.iterations).toBe(3 * n);
    expect([r.image.width, r.image.height, r.image.channels]).toEqual([192, 160, 3]);
    expect(r.image.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(new Set(progress.map((p) => p.tile))).toEqual(new Set(Array.from({ length: n }, (_, k) => k)));
    expect(progress.every((p) => p.tileCount === n && p.overallEtaSeconds! >= p.etaSeconds)).toBe(true);
    // Where only the first tile covers the image, the output is that tile's own fit, found again independently.
    const first = r.tiles![0];
    const alone = await restoreSingle(nodePlatform, tileRequest(o, first, 1));
    for (const [x, y] of [
      [3, 4],
      [20, 30],
    ]) {
      for (let c = 0; c < 3; c++) expect(r.image.data[(y * 192 + x) * 3 + c]).toBeCloseTo(alone.image.data[(y * first.width + x) * 3 + c], 6);
    }
  });

  it('super-resolution tiles lie on the low-resolution side and stitch to the full output', async () => {
    const lr = noisy(128, 96);
    const base = tiny(lr, { task: 'super-resolve', scale: 2 });
    const o = { ...base, maxMemory: await tilingBudget(base) };
    const plan = await planWith(nodePlatform, o, {}, env);
    expect(plan.tiles).toBeGreaterThan(1);
    expect(plan.image).toEqual({ width: 128, height: 96 });
    const t = plan.tiling!;
    expect(t.tileCanvas.width).toBeGreaterThanOrEqual(2 * t.tileWidth);
    expect(t.tileCanvas.width).toBeLessThan(2 * t.tileWidth + 64);
    const r = await restoreWith(nodePlatform, o, {}, env);
    expect([r.image.width, r.image.height]).toEqual([256, 192]);
  });

  it('inpainting gives a hole across a seam its own tile and warns about a hole no tile can hold', async () => {
    const image = noisy(320, 160);
    const mask = createImage(320, 160, 1);
    mask.data.fill(1);
    const hole = (x: number, y: number, w: number, h: number) => {
      for (let j = y; j < y + h; j++) for (let i = x; i < x + w; i++) mask.data[j * 320 + i] = 0;
    };
    hole(20, 20, 2, 2); // a mask must have something to fill: a speck well inside the first tile, which needs no tile of its own
    const base = tiny(image, { task: 'inpaint', mask });
    const budget = await tilingBudget(base);
    const seamless = await planWith(nodePlatform, { ...base, maxMemory: budget }, {}, env);
    const t = seamless.tiling!;
    const xs = axisStarts(320, t.tileWidth, t.overlap);
    const overlap = xs[0] + t.tileWidth - xs[1];
    // A square hole whose context (half its side on each side) is wider than the overlap but fits a tile.
    const side = Math.ceil(overlap / 2) + 8;
    expect(2 * side).toBeLessThanOrEqual(Math.min(t.tileWidth, t.tileHeight));
    hole(Math.round((xs[1] + xs[0] + t.tileWidth) / 2 - side / 2), Math.round(80 - side / 2), side, side); // where the first two columns meet
    const withHole = await planWith(nodePlatform, { ...base, mask, maxMemory: budget }, {}, env);
    expect(withHole.tiling!.holeTiles).toBe(1);
    expect(withHole.tiles).toBe(seamless.tiles + 1);
    hole(0, 0, 300, 150);
    const huge = await planWith(nodePlatform, { ...base, mask, maxMemory: budget }, {}, env);
    expect(huge.warnings.join(' ')).toMatch(
      /hole of 300×150 pixels at \(0, 0\) is larger than a \d+×\d+ tile can restore with context.*a larger maxMemory gives larger tiles/,
    );
    // Tiles bounded by --tile-size: raising it is the advice.
    const capped = await planWith(nodePlatform, { ...base, mask, tileSize: 128 }, {}, {});
    expect(capped.warnings.join(' ')).toMatch(/a larger tileSize gives larger tiles/);
  });

  it('refuses before the fit when not even the smallest tile fits, saying what would', async () => {
    const o = tiny(noisy(192, 160), { maxMemory: 64 * MB });
    await expect(planWith(nodePlatform, o, {}, env)).rejects.toThrow(
      /not even the smallest tile \(96×96 pixels\) fits in maxMemory 64 MB: it needs \d+ MB; give maxMemory \d+M or more/,
    );
    await expect(restoreWith(nodePlatform, o, {}, env)).rejects.toMatchObject({ code: 'MEMORY_BUDGET' });
  });

  it('the command line names --max-memory in the refusal', async () => {
    const dir = await tempDir();
    const file = await writeRandomPng(`${dir}/in.png`, 200, 150);
    const r = await runCli(['plan', 'denoise', file, '--max-memory', '64M']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not even the smallest tile .* fits in --max-memory 64 MB: .*give --max-memory \d+M or more/);
  });

  it('--tile-size tiles without a budget, caps the tiles a budget allows, and refuses a tile below the smallest', async () => {
    const image = noisy(192, 160);
    // No memory limit known (as on a GPU backend): tiles of at most 112 pixels, a multiple of the network's 32.
    const capped = await planWith(nodePlatform, tiny(image, { tileSize: 112 }), {}, {});
    expect(capped.memoryBudgetBytes).toBeNull();
    // 96² tiles overlapping by at least 32: 3 columns over 192, 2 rows over 160.
    expect([capped.tiling!.tileWidth, capped.tiling!.tileHeight, capped.tiles]).toEqual([96, 96, 6]);
    // A budget that allows larger tiles is capped; one that needs smaller tiles still gets them.
    const budget = await tilingBudget(tiny(image));
    const byBudget = (await planWith(nodePlatform, tiny(image, { maxMemory: budget }), {}, env)).tiling!;
    expect(byBudget.tileWidth).toBeGreaterThan(96);
    const both = await planWith(nodePlatform, tiny(image, { maxMemory: budget, tileSize: 100 }), {}, env);
    expect([both.tiling!.tileWidth, both.tiling!.tileHeight]).toEqual([96, 96]);
    const loose = await planWith(nodePlatform, tiny(image, { maxMemory: budget, tileSize: 4096 }), {}, env);
    expect(loose.tiling).toEqual(byBudget);
    // At least the image's size: one fit, as without it.
    expect((await planWith(nodePlatform, tiny(image, { tileSize: 192 }), {}, {})).tiling).toBeNull();
    await expect(planWith(nodePlatform, tiny(image, { tileSize: 64 }), {}, {})).rejects.toMatchObject({ code: 'TILE_SIZE', option: 'tileSize' });
    const dir = await tempDir();
    const file = await writeRandomPng(`${dir}/in.png`, 200, 150);
    const r = await runCli(['plan', 'denoise', file, '--tile-size', '64']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--tile-size is below the smallest tile this network can fit, 96 pixels: give 96 or more/);
    const ok = await runCli(['plan', 'denoise', file, '--tile-size', '128', '--json']);
    expect(JSON.parse(ok.stdout).tiles).toBeGreaterThan(1);
  });

  it('tiles asked for without a budget are fitted one by one unless --tiling joint asks; a budget keeps joint the default', async () => {
    const image = noisy(192, 160);
    const plain = tinyFit(image, { tileSize: 112 });
    expect((await planWith(nodePlatform, plain, {}, {})).tiling!.mode).toBe('independent');
    expect((await planWith(nodePlatform, { ...plain, tiling: 'joint' }, {}, {})).tiling!.mode).toBe('joint');
    const budgeted = { ...plain, maxMemory: await tilingBudget(tinyFit(image), 64 * MB) };
    expect((await planWith(nodePlatform, budgeted, {}, env)).tiling!.mode).toBe('joint');
  });

  it('a resume refuses a checkpoint whose tiles (or whole fit) are larger than --tile-size', async () => {
    const o = tiny(noisy(192, 160), { tileSize: 128 });
    const resume = (layout: { tileWidth: number; tileHeight: number; overlap: number } | null) => planRestore(nodePlatform, o, { env: {}, resume: { layout } });
    await expect(resume({ tileWidth: 160, tileHeight: 160, overlap: 32 })).rejects.toMatchObject({ code: 'CHECKPOINT_MISMATCH', option: 'tileSize' });
    await expect(resume(null)).rejects.toThrow(
      /the checkpoint was made as one fit of the whole image, larger than tileSize 128: resume without it, or start afresh/,
    );
    expect((await resume({ tileWidth: 96, tileHeight: 96, overlap: 32 })).layout!.tileWidth).toBe(96);
  });

  it('a resumed tiled run keeps finished tiles and continues the interrupted one exactly', async () => {
    const image = noisy(192, 160, 3);
    const o = tiny(image, { maxMemory: await tilingBudget(tiny(image)) });
    const whole = await restoreWith(nodePlatform, o, {}, env);
    const store = memoryStore();
    const controller = new AbortController();
    const stop = (p: Progress) => {
      if (p.tile === 1 && p.iteration === 2) controller.abort();
    };
    const first = await restoreWith(nodePlatform, o, { checkpoint: store, signal: controller.signal, onProgress: stop }, env);
    expect(first.stopReason).toBe('aborted');
    expect(store.data!.tiles).toMatchObject({ current: 1 });
    expect(store.data!.tiles!.done.map((t) => t.index)).toEqual([0]);
    const resumed = await restoreWith(nodePlatform, o, { checkpoint: store }, env);
    expect(resumed.tiles![0].resumed).toBe(true);
    expect(resumed.tiles!.slice(1).every((t) => !t.resumed)).toBe(true);
    for (let i = 0; i < whole.image.data.length; i++) expect(resumed.image.data[i]).toBeCloseTo(whole.image.data[i], 5);
  });

  it('--max-size fits a smaller copy, scales the result back and says that detail is lost', async () => {
    const lines: string[] = [];
    const r = await restoreWith(nodePlatform, tiny(noisy(160, 120), { maxSize: 64 }), { log: (m) => lines.push(m) }, env);
    expect([r.image.width, r.image.height]).toEqual([160, 120]);
    expect(r.preview).toMatchObject({ width: 64, height: 48, factor: 2.5 });
    expect(r.plan!.image).toEqual({ width: 64, height: 48 });
    expect(lines.join('\n')).toMatch(/maxSize 64: fitted a 64×48 copy of the 160×120 input .* detail finer than about 2\.5 pixels is lost/);
  });
});

describe('what a tiled run prints', () => {
  it('progress names the tile and the ETA of all tiles', () => {
    const p: Progress = {
      iteration: 120,
      total: 1800,
      loss: 0.01,
      seconds: 60,
      iterationsPerSecond: 2,
      etaSeconds: 840,
      tile: 1,
      tileCount: 6,
      overallEtaSeconds: 4440,
    };
    expect(formatStatus(p)).toBe('tile 2/6  120/1800  loss 0.01000  2.0 it/s  ETA 14:00 (all 1:14:00)');
  });

  it('the plan lines give layout, memory against the budget, time, backend and calibration', async () => {
    const image = noisy(192, 160);
    const plan = await planWith(nodePlatform, tiny(image, { maxMemory: await tilingBudget(tiny(image)) }), {}, env);
    const [layout, time] = planLines(plan, CLI_NAMING);
    expect(layout).toMatch(
      /^plan: 192×160 in \d+ tiles of \d+×\d+ \(\d+×\d+, overlap \d+; canvas \d+×\d+\); peak memory ≈ \d+ MB of \d+ MB \(--max-memory\); the whole image would need \d+ MB$/,
    );
    expect(time).toMatch(
      /^plan: ≈ [\d.]+ m?s per iteration \(cores to itself\) × 3 iterations per tile × \d+ tiles \(--stop fixed: all 3\) ≈ \d+:\d\d on cpu with 2 thread\(s\) \(shipped calibration, not measured here\)$/,
    );
  });
});

describe('the preset in the plan', () => {
  const photo = (extra: Partial<RestoreOptions> = {}): RestoreOptions => ({
    task: 'denoise',
    image: createImage(2048, 1536, 3),
    backend: 'cpu',
    threads: 2,
    maxMemory: 64 * 2 ** 30,
    ...extra,
  });

  it('names the preset chosen for the size and offers the better one with its own time', async () => {
    const plan = await planWith(nodePlatform, photo(), {}, env);
    expect(plan.preset).toMatchObject({ name: 'lite', chosenForSize: true, better: { name: 'fast' } });
    // The better preset's time is its own plan: a wider net and a higher ceiling than the chosen one's.
    const fast = await planWith(nodePlatform, photo({ preset: 'fast' }), {}, env);
    expect(plan.preset.better!.totalSeconds).toBeCloseTo(fast.totalSeconds, 6);
    expect(fast.totalSeconds).toBeGreaterThan(plan.totalSeconds);
    expect(planLines(plan, CLI_NAMING)).toContainEqual(
      expect.stringMatching(/^plan: the lite preset \(chosen for the size and machine\); --preset fast for the slower, better fit \(≈ \d+:\d\d:\d\d\)$/),
    );
  });

  it('writes the chosen preset into the request it fits, so the cost curve and every tile use it', async () => {
    const run = await planRestore(nodePlatform, photo(), { env });
    expect(run.request.preset).toBe('lite');
    // The curve is built on small blank images, which alone would have chosen fast.
    const lite = await planWith(nodePlatform, photo({ preset: 'lite' }), {}, env);
    expect(run.plan.secondsPerIteration).toBeCloseTo(lite.secondsPerIteration, 9);
    expect(run.plan.peakMemoryBytes).toBeCloseTo(lite.peakMemoryBytes, 0);
    expect(tileRequest(run.request, { x: 0, y: 0, width: 256, height: 256 }, 1).preset).toBe('lite');
  });

  it('says nothing of presets when the caller chose one', async () => {
    const plan = await planWith(nodePlatform, photo({ preset: 'fast' }), {}, env);
    expect(plan.preset).toEqual({ name: 'fast', chosenForSize: false });
    expect(planLines(plan, CLI_NAMING).join('\n')).not.toMatch(/preset/);
  });
});
