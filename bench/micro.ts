/**
 * Times small graphs on ONNX Runtime's CPU provider with the engine's session options: median wall
 * and process CPU milliseconds per run. Used by the peak-FLOP and formulation benchmarks, which
 * interleave their variants so that load from other processes hits all of them alike.
 */
import { toOnnx, type Graph } from '../src/graph/index.js';
import { sessionOptions, type OrtSession, type OrtTensor } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { Rng } from '../src/util/random.js';

export interface Timed {
  wallMs: number;
  cpuMs: number;
}

export interface Loaded {
  run(): Promise<Timed>;
  /** One run's outputs, for checking that variants agree. */
  outputs(): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Loads a graph whose inputs are all float32 and feeds them U(-1, 1) once. */
export async function load(g: Graph, threads: number, extra: Record<string, unknown> = {}): Promise<Loaded> {
  const ort = await nodePlatform.loadOrt('cpu');
  const session: OrtSession = await ort.InferenceSession.create(toOnnx(g), { ...sessionOptions('cpu', threads), ...extra });
  const rng = new Rng(7);
  const feeds: Record<string, OrtTensor> = {};
  for (const v of g.inputs) {
    const n = v.shape.reduce((a, b) => a * b, 1);
    feeds[v.name] = new ort.Tensor('float32', rng.fillUniform(new Float32Array(n), -1, 1), v.shape);
  }
  return {
    async run() {
      const c = process.cpuUsage();
      const t = performance.now();
      await session.run(feeds);
      const wallMs = performance.now() - t;
      const dc = process.cpuUsage(c);
      return { wallMs, cpuMs: (dc.user + dc.system) / 1000 };
    },
    async outputs() {
      const out = await session.run(feeds);
      return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.data as Float32Array]));
    },
    release: () => session.release(),
  };
}

/** Runs every variant `repeats` times round-robin after one warm-up each; medians per variant. */
export async function interleaved(variants: Loaded[], repeats: number): Promise<Timed[]> {
  for (const v of variants) await v.run();
  const samples = variants.map(() => [] as Timed[]);
  for (let r = 0; r < repeats; r++) for (const [i, v] of variants.entries()) samples[i].push(await v.run());
  return samples.map((s) => ({ wallMs: median(s.map((t) => t.wallMs)), cpuMs: median(s.map((t) => t.cpuMs)) }));
}
