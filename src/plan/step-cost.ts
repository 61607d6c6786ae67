/**
 * The cost of a request's training step at any image size: the step graph of the same task,
 * settings and network is built for a blank image of that size (shapes are all the cost depends
 * on) and measured by graph-cost.ts. Costs grow affinely with the canvas's pixel count, so two
 * builds give a curve for every size the tiling search tries; the chosen size is built exactly.
 */
import { createImage, type Image } from '../image/image.js';
import type { RestoreOptions } from '../options/index.js';
import { setUpRun, stopperFor } from '../restore/setup.js';
import { stepGraphOf } from '../restore/step.js';
import { effectiveSettings } from '../tasks/settings.js';
import { canvasSide, type CanvasRule } from '../tasks/task.js';
import { taskDefinition } from '../tasks/index.js';
import { network } from '../nets/index.js';
import { graphCost, type GraphCost } from './graph-cost.js';
import { canTileJointly } from '../tile/joint-program.js';

export interface StepCost extends GraphCost {
  canvas: { width: number; height: number };
  /** Trainable parameters of the network. */
  parameters: number;
  /** Whether its tiles can be fitted jointly (src/tile/joint-program.ts), and the input code's channels. */
  jointable: boolean;
  codeChannels: number;
}

const blank = (w: number, h: number, channels: number, value = 0.5): Image => {
  const img = createImage(w, h, channels);
  img.data.fill(value);
  return img;
};

/** The request with blank images of `width`×`height` (input side) in place of its own (a mask: all known). */
export function blankRequest(o: RestoreOptions, width: number, height: number): RestoreOptions {
  const scale = taskDefinition(o.task).outputScale?.(o) ?? 1;
  return {
    ...o,
    image: blank(width, height, o.image.channels),
    mask: o.mask && blank(width, height, 1, 1),
    guide: o.guide && blank(width, height, o.guide.channels),
    reference: o.reference && blank(width * scale, height * scale, o.reference.channels),
  };
}

/** The exact cost of one step of request `o` on an input of `width`×`height`. */
export async function stepCostAt(o: RestoreOptions, width: number, height: number): Promise<StepCost> {
  const run = await setUpRun({ ...blankRequest(o, width, height), stop: 'fixed' });
  const s = effectiveSettings(o);
  // The stopping rule's statistics are part of the graph; its noise estimate is not needed for shapes.
  run.stopper = stopperFor(o, s, run.problem, 0.1);
  const step = stepGraphOf(run);
  return {
    ...graphCost(step.graph),
    canvas: run.problem.canvas,
    parameters: step.params.count,
    jointable: canTileJointly(run),
    codeChannels: run.inputShape[1],
  };
}

/** The canvas a request's network draws for an input of `width`×`height` (what task.prepare does). */
export function canvasFor(o: RestoreOptions, width: number, height: number): { width: number; height: number } {
  const s = effectiveSettings(o);
  const net = network(s.arch, s.net, o.image.channels <= 2 ? 1 : 3);
  const scale = taskDefinition(o.task).outputScale?.(o) ?? 1;
  const rule: CanvasRule = { multiple: Math.max(net.multiple, scale), minSize: net.minSize };
  return { width: canvasSide(width * scale, rule), height: canvasSide(height * scale, rule) };
}

/** Step costs as affine functions of the canvas's pixel count, from two exact builds. */
export interface CostCurve {
  at(canvasPixels: number): GraphCost;
  /** The canvas rule, for turning input sizes into canvases. */
  canvasFor(width: number, height: number): { width: number; height: number };
  jointable: boolean;
  codeChannels: number;
}

const KEYS = ['inputBytes', 'peakLiveBytes', 'convFlops', 'streamBytes'] as const;

/** Curves already built in this process, by what shapes the step graph (a few entries). */
const curves = new Map<string, Promise<CostCurve>>();

/** Builds at canvases of about 128² and 256² (or the network's minimum and twice it); remembered per setting. */
export function costCurve(o: RestoreOptions): Promise<CostCurve> {
  const key = JSON.stringify({
    task: o.task,
    s: effectiveSettings(o),
    scale: o.scale,
    c: [o.image.channels, o.guide?.channels, o.reference?.channels],
    mask: !!o.mask,
    tv: o.tv,
    impulse: o.impulseLoss,
  });
  if (!curves.has(key)) {
    if (curves.size >= 16) curves.clear();
    curves.set(key, buildCurve(o));
  }
  return curves.get(key)!;
}

async function buildCurve(o: RestoreOptions): Promise<CostCurve> {
  const s = effectiveSettings(o);
  const minSize = network(s.arch, s.net, 3).minSize;
  const scale = taskDefinition(o.task).outputScale?.(o) ?? 1;
  const side = Math.ceil(Math.max(128, minSize) / scale);
  const a = await stepCostAt(o, side, side);
  const b = await stepCostAt(o, 2 * side, 2 * side);
  const pa = a.canvas.width * a.canvas.height;
  const pb = b.canvas.width * b.canvas.height;
  return {
    at: (p) => {
      const out = { nodes: b.nodes } as GraphCost;
      for (const k of KEYS) out[k] = Math.max(0, a[k] + ((b[k] - a[k]) * (p - pa)) / (pb - pa));
      return out;
    },
    canvasFor: (w, h) => canvasFor(o, w, h),
    jointable: a.jointable,
    codeChannels: a.codeChannels,
  };
}
