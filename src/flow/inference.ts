/**
 * Using trained HCFlow weights: rescale down (HR → learned 8-bit LR), rescale up (LR → HR with the
 * latents drawn at a temperature; 0 = the mean) and SR sampling (several HR samples of one LR). Each
 * call builds the graph for the image's size; any size works: the HR is reflect-padded to the model's
 * multiple before going down and the result cropped, grey images run as RGB, alpha is resampled alone.
 */
import { Graph } from '../graph/graph.js';
import { clip } from '../graph/index.js';
import { noiseKeys } from '../graph/ops/random.js';
import { cropImage, fromPlanar, joinAlpha, padReflect, toPlanar, type Image } from '../image/image.js';
import { resampleAntialiased } from '../image/resample.js';
import { Params } from '../graph/params.js';
import type { Engine, HostArray } from '../runtime/engine.js';
import { InputError } from '../util/errors.js';
import { type FlowModelKind, modelMultiple } from './config.js';
import { FlowContext } from './context.js';
import { flowNet, latentShapes } from './flownet.js';
import { quantize8, sampleLatents } from './quantize.js';
import { rgbToGrey, splitRgb } from './rgb.js';
import { checkWeightsFit, type FlowWeights } from './weights.js';

export interface LoadedFlow {
  weights: FlowWeights;
  /** The file name, for messages. */
  name: string;
}

function requireKind(model: LoadedFlow, kind: FlowModelKind, what: string): void {
  const got = model.weights.manifest.model.kind;
  if (got !== kind) throw new InputError(`--weights ${model.name} holds a ${got} model; ${what} needs a ${kind} model`, { code: 'BAD_WEIGHTS' });
}

/** A graph with the model's parameters as inputs, checked against the weights; `feeds` maps them. */
function modelGraph(model: LoadedFlow, name: string) {
  const g = new Graph(name);
  const params = new Params(g);
  const net = flowNet(new FlowContext(params), model.weights.manifest.model.net);
  checkWeightsFit(model.weights, params, model.name);
  const feeds: Record<string, HostArray> = {};
  params.values.forEach((p, i) => (feeds[p.name] = model.weights.tensors[i]));
  return { g, net, feeds };
}

async function runOnce(engine: Engine, g: Graph, feeds: Record<string, HostArray>, output: string): Promise<Float32Array> {
  const program = await engine.compile(g);
  try {
    return (await program.run(feeds))[output];
  } finally {
    await program.release();
  }
}

/** The colour result back in the input's form: grey if it was grey, its alpha resampled to the new size. */
function finish(rgb: Image, source: { alpha: Image | null; grey: boolean }): Image {
  const color = source.grey ? rgbToGrey(rgb) : rgb;
  const alpha = source.alpha && resampleAntialiased(source.alpha, rgb.width, rgb.height, 'bicubic');
  return joinAlpha(color, alpha);
}

/** HR → the learned LR (8-bit values), ⌈w/s⌉ × ⌈h/s⌉. */
export async function rescaleDown(engine: Engine, model: LoadedFlow, image: Image): Promise<Image> {
  requireKind(model, 'rescaling', 'rescaling down');
  const s = modelMultiple(model.weights.manifest.model);
  const source = splitRgb(image);
  const { width: w, height: h } = source.rgb;
  const padded = padReflect(source.rgb, 0, (s - (h % s)) % s, 0, (s - (w % s)) % s);
  const { g, net, feeds } = modelGraph(model, 'hcflow_down');
  const hr = g.input('hr', [1, 3, padded.height, padded.width]);
  g.output(quantize8(net.forward(hr).y), 'lr');
  const lr = await runOnce(engine, g, { ...feeds, hr: toPlanar(padded) }, 'lr');
  const small = fromPlanar(lr, padded.width / s, padded.height / s, 3);
  return finish(cropImage(small, 0, 0, Math.ceil(w / s), Math.ceil(h / s)), source);
}

export interface UpOptions {
  /** τ: latents are τ·N(0, I); 0 gives the mean. Default 1 (rescaling) / 0.9 (SR). */
  temperature?: number;
  seed?: number;
}

/** One reverse graph for an LR size; `run(k)` draws sample k. */
async function reverseSampler(engine: Engine, model: LoadedFlow, lr: Image, temperature: number, seed: number) {
  if (!Number.isFinite(temperature) || temperature < 0) {
    throw new InputError(`--temperature must be a number ≥ 0 (0 gives the mean), got ${temperature}`, { code: 'BAD_OPTION' });
  }
  const { g, net, feeds } = modelGraph(model, 'hcflow_up');
  const { width: w, height: h } = lr;
  const lrIn = g.input('lr', [1, 3, h, w]);
  const keys = g.input('noise_key', [2], 'int64');
  const latents = sampleLatents(keys, latentShapes(net.config.levels, 1, h, w), g.input('temperature', []));
  g.output(clip(net.inverse(lrIn, latents), 0, 1), 'hr');
  const program = await engine.compile(g);
  const base = { ...feeds, lr: toPlanar(lr), temperature: Float32Array.of(temperature) };
  const s = 2 ** net.config.levels;
  return {
    run: async (k: number) => fromPlanar((await program.run({ ...base, noise_key: noiseKeys(seed, k) })).hr, w * s, h * s, 3),
    release: () => program.release(),
  };
}

/** LR → HR (s× the size, or `width`×`height` when given, e.g. the size before rescaleDown). */
export async function rescaleUp(engine: Engine, model: LoadedFlow, lr: Image, o: UpOptions & { width?: number; height?: number } = {}): Promise<Image> {
  requireKind(model, 'rescaling', 'rescaling up');
  const source = splitRgb(lr);
  const sampler = await reverseSampler(engine, model, source.rgb, o.temperature ?? 1, o.seed ?? 0);
  try {
    const hr = await sampler.run(0);
    const cropped = o.width || o.height ? cropImage(hr, 0, 0, Math.min(o.width ?? hr.width, hr.width), Math.min(o.height ?? hr.height, hr.height)) : hr;
    return finish(cropped, source);
  } finally {
    await sampler.release();
  }
}

/** `count` diverse ×4 SR samples of a (bicubic-like) LR image at temperature τ. */
export async function sampleSuperResolution(engine: Engine, model: LoadedFlow, lr: Image, o: UpOptions & { count?: number } = {}): Promise<Image[]> {
  requireKind(model, 'sr', 'sampling');
  const count = o.count ?? 1;
  if (!Number.isInteger(count) || count < 1) throw new InputError(`--count must be a positive integer, got ${count}`, { code: 'BAD_OPTION' });
  const source = splitRgb(lr);
  const sampler = await reverseSampler(engine, model, source.rgb, o.temperature ?? 0.9, o.seed ?? 0);
  try {
    const out: Image[] = [];
    for (let k = 0; k < count; k++) out.push(finish(await sampler.run(k), source));
    return out;
  } finally {
    await sampler.release();
  }
}
