/** What a network costs to run: the multiply-accumulates of its convolutions, counted from its graph. */
import { Graph, numel, type Node } from '../graph/graph.js';
import { Params } from '../graph/params.js';
import type { BuiltNetwork } from './index.js';

/** Multiply-accumulates of one forward pass at this input size. The graph is only built, never run (milliseconds even for a large image). */
export function forwardMacs(net: BuiltNetwork, inputShape: readonly number[]): number {
  const g = new Graph('cost');
  net.build(new Params(g), g.input('z', inputShape));
  return g.nodes.filter((n) => n.op === 'Conv' || n.op === 'ConvTranspose').reduce((s, n) => s + macsOf(n), 0);
}

/** Conv: every output value sums cin/group · kh · kw products; ConvTranspose: every input value spreads over cout/group · kh · kw. */
function macsOf(n: Node): number {
  const w = n.inputs[1]!.shape;
  return numel(n.op === 'Conv' ? n.outputs[0].shape : n.inputs[0]!.shape) * w[1] * w[2] * w[3];
}
