/**
 * A joint tiled fit: ONE network fitted to the whole image through its tiles, in the memory of one
 * tile. To the fit loop (src/fit/fit.ts) it is the whole image's step graph — the same inputs
 * (full-canvas code, data, smoothing and monitor state) and outputs (next weights and moments, loss,
 * output, smoothed output, monitors) — made of three graphs run per step:
 *   1. the tile graph, once per tile: its loss weighted by the tile's blending window, its gradients
 *      added in the graph to the tiles' before it (nothing is updated);
 *   2. Adam on the summed gradients;
 *   3. the stitching graph: the tiles' outputs blended into the canvas by their windows, then the
 *      smoothing and the stopping rule's statistics on the whole canvas, as the step graph has them.
 * The windows are a partition of unity, so every pixel's error counts once: the loss and its gradient
 * are the whole image's up to what each tile sees at its border, and the fit follows the whole-image
 * fit, where tiles fitted one by one each follow their own (docs/RESULTS.md, tiling).
 * The code and the data are cropped tile by tile into reusable buffers (one tile's memory, not all tiles').
 */
import { Graph, type Value } from '../graph/graph.js';
import { add, mul, pad, sqrt, sub } from '../graph/index.js';
import type { RunSetup } from '../restore/setup.js';
import { stepSpecOf } from '../restore/step.js';
import { ACC, addMonitors, buildAdamGraph, buildStepGraph, STATE, type StepGraph } from '../fit/step-graph.js';
import type { AdamOptions } from '../fit/adam-graph.js';
import type { Engine, Feed, Program, StepOutputs } from '../runtime/engine.js';
import type { Rect, TileLayout } from './geometry.js';
import { layoutWindows, tileWeight } from './blend.js';

/** Reusable tile-sized buffers the code and the data are cropped into, one tile at a time. */
interface CropBuffers {
  z: Float32Array;
  data: Record<string, Float32Array>;
}

/**
 * Whether a set-up run's step can be split into tiles that share it: a squared-error data term on an
 * output the size of the input, every weight trained, no Lipschitz cap, no coarse stage, a code drawn
 * at the canvas's resolution.
 */
export function canTileJointly(run: RunSetup): boolean {
  const s = run.settings;
  const plain = !s.lipschitz && !s.coarseIterations && !s.trainable && s.input !== 'image';
  return plain && run.net.inputDownscale === 1 && !!run.problem.squaredError && !run.problem.inputImage;
}

export class JointTiledProgram implements Program {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly keepsOnDevice = false;
  private ones: Float32Array | null = null;

  private constructor(
    private readonly setup: RunSetup,
    private readonly layout: TileLayout,
    private readonly whole: StepGraph,
    private readonly tile: Program,
    private readonly adam: Program,
    private readonly stitch: Program,
    private readonly windows: Float32Array[],
    private readonly zeros: Float32Array[],
    private readonly buffers: CropBuffers,
  ) {
    this.inputNames = whole.graph.inputs.map((v) => v.name);
    this.outputNames = [...adam.outputNames, ...stitch.outputNames, 'loss'];
  }

  /** Compiles the three graphs of `run`'s joint fit over `layout` (input side; same-size tasks). */
  static async create(engine: Engine, run: RunSetup, layout: TileLayout, whole: StepGraph, adam: AdamOptions): Promise<JointTiledProgram> {
    const tileStep = tileStepGraph(run, layout);
    const windows = tileWindows(layout);
    const programs = await Promise.all([
      engine.compile(tileStep.graph),
      engine.compile(buildAdamGraph(whole, adam)),
      engine.compile(stitchGraph(run, layout, whole)),
    ]);
    const zeros = whole.params.values.map((p, i) => new Float32Array(whole.trained[i] ? p.shape.reduce((a, b) => a * b, 1) : 0));
    const plane = layout.tileWidth * layout.tileHeight;
    const buffers: CropBuffers = {
      z: new Float32Array(run.inputShape[1] * plane),
      data: Object.fromEntries(Object.keys(run.problem.data).map((k) => [k, new Float32Array(run.problem.channels * plane)])),
    };
    return new JointTiledProgram(run, layout, whole, programs[0], programs[1], programs[2], windows, zeros, buffers);
  }

  async run(feeds: Record<string, Feed>): Promise<Record<string, Float32Array>> {
    const out = await this.runKeeping(feeds);
    return { ...out.host, ...(out.kept as Record<string, Float32Array>) };
  }

  async runKeeping(feeds: Record<string, Feed>): Promise<StepOutputs> {
    const { whole } = this;
    let acc: Feed[] = this.zeros;
    let loss = 0;
    const outputs: Record<string, Feed> = {};
    for (const t of this.layout.tiles) {
      // The tile graph is run (and awaited) before the buffers are cut again for the next tile.
      const f: Record<string, Feed> = { ...this.cut(feeds, t), noise_std: feeds[whole.names.noiseStd], window: this.windows[t.index] };
      if (whole.names.noiseKey) f[whole.names.noiseKey] = tileKey(feeds[whole.names.noiseKey] as BigInt64Array, t.index);
      whole.params.values.forEach((p, i) => {
        f[p.name] = feeds[p.name];
        if (whole.trained[i]) f[ACC(i)] = acc[i];
      });
      const o = await this.tile.run(f);
      acc = whole.params.values.map((_, i) => (whole.trained[i] ? o[`${ACC(i)}_next`] : this.zeros[i]));
      loss += o.loss[0];
      outputs[`tile${t.index}`] = o.output;
      outputs[`window${t.index}`] = this.windows[t.index];
    }
    const adamFeeds: Record<string, Feed> = { step_size: feeds[whole.names.stepSize], inv_sqrt_bc2: feeds[whole.names.invSqrtBc2] };
    whole.params.values.forEach((p, i) => {
      if (!whole.trained[i]) return;
      adamFeeds[p.name] = feeds[p.name];
      adamFeeds[`g${i}`] = acc[i];
      adamFeeds[STATE.m(i)] = feeds[STATE.m(i)];
      adamFeeds[STATE.v(i)] = feeds[STATE.v(i)];
    });
    const updated = await this.adam.run(adamFeeds);
    const stitched = await this.stitch.run({ ...feeds, ...outputs });
    return { host: { ...stitched, loss: Float32Array.of(loss) }, kept: updated };
  }

