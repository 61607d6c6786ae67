/**
 * What every flow module shares: where its parameters come from, whether ActNorm layers take their
 * initial values from the data, and the invertible-block contract (forward with log-determinant,
 * exact inverse). Blocks create their parameters once, when built, so a graph that runs a block
 * forward and backward (the rescaling loss does both) uses one set of weights.
 */
import type { Value } from '../graph/graph.js';
import { add } from '../graph/index.js';
import type { Params } from '../graph/params.js';

/** A forward pass: the output and log|det ∂y/∂x| per sample ([N], or [] when the same for every sample; null = 0). */
export interface FlowOut {
  y: Value;
  logdet: Value | null;
}

export interface InvertibleBlock {
  forward(x: Value, cond?: Value): FlowOut;
  inverse(y: Value, cond?: Value): Value;
}

export class FlowContext {
  /**
   * Data-dependent initialisation (Glow's ActNorm): when set, ActNorm layers normalise with the
   * statistics of the batch they see and record those as their parameters' starting values here
   * (parameter index → value). A graph built this way computes every layer's init in one run, each
   * layer seeing the already-normalised output of the layers before it.
   */
  readonly dataInit: Map<number, Value> | null;

  constructor(
    readonly params: Params,
    options: { dataInit?: boolean } = {},
  ) {
    this.dataInit = options.dataInit ? new Map() : null;
  }

  /** The same parameters with data-dependent init off (those ActNorms start as the identity). */
  withoutDataInit(): FlowContext {
    return this.dataInit ? new FlowContext(this.params) : this;
  }

  recordInit(param: Value, value: Value): void {
    if (!this.dataInit) return;
    const index = this.params.values.indexOf(param);
    if (index < 0) throw new Error(`recordInit: ${param.name} is not a parameter`);
    this.dataInit.set(index, value);
  }
}

export function addLogdet(a: Value | null, b: Value | null): Value | null {
  if (!a) return b;
  if (!b) return a;
  return add(a, b);
}

/** Blocks applied in order; the inverse undoes them in reverse order. */
export function chain(blocks: InvertibleBlock[]): InvertibleBlock {
  return {
    forward(x, cond) {
      let y = x;
      let logdet: Value | null = null;
      for (const b of blocks) {
        const out = b.forward(y, cond);
        y = out.y;
        logdet = addLogdet(logdet, out.logdet);
      }
      return { y, logdet };
    },
    inverse(y, cond) {
      let x = y;
      for (let k = blocks.length - 1; k >= 0; k--) x = blocks[k].inverse(x, cond);
      return x;
    },
  };
}
