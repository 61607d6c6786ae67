/** What a network costs to run: multiply-accumulates of its convolutions, counted from its graph. */
import { Graph, numel } from '../graph/graph.js';
import { Params } from '../graph/params.js';
import type { BuiltNetwork } from './index.js';

/**
 * Multiply-accumulates of one forward pass at this input size. The graph is only built, never run
 * (a few milliseconds even for a large image). Convolutions are most of a step's work; the elementwise
 * rest grows with them, so a time model can scale this count by a measured rate.
 */
export function forwardMacs(net: BuiltNetwork, inputShape: readonly number[]): number {
  const g = new Graph('cost');
  net.build(new Params(g), g.input('z', inputShape));
  let macs = 0;
  for (const n of g.nodes) {
    const w = n.inputs[1]?.shape;
    // Conv: every output value sums cin/group · kh · kw products; ConvTranspose: every input value spreads over cout/group · kh · kw.
    if (n.op === 'Conv') macs += numel(n.outputs[0].shape) * w![1] * w![2] * w![3];
    if (n.op === 'ConvTranspose') macs += numel(n.inputs[0]!.shape) * w![1] * w![2] * w![3];
  }
  return macs;
}
