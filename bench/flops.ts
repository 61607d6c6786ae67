/**
 * Floating-point operations of a graph's convolutions and matrix products (2 per multiply-add), the
 * work the machine's FLOP limit applies to. Elementwise ops, reductions and copies are not counted:
 * they are memory-bound and their count says nothing about the limit.
 */
import type { Graph, Node } from '../src/graph/graph.js';
import { liveNodes } from '../src/graph/onnx.js';

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

/** FLOPs of one node, 0 for anything that is not a Conv, ConvTranspose, Gemm or MatMul. */
export function nodeFlops(n: Node): number {
  const [a, b] = n.inputs;
  const y = n.outputs[0];
  if (!a || !b) return 0;
  switch (n.op) {
    case 'Conv':
    case 'FusedConv':
      // every output element: C_in/group · kh · kw multiply-adds
      return 2 * prod(y.shape) * prod(b.shape.slice(1));
    case 'ConvTranspose':
      // every input element scatters into C_out/group · kh · kw outputs
      return 2 * prod(a.shape) * prod(b.shape.slice(1));
    case 'Gemm':
    case 'FusedGemm': {
      const k = n.attrs.transA ? a.shape[0] : a.shape[1];
      return 2 * prod(y.shape) * k;
    }
    case 'MatMul':
      return 2 * prod(y.shape) * a.shape[a.shape.length - 1];
    default:
      return 0;
  }
}

export interface FlopCount {
  total: number;
  byOp: Record<string, number>;
}

export function graphFlops(g: Graph): FlopCount {
  const byOp: Record<string, number> = {};
  let total = 0;
  for (const n of liveNodes(g)) {
    const f = nodeFlops(n);
    if (!f) continue;
    byOp[n.op] = (byOp[n.op] ?? 0) + f;
    total += f;
  }
  return { total, byOp };
}
