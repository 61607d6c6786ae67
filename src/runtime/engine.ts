/**
 * ONNX Runtime sessions behind a small interface. The ONNX Runtime module itself is injected
 * (onnxruntime-node in Node, onnxruntime-web in the browser): both expose the same
 * InferenceSession/Tensor API, so nothing here imports a Node- or browser-only module.
 */
import { EngineError, InputError } from '../util/errors.js';
import { nchwcLowering } from '../graph/nchwc.js';
import { toOnnx } from '../graph/onnx.js';
import { nchwcBlockSize } from './nchwc-probe.js';
import type { Graph, Value } from '../graph/graph.js';
import { DeviceArray, type DeviceTensor, type StateArray } from './device-array.js';

export type BackendName = 'cpu' | 'webgpu' | 'cuda' | 'wasm';
export type BackendRequest = BackendName | 'auto';
export const BACKENDS: readonly BackendName[] = ['cpu', 'webgpu', 'cuda', 'wasm'];

export type HostArray = Float32Array | BigInt64Array;
/** What a program can be fed: host arrays, or outputs of an earlier run kept on the device. */
export type Feed = HostArray | DeviceArray;

/** The subset of the onnxruntime-common API deep-prior uses. */
export interface OrtModule {
  InferenceSession: { create(model: Uint8Array, options?: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32' | 'int64', data: HostArray, dims: readonly number[]) => OrtTensor;
}
export interface OrtTensor {
  readonly data: unknown;
  readonly dims: readonly number[];
  /** onnxruntime-web: 'cpu', or 'gpu-buffer' for outputs kept on the WebGPU device. */
  readonly location?: string;
  dispose?(): void;
}
export interface OrtSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensor>): Promise<Record<string, OrtTensor>>;
  release(): Promise<void>;
}

/** How a platform makes its ONNX Runtime available (injected by the Node or browser entry point). */
export interface Platform {
  readonly name: 'node' | 'browser';
  /** The ONNX Runtime module that runs `backend` (a platform may use different builds per backend). */
  loadOrt(backend: BackendName): Promise<OrtModule>;
  /** Backends this platform can run at all, best first for 'auto'. */
  candidates(): BackendName[];
  /** Cheap feasibility probe for a backend; returns a reason string when it is unavailable. */
  probe(backend: BackendName): Promise<string | null>;
  /** Why 'auto' passes over a backend that would run (WebGPU on a software rasteriser); null to try it. */
  autoSkip?(backend: BackendName): Promise<string | null>;
  defaultThreads(): number;
  /** Whether this backend's outputs can stay on its device between runs (onnxruntime-web's WebGPU). Absent: never. */
  keepsOnDevice?(backend: BackendName): boolean;
  /** This process's CPU seconds (all threads) and resident bytes, where the host tells them (Node); for measuring costs. */
  processUsage?(): { cpuSeconds: number; residentBytes: number };
}

export interface EngineOptions {
  backend?: BackendRequest;
  threads?: number;
  /** CPU provider: run k×k convolutions on ONNX Runtime's NCHWc kernels where it has them (default true; src/graph/nchwc.ts). */
  nchwc?: boolean;
  /** ONNX Runtime session options merged over the engine's own (benchmarks trying options). */
  sessionOverrides?: Record<string, unknown>;
  /** Called once with a line explaining which backend was chosen and why. */
  log?: (message: string) => void;
}

export interface BackendChoice {
  backend: BackendName;
  reason: string;
}

