/**
 * Training-free screening of ISNAS-DIP (methods.md §2.4 step 1): draw random genotypes, run ONE
 * forward pass of each untrained cross-skip network (fresh PyTorch-default weights, input code
 * U(0, 0.1) with the image's channels, at full size) as an inference-only ONNX graph, and score the
 * output against the observation with the metrics. Returns every candidate's scores and, per metric,
 * the candidates best first; the cohort fit and selection (select.ts) take it from there.
 */
import { Graph } from '../graph/index.js';
import { lanczosDownsample } from '../layers/downsample.js';
import { crossSkipNetwork } from '../nets/index.js';
import { CROSS_SKIP_CHANNELS } from '../nets/cross-skip.js';
import { Params } from '../graph/params.js';
import { Engine, type BackendRequest, type Platform } from '../runtime/engine.js';
import { AbortError, InputError } from '../util/errors.js';
import { Rng } from '../util/random.js';
import { parseGenotype, printGenotype, type Genotype } from './genotype.js';
import { evaluateMetric, PAPER_METRICS, parseMetric, type MetricSpec } from './metrics.js';
import { observe, type Observation, type ObservationRequest } from './observation.js';
import { MAX_CANDIDATES, sampleGenotypes } from './space.js';
import { Spectra, type Planar } from './spectra.js';
import { topK } from './select.js';

export interface ScreenRequest extends ObservationRequest {
  /** How many random genotypes to screen (the paper: 5000); ignored when `genotypes` is given. */
  candidates: number;
  /** Metric names (metrics.ts); default the paper's two. */
  metrics?: readonly string[];
  /** Screen these genotypes instead of random ones. */
  genotypes?: readonly Genotype[];
  seed?: number;
  /** Width of the networks (default 128, the paper's); the fit's own width, so that what is scored is what is fitted. */
  channels?: number;
  backend?: BackendRequest;
  threads?: number;
}

export interface ScreenedCandidate {
  genotype: Genotype;
  /** Printed genotype (xs1_…). */
  name: string;
  scores: Record<string, number>;
  /** Wall time of this candidate: graph build and load with the weights drawn, forward pass, metrics. */
  seconds: { setup: number; forward: number; metrics: number };
}

export interface ScreenHooks {
  /** After each candidate, with the output region the metrics compared (planar, the observation's size). */
  onCandidate?: (candidate: ScreenedCandidate, index: number, total: number, output: Planar) => void;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

export interface ScreenResult {
  candidates: ScreenedCandidate[];
  /** Per metric: candidate indices, best (lowest) first. */
  rankings: Record<string, number[]>;
  canvas: { width: number; height: number };
  backend: string;
  threads: number;
  seconds: number;
}

function checkRequest(r: ScreenRequest): { metrics: [string, MetricSpec][]; genotypes: (rng: Rng) => Genotype[] } {
  const explicit = r.genotypes;
  if (!explicit && (!Number.isInteger(r.candidates) || r.candidates < 1 || r.candidates > MAX_CANDIDATES)) {
    throw new InputError(`--candidates must be a whole number from 1 to ${MAX_CANDIDATES}, got ${r.candidates}`, { code: 'BAD_OPTION' });
  }
  const names = r.metrics ?? PAPER_METRICS;
  if (names.length === 0) throw new InputError('--metrics needs at least one metric, e.g. psd-db-strip-mse', { code: 'BAD_OPTION' });
  // Genotypes given as values are checked as their printed form would be (cell range, buildable, 25 bits).
  for (const g of explicit ?? []) parseGenotype(printGenotype(g));
  return {
    metrics: [...new Set(names)].map((n) => [n, parseMetric(n)]),
    genotypes: (rng) => (explicit ? [...explicit] : sampleGenotypes(rng, r.candidates)),
  };
}

/** The inference-only graph of one candidate: z → network (→ Lanczos-2 downsampling for super-resolution). */
export function screeningGraph(
  genotype: Genotype,
  obs: Pick<Observation, 'channels' | 'canvas' | 'scale'>,
  width = CROSS_SKIP_CHANNELS,
): { graph: Graph; params: Params } {
  const graph = new Graph('screen');
  const params = new Params(graph);
  const z = graph.input('z', [1, obs.channels, obs.canvas.height, obs.canvas.width]);
  let out = crossSkipNetwork(genotype, obs.channels, width).build(params, z);
  if (obs.scale > 1) out = lanczosDownsample(out, obs.scale, 2);
  graph.output(out, 'out');
  return { graph, params };
}

async function screenOne(
  engine: Engine,
  genotype: Genotype,
  obs: Observation,
  target: Spectra,
  metrics: [string, MetricSpec][],
  rng: Rng,
  width: number | undefined,
): Promise<{ candidate: ScreenedCandidate; output: Planar }> {
  const t0 = performance.now();
  const { graph, params } = screeningGraph(genotype, obs, width);
  const program = await engine.compile(graph);
  let output: Float32Array;
  let t1: number;
  try {
    const feeds: Record<string, Float32Array> = {};
    params.initialize(rng).forEach((v, i) => {
      feeds[params.values[i].name] = v;
    });
    feeds.z = rng.fillUniform(new Float32Array(obs.channels * obs.canvas.width * obs.canvas.height), 0, 0.1);
    t1 = performance.now();
    output = (await program.run(feeds)).out;
  } finally {
    await program.release();
  }
  const t2 = performance.now();
  const region = obs.crop(output);
  const spectra = new Spectra(region);
  const scores = Object.fromEntries(metrics.map(([name, spec]) => [name, evaluateMetric(spec, target, spectra, rng)]));
  const t3 = performance.now();
  const seconds = { setup: (t1 - t0) / 1000, forward: (t2 - t1) / 1000, metrics: (t3 - t2) / 1000 };
  return { candidate: { genotype, name: printGenotype(genotype), scores, seconds }, output: region };
}

export async function screenWith(platform: Platform, request: ScreenRequest, hooks: ScreenHooks = {}): Promise<ScreenResult> {
  const start = performance.now();
  const { metrics, genotypes } = checkRequest(request);
  const obs = observe(request);
  const rng = new Rng(request.seed ?? 0);
  const drawn = genotypes(rng.fork());
  // One stream per candidate, forked in order: candidate i's weights and code do not depend on how many follow.
  const candidateStreams = rng.fork();
  const engine = await Engine.create(platform, { backend: request.backend, threads: request.threads, log: hooks.log });
  const target = new Spectra(obs.target);
  const candidates: ScreenedCandidate[] = [];
  for (const [i, genotype] of drawn.entries()) {
    if (hooks.signal?.aborted) throw new AbortError('screening was aborted');
    const { candidate, output } = await screenOne(engine, genotype, obs, target, metrics, candidateStreams.fork(), request.channels);
    candidates.push(candidate);
    hooks.onCandidate?.(candidate, i, drawn.length, output);
  }
  const rankings = Object.fromEntries(
    metrics.map(([name]) => [
      name,
      topK(
        candidates.map((c) => c.scores[name]),
        candidates.length,
      ),
    ]),
  );
  return { candidates, rankings, canvas: obs.canvas, backend: engine.backend, threads: engine.threads, seconds: (performance.now() - start) / 1000 };
}
