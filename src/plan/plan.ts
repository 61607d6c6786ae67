/**
 * The plan of a restoration, made before anything is fitted: the backend and threads, the memory
 * budget, the calibration, then one fit of the whole image when it fits the budget, else the
 * largest tiles that do (with the holes of an inpainting mask given to tiles that hold them with
 * context), else a refusal that says what would fit. The plan's figures come from the step graph's
 * shapes through the calibration (sizing.ts); the expected iterations from the task.
 */
import { formatBytes } from '../options/kinds.js';
import { LIBRARY_NAMING, type Naming, type RestoreOptions } from '../options/index.js';
import { chooseBackend, type Platform } from '../runtime/engine.js';
import { effectiveSettings } from '../tasks/settings.js';
import { taskDefinition } from '../tasks/index.js';
import { expectedIterations } from '../tasks/task.js';
import type { HoleAssignment, HoleMap } from '../tile/holes.js';
import { tileLayout, type TileLayout } from '../tile/geometry.js';
import { InputError } from '../util/errors.js';
import { memoryBudget, type MemoryBudget } from './budget.js';
import { quickerRun } from './quicker-run.js';
import { calibrationFor } from './calibrate.js';
import type { Calibration } from './calibration.js';
import type { PlanEnvironment } from './environment.js';
import { bytesArgument, sizingOf, type SizeEstimate, type Sizing } from './sizing.js';
import { largestFittingSide } from './tile-size.js';
import { holesOf, layoutFor } from './layout.js';
import type { Plan } from './types.js';

/**
 * Share of the budget a plan fills: the model's peak was within about 20 % of the measured one at
 * 256², 512² and 1024×768 (bench:photos), so fits are sized to leave a tenth of the budget free.
 */
export const BUDGET_FILL = 0.9;

/** What a checkpoint keeps of a tiled run's layout (enough to rebuild it exactly). */
export interface SavedLayout {
  tileWidth: number;
  tileHeight: number;
  overlap: number;
}

export interface PlanOptions {
  env?: PlanEnvironment;
  log?: (message: string) => void;
  naming?: Naming;
  /** Measure the calibration again even when one is cached. */
  recalibrate?: boolean;
  /** Resuming: the checkpoint's layout (null: an untiled fit), kept so its finished tiles stay valid. */
  resume?: { layout: SavedLayout | null };
  /** false: no suggestion of a quicker run (the suggestion's own plans, and resumed runs, have none). */
  suggestQuicker?: boolean;
}

export interface RunPlan {
  plan: Plan;
  /**
   * The request to fit: the caller's, with the preset --preset auto chose for the whole image on this
   * machine written in, so every tile (and the plan's cost curve, built on small blank images) uses
   * that preset rather than choosing again by its own size.
   */
  request: RestoreOptions;
  /** The grid on the input side; null: one fit of the whole image. */
  layout: TileLayout | null;
  holes: { map: HoleMap; assignment: HoleAssignment } | null;
}

export async function planRestore(platform: Platform, request: RestoreOptions, opts: PlanOptions = {}): Promise<RunPlan> {
  const env = opts.env ?? {};
  const { backend } = await chooseBackend(platform, request.backend ?? 'auto');
  const threads = request.threads ?? platform.defaultThreads();
  const chosen = effectiveSettings(request, { backend, threads });
  const pinned: RestoreOptions = chosen.presetBySize ? { ...request, preset: chosen.preset as RestoreOptions['preset'] } : request;
  const budget = memoryBudget(request.maxMemory, backend, env);
  const cal = await calibrationFor({ platform, backend, threads, env, recalibrate: opts.recalibrate, budgetBytes: budget.bytes, log: opts.log });
  const resident = env.residentBytes?.() ?? 0;
  const sizing = await sizingOf(pinned, cal, resident, budget.bytes);
  const naming = opts.naming ?? LIBRARY_NAMING;
  const layout = opts.resume ? resumedLayout(pinned, sizing, budget, opts.resume.layout, naming) : chosenLayout(pinned, sizing, budget, naming);
  const holes = layout && holesOf(request, layout);
  const plan = describePlan(pinned, sizing, budget, cal, layout, holes, naming);
  const better = chosen.presetBySize ? await betterPreset(request, chosen.preset, cal, resident, layout, plan.tiles) : null;
  const preset = { name: chosen.preset, chosenForSize: chosen.presetBySize === true, ...(better && { better }) };
  const full = { ...plan, preset };
  const hint = opts.suggestQuicker === false || opts.resume ? null : await quickerRun(request, full, (r) => planAlone(platform, r, opts));
  return { plan: hint ? { ...full, quickerRun: hint } : full, request: pinned, layout, holes };
}

