/**
 * Reverse-mode differentiation over a Graph. Nodes are created in topological order, so walking
 * them backwards visits every consumer before its producers. Each node's `backward` emits the
 * vector-Jacobian product as new nodes; contributions to one value are summed with a single Sum.
 */
import { GraphError } from '../util/errors.js';
import { sameShape, shapeStr, type Value } from './graph.js';
import { sumAll } from './ops/shape.js';

/** Gradients of the scalar `loss` with respect to each of `wrt` (a zero-free graph: unused → null). */
export function gradients(loss: Value, wrt: Value[]): (Value | null)[] {
  const g = loss.graph;
  if (loss.shape.length !== 0 && !(loss.shape.length === 1 && loss.shape[0] === 1)) {
    throw new GraphError(`gradients: loss must be a scalar, got ${shapeStr(loss.shape)}`);
  }
  // Which values depend on any of wrt: only those need gradients.
  const wanted = new Set(wrt.map((v) => v.id));
  const depends = new Set<number>(wanted);
  for (const node of g.nodes) {
    if (node.inputs.some((v) => v && depends.has(v.id))) node.outputs.forEach((o) => depends.add(o.id));
  }
  if (!depends.has(loss.id)) throw new GraphError('gradients: the loss does not depend on any of the requested values');

  const contributions = new Map<number, Value[]>();
  const push = (v: Value, d: Value) => {
    if (!sameShape(v.shape, d.shape)) {
      throw new GraphError(`gradients: gradient of ${v.name} has shape ${shapeStr(d.shape)}, expected ${shapeStr(v.shape)}`);
    }
    const list = contributions.get(v.id);
    if (list) list.push(d);
    else contributions.set(v.id, [d]);
  };
  const total = (v: Value): Value | null => {
    const list = contributions.get(v.id);
    if (!list) return null;
    const s = sumAll(list);
    contributions.set(v.id, [s]);
    return s;
  };

  push(loss, g.constant([1], loss.shape, 'dloss'));
  const nodes = g.nodes.slice();
  for (let k = nodes.length - 1; k >= 0; k--) {
    const node = nodes[k];
    if (!node.outputs.some((o) => depends.has(o.id) && contributions.has(o.id))) continue;
    if (!node.backward) continue;
    const dOuts = node.outputs.map((o) => total(o));
    const dIns = node.backward(dOuts);
    node.inputs.forEach((input, i) => {
      const d = dIns[i];
      if (input && d && depends.has(input.id)) push(input, d);
    });
  }
  return wrt.map((v) => total(v));
}