  /** Tile `t`'s crops of the code and the data inputs, in the reusable buffers (data without a weight: a weight of 1). */
  private cut(feeds: Record<string, Feed>, t: Rect): Record<string, Float32Array> {
    const { canvas, channels, data } = this.setup.problem;
    const crops: Record<string, Float32Array> = { z: cropPlanar(feeds[this.whole.names.z!] as Float32Array, canvas, t, this.buffers.z) };
    for (const name of Object.keys(data)) crops[name] = cropPlanar(feeds[name] as Float32Array, canvas, t, this.buffers.data[name]);
    crops.weight ??= this.ones ??= new Float32Array(channels * t.width * t.height).fill(1);
    return crops;
  }

  async release(): Promise<void> {
    await Promise.all([this.tile.release(), this.adam.release(), this.stitch.release()]);
  }
}

/** The step graph of one tile: the run's network and loss on a tile-sized canvas, accumulating, its loss scaled to the whole canvas's mean. */
function tileStepGraph(run: RunSetup, layout: TileLayout): StepGraph {
  const spec = stepSpecOf(run);
  const { tileWidth: w, tileHeight: h } = layout;
  const { canvas, channels } = run.problem;
  const [, zc] = run.inputShape;
  const shape = [1, channels, h, w];
  const inputs = { ...Object.fromEntries(Object.keys(run.problem.data).map((k) => [k, shape])), weight: shape, window: [1, 1, h, w] };
  // The data term weighs (output − target)² by weight²: weight × √window weighs it by the window.
  const loss = (out: Value, d: Record<string, Value>) => spec.loss.loss(out, { ...d, weight: mul(d.weight, sqrt(d.window)) });
  return buildStepGraph({
    ...spec,
    inputShape: [1, zc, h, w],
    loss: { ...spec.loss, inputs, loss },
    monitors: undefined,
    monitorReference: false,
    accumulate: { scale: (w * h) / (canvas.width * canvas.height) },
  });
}

/** Each tile's 2-D blending window (one channel, row-major). */
function tileWindows(layout: TileLayout): Float32Array[] {
  const windows = layoutWindows(layout);
  return layout.tiles.map((t) => {
    const out = new Float32Array(t.width * t.height);
    for (let j = 0; j < t.height; j++) for (let i = 0; i < t.width; i++) out[j * t.width + i] = tileWeight(layout, windows, t.index, i, j);
    return out;
  });
}

/**
 * Blends the tiles' outputs (inputs tile<k>, window<k>) into the canvas, then the whole step graph's
 * smoothing (`avg`, `avg_weight` → `avg_next`) and monitors on it; outputs `output` like the step graph.
 */
function stitchGraph(run: RunSetup, layout: TileLayout, whole: StepGraph): Graph {
  const g = new Graph('joint_stitch');
  const { canvas, channels } = run.problem;
  const { tileWidth: w, tileHeight: h } = layout;
  let sum: Value | null = null;
  for (const t of layout.tiles) {
    const out = g.input(`tile${t.index}`, [1, channels, h, w]);
    const win = g.input(`window${t.index}`, [1, 1, h, w]);
    const placed = pad(mul(out, win), [0, 0, t.y, t.x, 0, 0, canvas.height - t.y - h, canvas.width - t.x - w]);
    sum = sum ? add(sum, placed) : placed;
  }
  const output = sum!;
  const avg = g.input(whole.names.avg, output.shape);
  const avgWeight = g.input(whole.names.avgWeight, []);
  const avgNext = add(mul(avg, avgWeight), mul(output, sub(1, avgWeight)));
  g.output(output, 'output');
  g.output(avgNext, 'avg_next');
  const spec = stepSpecOf(run);
  addMonitors(g, { monitors: spec.monitors, monitorReference: spec.monitorReference }, output, avgNext);
  return g;
}

/** Planar [C, H, W] of the canvas → the rectangle's [C, h, w], into `out` (its length says C). */
function cropPlanar(src: Float32Array, canvas: { width: number; height: number }, r: Rect, out: Float32Array): Float32Array {
  const channels = out.length / (r.width * r.height);
  for (let c = 0; c < channels; c++) {
    for (let y = 0; y < r.height; y++) {
      const from = (c * canvas.height + r.y + y) * canvas.width + r.x;
      out.set(src.subarray(from, from + r.width), (c * r.height + y) * r.width);
    }
  }
  return out;
}

/** Tile k's own reg-noise key: the step's (tile 0: as it is), mixed with the tile (deterministic, so a resume redraws the same noise). */
function tileKey(key: BigInt64Array, k: number): BigInt64Array {
  if (k === 0) return key;
  return BigInt64Array.of(key[0] ^ BigInt((Math.imul(k + 1, 0x9e3779b1) >>> 0) & 0x7fffffff), key[1]);
}
