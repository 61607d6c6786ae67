/** Normalisation layers with their parameters (γ = 1, β = 0 at init, as PyTorch). */
import type { Value } from '../graph/graph.js';
import { batchNorm, meanOnlyBatchNorm } from '../graph/index.js';
import type { Params } from '../graph/params.js';

export type NormMode = 'batch' | 'mean-only' | 'none';

export function normLayer(params: Params, name: string, x: Value, mode: NormMode = 'batch'): Value {
  return createNormLayer(params, name, x.shape[1], mode)(x);
}

/** The same layer with its parameters created now and applied later (see createConvLayer). */
export function createNormLayer(params: Params, name: string, c: number, mode: NormMode = 'batch'): (x: Value) => Value {
  if (mode === 'none') return (x) => x;
  if (mode === 'mean-only') {
    const beta = params.create(`${name}.bias`, [c], { kind: 'constant', value: 0 }, 'norm-shift');
    return (x) => meanOnlyBatchNorm(x, beta);
  }
  const gamma = params.create(`${name}.weight`, [c], { kind: 'constant', value: 1 }, 'norm-scale');
  const beta = params.create(`${name}.bias`, [c], { kind: 'constant', value: 0 }, 'norm-shift');
  return (x) => batchNorm(x, gamma, beta, 1e-5);
}
