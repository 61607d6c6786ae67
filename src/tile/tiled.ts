/**
 * A tiled restoration: jointly where it applies (joint.ts: one network over all tiles), else a layer
 * around the single-fit pipeline: each tile of the plan's layout (and
 * each extra tile around an inpainting hole) is cut from the request and fitted by restoreSingle;
 * the outputs are stitched with the blending windows. Progress says which tile of how many and the
 * ETA of the whole run; checkpoints keep finished tiles, so a resumed run does not fit them again.
 */
import { fingerprint } from '../fit/fingerprint.js';
import type { Image } from '../image/image.js';
import { resampleAntialiased } from '../image/resample.js';
import type { CheckpointData, FinishedTile, HistoryEntry, RestoreHooks, RestoreOptions, RestoreResult, StopReason, TileSummary } from '../options/index.js';
import type { RunPlan } from '../plan/plan.js';
import { restoreSingle } from '../restore/single.js';
import type { Platform } from '../runtime/engine.js';
import { effectiveSettings } from '../tasks/settings.js';
import { taskDefinition } from '../tasks/index.js';
import { TiledCheckpoints } from './checkpoint.js';
import { jointTilingAllowed, restoreJoint } from './joint.js';
import { scaledLayout, type Rect } from './geometry.js';
import { tileRequest } from './requests.js';
import { Stitcher, type StitchOwners } from './stitch.js';

interface TiledRun {
  request: RestoreOptions;
  plan: RunPlan;
  scale: number;
  /** Input-side rectangles: the grid's tiles, then the extra tiles around holes. */
  rects: Rect[];
  stitcher: Stitcher;
  checkpoints: TiledCheckpoints | null;
  summaries: TileSummary[];
  history: HistoryEntry[];
  /** The first fitted tile's result, for the backend and effective settings. */
  first?: RestoreResult;
  /** Iterations of the tiles before the current one (snapshot numbering). */
  before: number;
  recoveries: number;
}

export async function restoreTiled(
  platform: Platform,
  request: RestoreOptions,
  plan: RunPlan,
  hooks: RestoreHooks,
  saved: CheckpointData | null,
): Promise<RestoreResult> {
  const joint = jointTilingAllowed(plan) ? await restoreJoint(platform, request, plan, hooks, saved) : null;
  if (joint) return joint;
  const run = tiledRun(request, plan, hooks, saved);
  let reason: StopReason | null = null;
  for (let k = 0; k < run.rects.length && reason !== 'aborted'; k++) {
    const kept = run.checkpoints?.finished(k);
    const tile = kept ?? (await fitTile(platform, run, k, hooks));
    if (kept) hooks.log?.(`tile ${k + 1} of ${run.rects.length}: kept from the checkpoint`);
    run.stitcher.add(k, tileImage(run, k, tile.pixels));
    const { pixels: _, recoveries: __, ...summary } = tile;
    run.summaries.push(kept ? { ...summary, resumed: true } : summary);
    run.before += tile.iterations;
    if (tile.stopReason === 'aborted') reason = 'aborted';
  }
  return tiledResult(run, reason === 'aborted');
}

function tiledRun(request: RestoreOptions, plan: RunPlan, hooks: RestoreHooks, saved: CheckpointData | null): TiledRun {
  const layout = plan.layout!;
  const scale = taskDefinition(request.task).outputScale?.(request) ?? 1;
  const extra = plan.holes?.assignment.extra ?? [];
  const saveAs = { tileWidth: layout.tileWidth, tileHeight: layout.tileHeight, overlap: layout.overlap };
  const print = `${fingerprint(request, effectiveSettings(request))}:${layout.tileWidth}x${layout.tileHeight}+${layout.overlap}`;
  return {
    request,
    plan,
    scale,
    rects: [...layout.tiles, ...extra],
    stitcher: new Stitcher(scaledLayout(layout, scale), request.image.channels, ownersOf(plan)),
    checkpoints: hooks.checkpoint ? new TiledCheckpoints(hooks.checkpoint, print, saveAs, saved) : null,
    summaries: [],
    history: [],
    before: 0,
    recoveries: 0,
  };
}

