/**
 * Learnable parameters of a network. Each parameter is a graph input (so the training-step graph
 * can take the current weights and return updated ones); creation order is the order of PyTorch's
 * `parameters()` for the same network, which lets reference weights be loaded by position.
 */
import type { Graph, Shape, Value } from './graph.js';
import { numel } from './graph.js';
import type { Rng } from '../util/random.js';

export type ParamInit =
  | { kind: 'uniform'; bound: number }
  | { kind: 'constant'; value: number }
  | { kind: 'normal'; std: number }
  /** Any other draw (e.g. the LU factors of a random rotation); called in creation order with the shared generator. */
  | { kind: 'custom'; fill: (rng: Rng, out: Float32Array) => void };

export interface ParamSpec {
  readonly name: string;
  readonly shape: Shape;
  readonly size: number;
  readonly init: ParamInit;
  /** Conv weights that a Lipschitz constraint may rescale (set by the layer that created them); `code`: a trained input code. */
  readonly role: ParamRole;
}

export type ParamRole = 'conv-weight' | 'bias' | 'norm-scale' | 'norm-shift' | 'code' | 'other';

/** Non-learned state carried from step to step (e.g. power-iteration vectors of the Lipschitz cap). */
export interface AuxState {
  readonly name: string;
  readonly input: Value;
  output?: Value;
  readonly init: 'unit-random' | 'zeros';
}

export class Params {
  readonly specs: ParamSpec[] = [];
  readonly values: Value[] = [];
  readonly aux: AuxState[] = [];
  /** Spectral norms of Lipschitz-controlled weights, for reports. */
  readonly sigmas: { name: string; value: Value }[] = [];
  /** λ of the Lipschitz cap applied by conv layers (0 = off). */
  lipschitz = 0;

  constructor(readonly graph: Graph) {}

  state(name: string, shape: Shape, init: AuxState['init']): Value {
    const input = this.graph.input(`aux${this.aux.length}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`, shape);
    this.aux.push({ name, input, init });
    return input;
  }

  stateNext(name: string, value: Value): void {
    const s = this.aux.find((a) => a.name === name);
    if (!s) throw new Error(`unknown state ${name}`);
    s.output = value;
  }

  recordSigma(name: string, value: Value): void {
    this.sigmas.push({ name, value });
  }

  /** Initial values of the auxiliary state. */
  initialState(rng: Rng): Float32Array[] {
    return this.aux.map((a) => {
      const n = numel(a.input.shape);
      const v = new Float32Array(n);
      if (a.init === 'zeros') return v;
      rng.fillNormal(v);
      let norm = 0;
      for (let i = 0; i < n; i++) norm += v[i] * v[i];
      norm = Math.sqrt(norm) || 1;
      for (let i = 0; i < n; i++) v[i] /= norm;
      return v;
    });
  }

  create(name: string, shape: Shape, init: ParamInit, role: ParamRole = 'other'): Value {
    const v = this.graph.input(`p${this.specs.length}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`, shape);
    this.specs.push({ name, shape, size: numel(shape), init, role });
    this.values.push(v);
    return v;
  }

  get count(): number {
    return this.specs.reduce((s, p) => s + p.size, 0);
  }

  /** Fresh initial values (PyTorch-style defaults were chosen by the layers). */
  initialize(rng: Rng): Float32Array[] {
    return this.specs.map((s) => {
      const a = new Float32Array(s.size);
      if (s.init.kind === 'uniform') rng.fillUniform(a, -s.init.bound, s.init.bound);
      else if (s.init.kind === 'normal') rng.fillNormal(a, 0, s.init.std);
      else if (s.init.kind === 'custom') s.init.fill(rng, a);
      else a.fill(s.init.value);
      return a;
    });
  }
}

/** PyTorch's default Conv2d init: kaiming_uniform(a=√5) → U(±1/√fan_in) for weights and bias alike. */
export function torchDefaultBound(fanIn: number): number {
  return 1 / Math.sqrt(fanIn);
}

/** kaiming_uniform(a=0, mode='fan_in') — the ReLU gain √2 — as the spectral-bias code inits its convs: U(±√(6/fan_in)). */
export function kaimingReluBound(fanIn: number): number {
  return Math.sqrt(6 / fanIn);
}
