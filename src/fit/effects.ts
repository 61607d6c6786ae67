/** The fit's side effects after each step: progress, snapshots and checkpoints (each at its own interval). */
import type { CheckpointData, HistoryEntry } from '../options/index.js';
import type { FitConfig, FitHooks } from './types.js';
import type { FitRecord } from './record.js';
import type { FitState } from './state.js';

export class FitEffects {
  private readonly started = performance.now();

  constructor(
    private readonly hooks: FitHooks,
    private readonly config: FitConfig,
    /** Where this process started (a resumed fit's rate counts only its own steps). */
    private readonly firstIteration: number,
  ) {}

  /** Seconds this process has been fitting. */
  elapsed(): number {
    return (performance.now() - this.started) / 1000;
  }

  async afterStep(entry: HistoryEntry, state: FitState, record: FitRecord, raw: Float32Array, current: Float32Array): Promise<void> {
    const { hooks, config } = this;
    const t = entry.iteration;
    if (hooks.onProgress) {
      const rate = (t - this.firstIteration) / Math.max(1e-9, this.elapsed());
      await hooks.onProgress({ ...entry, total: config.iterations, iterationsPerSecond: rate, etaSeconds: (config.iterations - t) / Math.max(rate, 1e-9) });
    }
    if (hooks.onSnapshot && config.snapshotEvery && t % config.snapshotEvery === 0) await hooks.onSnapshot(t, config.snapshotRaw ? raw : current);
    if (config.checkpointEvery && t % config.checkpointEvery === 0) await this.checkpoint(state, record);
  }

  async checkpoint(state: FitState, record: FitRecord): Promise<void> {
    const data: Omit<CheckpointData, 'fingerprint' | 'version'> = { ...(await state.payload()), history: record.history, best: record.best };
    await this.hooks.onCheckpoint?.(data);
  }
}
