/**
 * Checkpoints of a tiled run, through the caller's one CheckpointStore: every save carries the
 * finished tiles' outputs (and the layout, under a fingerprint of the whole request), plus the fit
 * state of the tile being fitted. When a tile finishes, a save with an empty fit state records it,
 * so a resumed run skips every finished tile and continues the interrupted one where it stopped.
 */
import type { CheckpointData, CheckpointStore, FinishedTile, TiledCheckpoint } from '../options/index.js';
import { InputError } from '../util/errors.js';

/** A checkpoint of another request or another tiling (layout, or joint against one by one). */
export function tilingMismatch(): InputError {
  return new InputError(
    'the checkpoint was made with other settings, another input image or another tiling: resume with the same options and image, or start afresh',
    { code: 'CHECKPOINT_MISMATCH' },
  );
}

export class TiledCheckpoints {
  private readonly done: FinishedTile[];
  private resume: CheckpointData | null;

  constructor(
    private readonly store: CheckpointStore,
    private readonly fingerprint: string,
    private readonly layout: TiledCheckpoint['layout'],
    saved: CheckpointData | null,
  ) {
    if (saved && saved.tiles?.fingerprint !== fingerprint) throw tilingMismatch();
    this.done = saved?.tiles?.done.slice() ?? [];
    this.resume = saved && saved.tiles!.current >= 0 ? saved : null;
  }

  /** The finished tile `index` from the checkpoint, if it was. */
  finished(index: number): FinishedTile | undefined {
    return this.done.find((t) => t.index === index);
  }

  /** The store tile `index`'s fit saves to and resumes from. */
  forTile(index: number): CheckpointStore {
    return {
      load: async () => {
        const r = this.resume;
        this.resume = null;
        return r && r.tiles!.current === index ? r : null;
      },
      save: (d) => this.store.save({ ...d, tiles: this.record(index) }),
    };
  }

  /** Records a finished tile (with an empty fit state). */
  async finish(tile: FinishedTile): Promise<void> {
    this.done.push(tile);
    await this.store.save({
      version: 1,
      fingerprint: this.fingerprint,
      iteration: 0,
      params: [],
      m: [],
      v: [],
      z: new Float32Array(0),
      avg: null,
      history: [],
      best: null,
      tiles: this.record(-1),
    });
  }

  private record(current: number): TiledCheckpoint {
    return { fingerprint: this.fingerprint, layout: this.layout, current, done: this.done };
  }
}
