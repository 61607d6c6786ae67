/**
 * The typed graph: values with static shapes, nodes that are ONNX operators, and for every
 * differentiable node a closure that emits its vector-Jacobian product into the same graph.
 * A graph is only built here, never executed; `onnx.ts` serialises it and the runtime runs it.
 */
import { GraphError } from '../util/errors.js';

export type DType = 'float32' | 'int64' | 'uint32' | 'bool';
export type Shape = readonly number[];

export type AttrValue = number | string | number[] | { floats: number[] } | { int: number };

export interface Value {
  readonly id: number;
  readonly name: string;
  readonly shape: Shape;
  readonly dtype: DType;
  readonly graph: Graph;
}

/** Emits gradients of the node's inputs given gradients of its outputs (null = no gradient flows). */
export type Backward = (dOutputs: (Value | null)[]) => (Value | null)[];

export interface Node {
  readonly op: string;
  readonly domain: string;
  readonly inputs: (Value | null)[];
  readonly outputs: Value[];
  readonly attrs: Record<string, AttrValue>;
  backward?: Backward;
}

export interface Initializer {
  readonly value: Value;
  readonly data: Float32Array | BigInt64Array | Uint32Array | Uint8Array;
}

export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly outputs: Value[] = [];
  readonly initializers: Initializer[] = [];
  private nextId = 0;
  private readonly names = new Set<string>();
  private readonly constCache = new Map<string, Value>();

  constructor(readonly name = 'deep_prior') {}

  /** A fresh, unique value name (ONNX requires unique names for every value). */
  private uniqueName(hint: string): string {
    let name = hint;
    for (let k = 1; this.names.has(name); k++) name = `${hint}_${k}`;
    this.names.add(name);
    return name;
  }

  newValue(shape: Shape, dtype: DType = 'float32', hint = 'v'): Value {
    for (const d of shape) {
      if (!Number.isInteger(d) || d < 0) throw new GraphError(`invalid shape [${shape.join(', ')}] for ${hint}`);
    }
    return { id: this.nextId++, name: this.uniqueName(hint), shape: [...shape], dtype, graph: this };
  }

  input(name: string, shape: Shape, dtype: DType = 'float32'): Value {
    if (this.names.has(name)) throw new GraphError(`duplicate graph input name "${name}"`);
    const v = this.newValue(shape, dtype, name);
    this.inputs.push(v);
    return v;
  }

  /** Marks a value as a graph output under `name` (an Identity keeps the name stable). */
  output(value: Value, name: string): Value {
    if (this.names.has(name)) throw new GraphError(`duplicate graph output name "${name}"`);
    const out = this.addNode('Identity', [value], [{ shape: value.shape, dtype: value.dtype, hint: name }])[0];
    // uniqueName may not rename because we checked above, so out.name === name
    this.outputs.push(out);
    return out;
  }

  constant(data: Float32Array | number[], shape: Shape, hint = 'const'): Value {
    const arr = data instanceof Float32Array ? data : Float32Array.from(data);
    return this.initializer('float32', shape, arr, hint, arr.length <= 16);
  }

  /** An int64 constant: 1-D by default, `shape` [] for a scalar (e.g. Range's bounds). */
  constantInt64(values: readonly number[], hint = 'ints', shape: Shape = [values.length]): Value {
    return this.initializer('int64', shape, BigInt64Array.from(values.map((x) => BigInt(x))), hint, true);
  }

  /** A uint32 constant (integer hashing, src/graph/ops/random.ts). */
  constantUint32(values: readonly number[], shape: Shape, hint = 'u32'): Value {
    return this.initializer('uint32', shape, Uint32Array.from(values), hint, values.length <= 16);
  }

  /** A new initializer, or the earlier one with the same dtype, shape and values when `cacheable`. */
  private initializer(dtype: DType, shape: Shape, data: Float32Array | BigInt64Array | Uint32Array, hint: string, cacheable: boolean): Value {
    if (data.length !== numel(shape)) throw new GraphError(`constant ${hint}: ${data.length} values for shape [${shape.join(', ')}]`);
    const key = cacheable ? `${dtype}:${shape.join('x')}:${data.join(',')}` : '';
    const cached = key ? this.constCache.get(key) : undefined;
    if (cached) return cached;
    const v = this.newValue(shape, dtype, hint);
    this.initializers.push({ value: v, data });
    if (key) this.constCache.set(key, v);
    return v;
  }

  scalar(x: number): Value {
    return this.constant([x], [], 'scalar');
  }

  addNode(
    op: string,
    inputs: (Value | null)[],
    outputs: { shape: Shape; dtype?: DType; hint?: string }[],
    attrs: Record<string, AttrValue> = {},
    backward?: Backward,
    domain = '',
  ): Value[] {
    for (const v of inputs) {
      if (v && v.graph !== this) throw new GraphError(`${op}: input ${v.name} belongs to another graph`);
    }
    const outs = outputs.map((o) => this.newValue(o.shape, o.dtype ?? 'float32', o.hint ?? op.toLowerCase()));
    // A copy: callers may keep growing the array they passed (e.g. dense blocks' feature lists).
    this.nodes.push({ op, domain, inputs: inputs.slice(), outputs: outs, attrs, backward });
    return outs;
  }

  /** Index of the node producing each value, for differentiation. */
  producers(): Map<number, Node> {
    const m = new Map<number, Node>();
    for (const n of this.nodes) for (const o of n.outputs) m.set(o.id, n);
    return m;
  }
}

export function numel(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeStr(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
