/**
 * A tiled run fitted jointly (joint-program.ts): one fit of the whole request, through the one-fit
 * pipeline (fit-run.ts: the same loop, stopping rule, snapshots, progress and checkpoints), whose step
 * runs tile by tile. Where it does not apply (another data term, super-resolution, a coarse stage, a
 * Lipschitz cap, frozen weights, tiles added around inpainting holes, host arrays that would take
 * more than half the memory budget, --tiling independent: the plan's tiling mode) the caller fits the
 * tiles one by one (tiled.ts).
 */
import { ADAM_DEFAULTS } from '../fit/step-graph.js';
import type { CheckpointData, CheckpointStore, RestoreHooks, RestoreOptions, RestoreResult, TiledCheckpoint } from '../options/index.js';
import type { RunPlan } from '../plan/plan.js';
import { fitRun } from '../restore/fit-run.js';
import { runFingerprint } from '../restore/start.js';
import { setUpRun } from '../restore/setup.js';
import { Engine, type Platform } from '../runtime/engine.js';
import { tilingMismatch } from './checkpoint.js';
import { canTileJointly, JointTiledProgram } from './joint-program.js';

/** Whether the plan fits its tiles jointly (it weighed the request's --tiling, the task, hole tiles and the budget). */
export function jointTilingAllowed(plan: RunPlan): boolean {
  return plan.plan.tiling?.mode === 'joint';
}

/** The joint fit, or null where it does not apply (the caller then fits the tiles one by one). */
export async function restoreJoint(
  platform: Platform,
  request: RestoreOptions,
  plan: RunPlan,
  hooks: RestoreHooks,
  saved: CheckpointData | null,
): Promise<RestoreResult | null> {
  const engine = await Engine.create(platform, { backend: request.backend, threads: request.threads, log: hooks.log });
  const run = await setUpRun(request, { backend: engine.backend, threads: engine.threads });
  if (!canTileJointly(run)) return null;
  const layout = plan.layout!;
  const tiling = plan.plan.tiling!;
  const record: TiledCheckpoint = {
    fingerprint: `${runFingerprint(run)}:joint:${layout.tileWidth}x${layout.tileHeight}+${layout.overlap}`,
    layout: { tileWidth: layout.tileWidth, tileHeight: layout.tileHeight, overlap: layout.overlap },
    current: 0,
    done: [],
  };
  if (saved && saved.tiles?.fingerprint !== record.fingerprint) throw tilingMismatch();
  hooks.log?.(`tiling: one network over the ${layout.tiles.length} tiles, each step summed over them (--tiling joint)`);
  const checkpoint = hooks.checkpoint && jointStore(hooks.checkpoint, record, saved);
  const adam = { ...ADAM_DEFAULTS, lr: run.settings.lr };
  const { result } = await fitRun(engine, run, { ...hooks, checkpoint }, undefined, (step) => JointTiledProgram.create(engine, run, layout, step, adam));
  return { ...result, options: { ...result.options, tiles: tiling, tiling: 'joint' } };
}

/** The caller's store with the tiling recorded in every save (a resume keeps the layout), read once. */
function jointStore(store: CheckpointStore, record: TiledCheckpoint, saved: CheckpointData | null): CheckpointStore {
  let first = saved;
  return {
    load: async () => {
      const d = first;
      first = null;
      return d;
    },
    save: (d) => store.save({ ...d, tiles: record }),
  };
}