/** Picks a backend: the requested one if it works (else a clear error), or the best working one for 'auto'. */
export async function chooseBackend(platform: Platform, request: BackendRequest = 'auto'): Promise<BackendChoice> {
  const candidates = platform.candidates();
  if (request !== 'auto') {
    if (!candidates.includes(request)) {
      throw new InputError(`backend "${request}" is not available in ${platform.name}; use one of: ${candidates.join(', ')}`, {
        code: 'BACKEND_UNAVAILABLE',
        option: 'backend',
      });
    }
    const why = await platform.probe(request);
    if (why) throw new EngineError(`backend "${request}" cannot run here: ${why}`, { code: 'BACKEND_UNAVAILABLE' });
    return { backend: request, reason: `requested with --backend ${request}` };
  }
  const skipped: string[] = [];
  for (const b of candidates) {
    const why = (await platform.autoSkip?.(b)) ?? (await platform.probe(b));
    if (!why) return { backend: b, reason: `auto${skipped.length ? `, skipped: ${skipped.join('; ')}` : ''}` };
    skipped.push(`${b}: ${why}`);
  }
  throw new EngineError(`no backend can run here: ${skipped.join('; ')}`, { code: 'BACKEND_UNAVAILABLE' });
}

export interface CompileOptions {
  /**
   * Outputs to leave on the device when the backend has one (WebGPU in the browser): `runKeeping`
   * returns them as DeviceArrays, to be fed back as inputs. Elsewhere they are host arrays as usual.
   */
  keep?: readonly string[];
}

/** One run's outputs: those named in CompileOptions.keep (on the device where possible), and the rest on the host. */
export interface StepOutputs {
  host: Record<string, Float32Array>;
  kept: Record<string, StateArray>;
}

export interface Program {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  /** Whether kept outputs really stay on a device (else runKeeping's `kept` holds host arrays). */
  readonly keepsOnDevice: boolean;
  /** One session.run: every output on the host (fresh arrays, owned by the caller). */
  run(feeds: Record<string, Feed>): Promise<Record<string, Float32Array>>;
  /** One session.run leaving the kept outputs on the device; the caller releases them (device-array.ts). */
  runKeeping(feeds: Record<string, Feed>): Promise<StepOutputs>;
  release(): Promise<void>;
}

/** ONNX Runtime session options of every deep-prior graph (exported for the profiling benchmark). */
export function sessionOptions(backend: BackendName, threads: number): Record<string, unknown> {
  return {
    executionProviders: [backend],
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    logSeverityLevel: 3,
    // Measured on the reference skip net at 256²: ORT's memory pattern pre-plans one block per run
    // and nearly doubled peak memory (1.47 GB vs 0.88 GB) while being slower; the arena alone reuses well.
    enableCpuMemArena: true,
    enableMemPattern: false,
  };
}

/**
 * ONNX Runtime sessions compiled and not yet released, and tensors made for a run and not yet
 * disposed: a leak check for long batches (thousands of fits must bring both back to zero).
 */
const live = { programs: 0, tensors: 0 };

export function liveEngineObjects(): { programs: number; tensors: number } {
  return { ...live };
}

export class Engine {
  private constructor(
    private readonly ort: OrtModule,
    readonly backend: BackendName,
    readonly reason: string,
    readonly threads: number,
    /** Outputs named in CompileOptions.keep stay on the device (onnxruntime-web's WebGPU). */
    readonly keepsOnDevice: boolean,
    /** Channel block of the NCHWc lowering, 0 when convolutions are emitted as they are. */
    readonly nchwcBlock: number,
    private readonly overrides: Record<string, unknown> = {},
  ) {}

  static async create(platform: Platform, options: EngineOptions = {}): Promise<Engine> {
    // Values are checked at the edge (src/validate.ts); the engine trusts them.
    const threads = options.threads ?? platform.defaultThreads();
    const choice = await chooseBackend(platform, options.backend ?? 'auto');
    const ort = await platform.loadOrt(choice.backend);
    const block = choice.backend === 'cpu' && options.nchwc !== false ? await nchwcBlockSize(ort) : 0;
    options.log?.(`backend: ${choice.backend} (${choice.reason}); threads: ${threads}`);
    const keepsOnDevice = platform.keepsOnDevice?.(choice.backend) ?? false;
    return new Engine(ort, choice.backend, choice.reason, threads, keepsOnDevice, block, options.sessionOverrides);
  }

