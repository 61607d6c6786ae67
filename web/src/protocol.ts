/**
 * Messages between the page and the fit worker (src/worker.ts). The worker keeps the current
 * images (sent when they change, buffers copied) so that plans and fits carry only settings;
 * previews travel as RGBA bytes ready for a canvas.
 */
import type { HistoryEntry, Image, Progress, StopReason } from '../../src/index.js';
import type { QuickerRun } from '../../src/plan/types.js';
import type { DeviceSpeed } from './calibrate.js';
import type { GpuInfo } from './gpu-probe.js';
import type { FitPlan } from './plan-estimate.js';
import type { TileOffer } from './tiles.js';

/** Where the fit runs and why (shown to the user). */
export interface BackendPick {
  backend: 'webgpu' | 'wasm';
  reason: string;
}

export interface FitImages {
  image: Image;
  mask?: Image;
  guide?: Image;
  reference?: Image;
}

/** The form's settings: option-table keys (task included) to values; images are separate. */
export type Settings = Record<string, unknown>;

export type ToWorker =
  | { kind: 'init'; wasmPaths: string; threads: number }
  | { kind: 'images'; images: FitImages }
  | { kind: 'plan'; id: number; settings: Settings; backend: BackendPick['backend'] }
  | { kind: 'calibrate'; id: number; backend: BackendPick['backend'] }
  | { kind: 'downscale'; id: number; width: number; height: number }
  | { kind: 'quicker'; id: number; settings: Settings; backend: BackendPick['backend']; plan: FitPlan; speed: DeviceSpeed }
  | { kind: 'tiles'; id: number; settings: Settings; gpu: GpuInfo }
  | { kind: 'start'; settings: Settings; pick: BackendPick; previewEvery: number }
  | { kind: 'stop' };

export interface Preview {
  iteration: number;
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export interface FitSummary {
  iterations: number;
  bestIteration: number;
  stopReason: StopReason;
  seconds: number;
  backend: string;
  options: Record<string, unknown>;
}

export type FromWorker =
  | { kind: 'plan'; id: number; plan: FitPlan }
  | { kind: 'invalid'; id: number; message: string; option?: string }
  | { kind: 'calibrated'; id: number; speed: DeviceSpeed | null; problem?: string }
  | { kind: 'downscaled'; id: number; images: FitImages }
  | { kind: 'quicker'; id: number; quicker: QuickerRun | null }
  | { kind: 'tiles'; id: number; offer: TileOffer | null }
  | { kind: 'backend'; pick: BackendPick }
  | { kind: 'phase'; text: string }
  | { kind: 'progress'; entries: HistoryEntry[]; latest: Progress }
  | { kind: 'preview'; preview: Preview }
  | { kind: 'done'; summary: FitSummary; image: Image; preview: Preview }
  | { kind: 'error'; message: string };