/** A plan for the preview suggestion: the same machine and budget, quietly, with no suggestion of its own. */
async function planAlone(platform: Platform, request: RestoreOptions, opts: PlanOptions): Promise<Plan> {
  return (await planRestore(platform, request, { env: opts.env, naming: opts.naming, suggestQuicker: false })).plan;
}

/**
 * When --preset auto chose a cheaper preset for the size: the task's best preset and what it would take
 * here (same layout, its own step cost and expected iterations), so the plan can offer it.
 */
async function betterPreset(
  o: RestoreOptions,
  chosen: string,
  cal: Calibration,
  resident: number,
  layout: TileLayout | null,
  tiles: number,
): Promise<{ name: string; totalSeconds: number } | null> {
  const best = taskDefinition(o.task).bySize?.[0];
  if (!best || best === chosen) return null;
  const alternative = { ...o, preset: best };
  const fit = fitEstimate(o, await sizingOf(alternative, cal, resident), layout);
  const iterations = expectedIterations(taskDefinition(o.task), effectiveSettings(alternative), alternative);
  return { name: best, totalSeconds: tiles * iterations * fit.secondsPerIteration };
}

/** What one fit of the layout costs: a tile's, or the whole image's when untiled. */
function fitEstimate(o: RestoreOptions, sizing: Sizing, layout: TileLayout | null): SizeEstimate {
  return layout ? sizing.estimate(layout.tileWidth, layout.tileHeight, true) : sizing.estimate(o.image.width, o.image.height, false);
}

/** The whole image when it fits (or no limit is known) within --tile-size, else the largest tiles that fit both; refused when none does. */
function chosenLayout(o: RestoreOptions, sizing: Sizing, budget: MemoryBudget, naming: Naming): TileLayout | null {
  const limit = budget.bytes === null ? null : BUDGET_FILL * budget.bytes;
  const fits = (w: number, h: number, tiled: boolean) => limit === null || sizing.estimate(w, h, tiled).peakBytes <= limit;
  return layoutFor(o, sizing, fits, () => refusal(sizing, budget, naming), naming);
}

/** A resumed run keeps the checkpoint's layout, when it still fits the budget and --tile-size. */
function resumedLayout(o: RestoreOptions, sizing: Sizing, budget: MemoryBudget, saved: SavedLayout | null, naming: Naming): TileLayout | null {
  const { width: W, height: H } = o.image;
  const need = saved ? sizing.estimate(saved.tileWidth, saved.tileHeight, true).peakBytes : sizing.estimate(W, H, false).peakBytes;
  const made = saved ? `in tiles of ${saved.tileWidth}×${saved.tileHeight}` : 'as one fit of the whole image';
  if (budget.bytes !== null && need > BUDGET_FILL * budget.bytes) {
    throw new InputError(
      `the checkpoint was made ${made}, which needs ${formatBytes(need)}, more than ${budgetText(budget, naming)}: resume with ${naming.name('maxMemory')} ${bytesArgument(need / BUDGET_FILL)}, or start afresh`,
      { code: 'CHECKPOINT_MISMATCH', option: 'maxMemory' },
    );
  }
  const side = saved ? Math.max(saved.tileWidth, saved.tileHeight) : Math.max(W, H);
  if (o.tileSize !== undefined && side > o.tileSize) {
    throw new InputError(`the checkpoint was made ${made}, larger than ${naming.name('tileSize')} ${o.tileSize}: resume without it, or start afresh`, {
      code: 'CHECKPOINT_MISMATCH',
      option: 'tileSize',
    });
  }
  return saved ? tileLayout(W, H, saved.tileWidth, saved.tileHeight, saved.overlap) : null;
}

function budgetText(b: MemoryBudget, naming: Naming): string {
  const bytes = formatBytes(b.bytes ?? 0);
  return b.reason === 'max-memory' ? `${naming.name('maxMemory')} ${bytes}` : `the ${bytes} this run may use (${b.reason})`;
}