  /** Serialises and loads a graph; shapes of inputs are checked on every run. */
  async compile(graph: Graph, options: CompileOptions = {}): Promise<Program> {
    const model = toOnnx(graph, this.nchwcBlock ? nchwcLowering(graph, this.nchwcBlock) : undefined);
    const keep = this.keepsOnDevice ? (options.keep ?? []) : [];
    let session: OrtSession;
    try {
      session = await this.ort.InferenceSession.create(model, {
        ...sessionOptions(this.backend, this.threads),
        ...this.overrides,
        ...(keep.length > 0 && { preferredOutputLocation: Object.fromEntries(keep.map((name) => [name, 'gpu-buffer'])) }),
      });
    } catch (e) {
      throw new EngineError(`ONNX Runtime could not load the ${this.backend} graph: ${(e as Error).message.split('\n')[0]}`);
    }
    live.programs++;
    return new CompiledProgram(this.ort, session, graph.inputs, new Set(options.keep ?? []), keep.length > 0);
  }
}

class CompiledProgram implements Program {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private released = false;

  constructor(
    private readonly ort: OrtModule,
    private readonly session: OrtSession,
    private readonly inputs: readonly Value[],
    private readonly keep: ReadonlySet<string>,
    readonly keepsOnDevice: boolean,
  ) {
    this.inputNames = inputs.map((v) => v.name);
    this.outputNames = session.outputNames;
  }

  async run(feeds: Record<string, Feed>): Promise<Record<string, Float32Array>> {
    const out = await this.runSession(feeds);
    const result: Record<string, Float32Array> = {};
    for (const name of this.outputNames) result[name] = await hostData(out[name]);
    return result;
  }

  async runKeeping(feeds: Record<string, Feed>): Promise<StepOutputs> {
    const out = await this.runSession(feeds);
    const result: StepOutputs = { host: {}, kept: {} };
    for (const name of this.outputNames) {
      const t = out[name];
      if (!this.keep.has(name)) result.host[name] = await hostData(t);
      else if (t.location === 'gpu-buffer') result.kept[name] = new DeviceArray(t as OrtTensor & DeviceTensor, numel(t.dims));
      else result.kept[name] = await hostData(t);
    }
    return result;
  }

  private async runSession(feeds: Record<string, Feed>): Promise<Record<string, OrtTensor>> {
    const made: OrtTensor[] = [];
    try {
      const tensors: Record<string, OrtTensor> = {};
      for (const v of this.inputs) tensors[v.name] = this.tensorOf(v, feeds[v.name], made);
      const out = await this.session.run(tensors);
      for (const t of Object.values(out)) if (t.location !== 'gpu-buffer') live.tensors++;
      return out;
    } catch (e) {
      if (e instanceof EngineError) throw e;
      throw new EngineError(`ONNX Runtime failed during a step: ${(e as Error).message.split('\n')[0]}`);
    } finally {
      // Feeds made here are freed; the caller's host arrays stay valid.
      for (const t of made) release(t);
    }
  }

  private tensorOf(v: Value, data: Feed | undefined, made: OrtTensor[]): OrtTensor {
    if (!data) throw new EngineError(`missing input "${v.name}"`);
    const expected = numel(v.shape);
    if (data.length !== expected) {
      throw new EngineError(`input "${v.name}" has ${data.length} values, expected ${expected} for shape [${v.shape.join(', ')}]`);
    }
    if (data instanceof DeviceArray) return data.tensor as unknown as OrtTensor;
    const t = new this.ort.Tensor(v.dtype === 'int64' ? 'int64' : 'float32', data, v.shape);
    live.tensors++;
    made.push(t);
    return t;
  }

  /** Frees the session; a second call does nothing. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    live.programs--;
    await this.session.release();
  }
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A host copy of an output; one on the device is downloaded and freed. */
async function hostData(t: OrtTensor): Promise<Float32Array> {
  if (t.location !== 'gpu-buffer') {
    const data = t.data as Float32Array;
    release(t);
    return data;
  }
  const device = new DeviceArray(t as OrtTensor & DeviceTensor, numel(t.dims));
  const data = await device.download();
  device.release();
  return data;
}

/** Disposes a host tensor counted live (its data array stays valid for the caller). */
function release(t: OrtTensor): void {
  t.dispose?.();
  live.tensors--;
}