/** Hole pixels belong to the tile assigned to their hole (same-size tasks only: holes are an inpainting matter). */
function ownersOf(plan: RunPlan): StitchOwners | null {
  const holes = plan.holes;
  if (!holes) return null;
  const { owner } = holes.assignment;
  return { pixels: Int32Array.from(holes.map.labels, (l) => (l >= 0 ? owner[l] : -1)), extra: holes.assignment.extra };
}

async function fitTile(platform: Platform, run: TiledRun, k: number, hooks: RestoreHooks): Promise<FinishedTile> {
  const r = run.rects[k];
  const result = await restoreSingle(platform, tileRequest(run.request, r, run.scale), tileHooks(run, k, hooks));
  for (const h of result.history) run.history.push({ ...h, tile: k });
  run.first ??= result;
  run.recoveries += result.recoveries;
  const tile: FinishedTile = {
    index: k,
    ...r,
    iterations: result.iterations,
    stopReason: result.stopReason,
    bestIteration: result.bestIteration,
    seconds: result.seconds,
    recoveries: result.recoveries,
    pixels: result.image.data,
  };
  if (tile.stopReason !== 'aborted') await run.checkpoints?.finish(tile);
  return tile;
}

function tileHooks(run: TiledRun, k: number, hooks: RestoreHooks): RestoreHooks {
  const count = run.rects.length;
  const perTile = run.plan.plan.iterations;
  const { onSnapshot, onProgress } = hooks;
  return {
    ...hooks,
    checkpoint: run.checkpoints?.forTile(k),
    onPlan: undefined,
    onProgress:
      onProgress &&
      ((p) => onProgress({ ...p, tile: k, tileCount: count, overallEtaSeconds: p.etaSeconds + ((count - k - 1) * perTile) / p.iterationsPerSecond })),
    onSnapshot: onSnapshot && ((t, image) => onSnapshot(run.before + t, run.stitcher.preview(k, image, baseImage(run)))),
  };
}

function tileImage(run: TiledRun, k: number, pixels: Float32Array): Image {
  const r = run.rects[k];
  return { width: r.width * run.scale, height: r.height * run.scale, channels: run.request.image.channels, data: pixels };
}

/** What unfinished parts show: the input (super-resolution: enlarged). */
function baseImage(run: TiledRun): Image {
  const { image } = run.request;
  return run.scale === 1 ? image : resampleAntialiased(image, image.width * run.scale, image.height * run.scale, 'bicubic');
}

/** The worst of the tiles' stop reasons decides the run's. */
const SEVERITY: StopReason[] = ['auto', 'fixed', 'ceiling', 'diverged', 'aborted'];

function tiledResult(run: TiledRun, aborted: boolean): RestoreResult {
  const tiles = run.summaries;
  const sum = (f: (t: TileSummary) => number) => tiles.reduce((s, t) => s + f(t), 0);
  const first = run.first;
  const stopReason = tiles.reduce<StopReason>((worst, t) => (SEVERITY.indexOf(t.stopReason) > SEVERITY.indexOf(worst) ? t.stopReason : worst), 'auto');
  return {
    image: run.stitcher.result(aborted ? baseImage(run) : null),
    iterations: sum((t) => t.iterations),
    stopReason,
    bestIteration: sum((t) => t.bestIteration),
    history: run.history,
    seconds: sum((t) => t.seconds),
    backend: first?.backend ?? run.plan.plan.backend,
    recoveries: run.recoveries,
    options: { ...(first?.options ?? { task: run.request.task }), canvas: run.plan.plan.canvas, tiles: run.plan.plan.tiling },
    tiles,
  };
}