function refusal(sizing: Sizing, budget: MemoryBudget, naming: Naming): InputError {
  const min = sizing.minSide;
  const need = sizing.estimate(min, min, true).peakBytes;
  const limit = BUDGET_FILL * (budget.bytes ?? 0);
  const side = largestFittingSide(sizing.step, min, (s) => sizing.estimate(s, s, true).peakBytes <= limit);
  const fitting = side > 0 ? `; at most ${side}×${side} pixels would fit, below the smallest tile` : '';
  const more = `${naming.name('maxMemory')} ${bytesArgument(need / BUDGET_FILL)}`;
  const advice = budget.onGpu
    ? `free memory on the GPU (other programs hold the rest), or run on the processor with ${naming.name('backend')} cpu (${more} overrides the GPU's reading)`
    : `give ${more} or more`;
  return new InputError(
    `not even the smallest tile (${min}×${min} pixels) fits in ${budgetText(budget, naming)}: it needs ${formatBytes(need)}${fitting}; ${advice}`,
    {
      code: 'MEMORY_BUDGET',
      option: budget.onGpu ? 'backend' : 'maxMemory',
    },
  );
}

/** The plan's figures for the chosen layout (the preset is told by planRestore, which knows how it was chosen). */
function describePlan(
  o: RestoreOptions,
  sizing: Sizing,
  budget: MemoryBudget,
  cal: Calibration,
  layout: TileLayout | null,
  holes: RunPlan['holes'],
  naming: Naming,
): Omit<Plan, 'preset'> {
  const { width: W, height: H } = o.image;
  const whole = sizing.estimate(W, H, false);
  const fit = layout ? fitEstimate(o, sizing, layout) : whole;
  const s = effectiveSettings(o);
  const task = taskDefinition(o.task);
  const iterations = expectedIterations(task, s, o);
  const holeTiles = holes?.assignment.extra.length ?? 0;
  const tiles = layout ? layout.tiles.length + holeTiles : 1;
  return {
    image: { width: W, height: H },
    canvas: whole.canvas,
    tiles,
    tiling: layout && {
      tileWidth: layout.tileWidth,
      tileHeight: layout.tileHeight,
      overlap: layout.overlap,
      columns: layout.xs.length,
      rows: layout.ys.length,
      holeTiles,
      mode: sizing.joint && holeTiles === 0 ? 'joint' : 'independent',
      tileCanvas: fit.canvas,
    },
    peakMemoryBytes: fit.peakBytes,
    memoryBudgetBytes: budget.bytes,
    budget: budget.reason,
    whole: { peakMemoryBytes: whole.peakBytes, secondsPerIteration: whole.secondsPerIteration },
    secondsPerIteration: fit.secondsPerIteration,
    iterations,
    iterationsCeiling: s.iterations,
    iterationsReason: iterationsReason(o, iterations),
    totalSeconds: tiles * iterations * fit.secondsPerIteration,
    backend: cal.backend,
    threads: cal.threads,
    calibration: cal.source,
    timeClock: cal.clock ?? 'wall',
    memoryCalibration: cal.memorySource,
    warnings: holes ? holeWarnings(holes.assignment, layout!, tileBound(o, sizing, layout!), naming) : [],
  };
}

function iterationsReason(o: RestoreOptions, iterations: number): string {
  const s = effectiveSettings(o);
  if (s.stop !== 'auto') return `--stop ${s.stop}: all ${s.iterations}`;
  if (iterations < s.iterations) return `where the ${s.stopRule} rule is expected to stop (ceiling ${s.iterations})`;
  return s.stopRule ? `the ceiling; the ${s.stopRule} rule may stop sooner` : `the budget (${o.task} has no stopping rule)`;
}

/** What bounds the tiles: --tile-size where the tiles reach it (within the network's step), else the memory budget. */
function tileBound(o: RestoreOptions, sizing: Sizing, layout: TileLayout): 'maxMemory' | 'tileSize' {
  const side = Math.max(layout.tileWidth, layout.tileHeight);
  return o.tileSize !== undefined && side + sizing.step > o.tileSize ? 'tileSize' : 'maxMemory';
}

/** `limit`: what bounds the tiles, and so what to raise for larger ones. */
function holeWarnings(a: HoleAssignment, layout: TileLayout, limit: 'maxMemory' | 'tileSize', naming: Naming): string[] {
  const shown = a.tooLarge
    .slice(0, 3)
    .map(
      (h) =>
        `the hole of ${h.width}×${h.height} pixels at (${h.x}, ${h.y}) is larger than a ${layout.tileWidth}×${layout.tileHeight} tile can restore with context around it: it is filled by the tiles' blend and may show seams; a larger ${naming.name(limit)} gives larger tiles`,
    );
  const more = a.tooLarge.length - shown.length;
  return more > 0 ? [...shown, `${more} more hole(s) are too large for a tile as well`] : shown;
}
