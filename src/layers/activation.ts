/** Activations by name, as the DIP code selects them. */
import type { Value } from '../graph/graph.js';
import { elu, leakyRelu, relu, swish } from '../graph/index.js';

export type ActivationMode = 'leaky' | 'relu' | 'elu' | 'swish' | 'none';

export function activation(x: Value, mode: ActivationMode = 'leaky', slope = 0.2): Value {
  switch (mode) {
    case 'leaky':
      return leakyRelu(x, slope);
    case 'relu':
      return relu(x);
    case 'elu':
      return elu(x, 1);
    case 'swish':
      return swish(x);
    case 'none':
      return x;
  }
}
