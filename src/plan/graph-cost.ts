/**
 * What a step graph costs, read from its static shapes alone (no execution): the bytes alive at the
 * worst point of the node order (inputs, weights and Adam state, the activations kept for the
 * backward pass and the largest transients), the arithmetic of its convolutions and matrix products,
 * and the bytes its other operators stream through memory. The plan turns these into bytes and
 * seconds with a calibration measured on the backend (calibrate.ts).
 */
import { numel, type Graph, type Node, type Value } from '../graph/graph.js';
import { liveNodes } from '../graph/onnx.js';

export interface GraphCost {
  /** Bytes of the graph's inputs (weights, Adam moments, the input code, targets, smoothing state). */
  inputBytes: number;
  /** Most bytes of intermediate values alive at once, walking the nodes in order (outputs kept to the end). */
  peakLiveBytes: number;
  /** Floating-point operations of Conv, ConvTranspose, Gemm and MatMul nodes. */
  convFlops: number;
  /** Bytes read and written by every other node. */
  streamBytes: number;
  /** Nodes that run (after dead-code elimination). */
  nodes: number;
}

/** Ops ONNX Runtime runs without a buffer of their own: the output is the input's memory. */
const ALIASES = new Set(['Reshape', 'Identity', 'Squeeze', 'Unsqueeze', 'Flatten']);

const BYTES: Record<Value['dtype'], number> = { float32: 4, int64: 8, uint32: 4, bool: 1 };

/** Bytes of one value's tensor. */
export const bytesOf = (v: Value) => numel(v.shape) * BYTES[v.dtype];

export function graphCost(graph: Graph): GraphCost {
  const nodes = liveNodes(graph);
  let convFlops = 0;
  let streamBytes = 0;
  for (const n of nodes) {
    const flops = matrixFlops(n);
    if (flops > 0) convFlops += flops;
    else if (!ALIASES.has(n.op)) streamBytes += ioBytes(n);
  }
  return {
    inputBytes: graph.inputs.reduce((s, v) => s + bytesOf(v), 0),
    peakLiveBytes: peakLive(graph, nodes),
    convFlops,
    streamBytes,
    nodes: nodes.length,
  };
}

function ioBytes(n: Node): number {
  let b = 0;
  for (const v of n.inputs) if (v) b += bytesOf(v);
  for (const v of n.outputs) b += bytesOf(v);
  return b;
}

/** Multiply-adds × 2 of the nodes that run on the GEMM kernels; 0 for any other node. */
export function matrixFlops(n: Node): number {
  const [x, w] = n.inputs;
  const y = n.outputs[0];
  if (!x || !w) return 0;
  switch (n.op) {
    case 'Conv':
      // w: [Cout, Cin / group, kh, kw]; every output value is a dot product over Cin/group · kh · kw.
      return 2 * numel(y.shape) * numel(w.shape.slice(1));
    case 'ConvTranspose':
      // w: [Cin, Cout / group, kh, kw]; every input value is spread over Cout/group · kh · kw outputs.
      return 2 * numel(x.shape) * numel(w.shape.slice(1));
    case 'Gemm': {
      const k = n.attrs.transA === 1 ? x.shape[0] : x.shape[1];
      return 2 * numel(y.shape) * k;
    }
    case 'MatMul':
      return 2 * numel(y.shape) * x.shape[x.shape.length - 1];
    default:
      return 0;
  }
}

/**
 * The live-set peak of the intermediates: a value is allocated by its producer and freed after its
 * last consumer (an alias keeps its source alive instead); graph outputs live to the end. Inputs
 * and initializers are counted apart (inputBytes).
 */
function peakLive(graph: Graph, nodes: Node[]): number {
  const root = new Map<number, number>();
  const rootOf = (v: Value) => root.get(v.id) ?? v.id;
  const lastUse = new Map<number, number>();
  nodes.forEach((n, k) => {
    if (ALIASES.has(n.op) && n.inputs[0]) root.set(n.outputs[0].id, rootOf(n.inputs[0]));
    for (const v of n.inputs) if (v) lastUse.set(rootOf(v), k);
  });
  for (const v of graph.outputs) lastUse.set(rootOf(v), nodes.length);
  const size = new Map<number, number>();
  let live = 0;
  let peak = 0;
  const free = (id: number) => {
    live -= size.get(id)!;
    size.delete(id);
  };
  nodes.forEach((n, k) => {
    if (!ALIASES.has(n.op)) {
      for (const o of n.outputs) {
        size.set(o.id, bytesOf(o));
        live += bytesOf(o);
      }
    }
    peak = Math.max(peak, live);
    for (const o of n.outputs) if (!lastUse.has(rootOf(o)) && size.has(o.id)) free(o.id);
    for (const v of n.inputs) {
      const r = v && rootOf(v);
      if (r !== null && lastUse.get(r) === k && size.has(r)) free(r);
    }
  });
  return peak;
}
