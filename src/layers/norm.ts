/** Normalisation layers with their parameters (γ = 1, β = 0 at init, as PyTorch). */
import type { Value } from '../graph/graph.js';
import { batchNorm, meanOnlyBatchNorm } from '../graph/index.js';
import type { Params } from '../graph/params.js';

export type NormMode = 'batch' | 'mean-only' | 'none';

export function normLayer(params: Params, name: string, x: Value, mode: NormMode = 'batch'): Value {
  const c = x.shape[1];
  if (mode === 'none') return x;
  if (mode === 'mean-only') return meanOnlyBatchNorm(x, params.create(`${name}.bias`, [c], { kind: 'constant', value: 0 }, 'norm-shift'));
  const gamma = params.create(`${name}.weight`, [c], { kind: 'constant', value: 1 }, 'norm-scale');
  const beta = params.create(`${name}.bias`, [c], { kind: 'constant', value: 0 }, 'norm-shift');
  return batchNorm(x, gamma, beta, 1e-5);
}
