/**
 * What a fit will cost, known before it runs: the step graph is built (shapes only, nothing is
 * computed) and read for its parameters, the memory its tensors need at the busiest point of one
 * step (a liveness walk in execution order: a tensor lives from the node that makes it to its last
 * reader; inputs, weights and moments all the time), its largest single tensor (what a GPU buffer
 * limit refuses) and its multiply-adds. An estimate of the tensors alone: the CPU provider's peak
 * RSS grew by 2.0× it at 256² and 1.7× at 512² (denoise, fast preset), and onnxruntime-web's
 * WebAssembly session adds a share per operation (backend-choice.ts). The arithmetic is counted as
 * the planning model counts it (src/plan/graph-cost.ts); the app's own walk adds what a GPU needs to
 * know (the largest single tensor, the bytes written) and its time model is this device's measured
 * dispatch, bandwidth and convolution speed (calibrate.ts) rather than the CPU calibration.
 */
import type { Graph } from '../../src/graph/graph.js';
import { liveNodes } from '../../src/graph/onnx.js';
import { bytesOf, matrixFlops } from '../../src/plan/graph-cost.js';
import type { RestoreOptions } from '../../src/index.js';
import { holesOf, layoutFor } from '../../src/plan/layout.js';
import { tileGeometry } from '../../src/plan/sizing.js';
import { blankRequest } from '../../src/plan/step-cost.js';
import { setUpRun } from '../../src/restore/setup.js';
import { effectiveSettings } from '../../src/tasks/settings.js';
import { stepGraphOf } from '../../src/restore/step.js';
import { WEB_NAMING } from './request.js';

export interface FitPlan {
  task: string;
  preset: string;
  arch: string;
  input: { width: number; height: number };
  output: { width: number; height: number };
  canvas: { width: number; height: number };
  iterations: number;
  /** Whether a rule may stop the fit before `iterations`. */
  autoStop: boolean;
  parameters: number;
  /** Weights and both Adam moments. */
  stateBytes: number;
  peakBytes: number;
  largestTensorBytes: number;
  macsPerStep: number;
  /** ONNX nodes of one step (each costs a dispatch) and the bytes they write (memory traffic). */
  nodesPerStep: number;
  bytesPerStep: number;
  /**
   * Fits one after another: 1, or the tiles of a --tile-size request (the grid's and those around
   * inpainting holes). Memory and the step's figures are then one tile's (`tile`, its canvas `canvas`).
   */
  tiles: number;
  tile: { width: number; height: number } | null;
}

/**
 * The plan of a checked request (or of a blank copy of one at another size, src/plan/step-cost.ts);
 * with --tile-size, of one of its tiles, laid out as the fit will lay them (src/plan/layout.ts).
 */
export async function planFit(request: RestoreOptions): Promise<FitPlan> {
  const layout = request.tileSize === undefined ? null : layoutFor(request, tileGeometry(request), () => true, NO_REFUSAL, WEB_NAMING);
  // Every tile keeps the preset the whole picture's size chose, as the library's tiled fit does (src/plan/plan.ts).
  const preset = effectiveSettings(request).preset as RestoreOptions['preset'];
  const fitted = layout ? { ...blankRequest(request, layout.tileWidth, layout.tileHeight), tileSize: undefined, preset } : request;
  const run = await setUpRun(fitted);
  const step = stepGraphOf(run);
  const scale = run.task.outputScale?.(request) ?? 1;
  return {
    task: request.task,
    preset: run.settings.preset,
    arch: run.settings.arch,
    input: { width: request.image.width, height: request.image.height },
    output: { width: request.image.width * scale, height: request.image.height * scale },
    canvas: run.problem.canvas,
    iterations: run.settings.iterations,
    autoStop: !!run.stopper,
    parameters: step.params.count,
    stateBytes: step.params.count * 3 * 4,
    ...graphFootprint(step.graph),
    tiles: layout ? layout.tiles.length + (holesOf(request, layout)?.assignment.extra.length ?? 0) : 1,
    tile: layout && { width: layout.tileWidth, height: layout.tileHeight },
  };
}

/** Without a budget every tile fits: layoutFor never refuses (its --tile-size check still holds). */
const NO_REFUSAL = () => new Error('unreachable: no memory budget');

export type Footprint = Pick<FitPlan, 'peakBytes' | 'largestTensorBytes' | 'macsPerStep' | 'nodesPerStep' | 'bytesPerStep'>;

/** Peak live bytes, largest tensor, multiply-adds, nodes and bytes written of one run of a graph. */
export function graphFootprint(graph: Graph): Footprint {
  const nodes = liveNodes(graph);
  const lastUse = new Map<number, number>();
  nodes.forEach((n, k) => n.inputs.forEach((i) => i && lastUse.set(i.id, k)));
  for (const o of graph.outputs) lastUse.set(o.id, nodes.length);
  const resident = [...graph.inputs, ...graph.initializers.map((i) => i.value)];
  const residentIds = new Set(resident.map((v) => v.id));
  let live = resident.reduce((s, v) => s + bytesOf(v), 0);
  let peak = live;
  let largest = Math.max(0, ...resident.map(bytesOf));
  let macs = 0;
  let written = 0;
  nodes.forEach((n, k) => {
    for (const o of n.outputs) {
      live += bytesOf(o);
      written += bytesOf(o);
      largest = Math.max(largest, bytesOf(o));
    }
    peak = Math.max(peak, live);
    for (const i of new Set(n.inputs)) if (i && !residentIds.has(i.id) && lastUse.get(i.id) === k) live -= bytesOf(i);
    macs += matrixFlops(n) / 2;
  });
  return { peakBytes: peak, largestTensorBytes: largest, macsPerStep: macs, nodesPerStep: nodes.length, bytesPerStep: written };
}
