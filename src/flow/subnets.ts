/**
 * The networks inside the couplings (not invertible themselves; they only predict shifts and scales):
 *  - FCN (SR model, conditional flows): 3×3 conv → ActNorm → ReLU → 1×1 conv → ActNorm → ReLU →
 *    Conv2dZeros 3×3; hidden convs have no bias (the ActNorm's shift plays that role);
 *  - DenseBlock (rescaling main flow): five 3×3 convs, each seeing the input and all earlier outputs,
 *    LeakyReLU 0.2 between, the last one zero-initialised.
 */
import { concat, leakyRelu, relu } from '../graph/index.js';
import { actNorm } from './actnorm.js';
import type { FlowContext } from './context.js';
import { conv, convZeros, type Layer } from './convs.js';

export type SubnetKind = 'fcn' | 'dense';

export function fcn(ctx: FlowContext, name: string, cin: number, cout: number, hidden: number): Layer {
  const conv1 = conv(ctx, `${name}.conv1`, cin, hidden, 3, { init: 'xavier', bias: false });
  const norm1 = actNorm(ctx, `${name}.conv1.actnorm`, hidden);
  const conv2 = conv(ctx, `${name}.conv2`, hidden, hidden, 1, { init: 'xavier', bias: false });
  const norm2 = actNorm(ctx, `${name}.conv2.actnorm`, hidden);
  const conv3 = convZeros(ctx, `${name}.conv3`, hidden, cout);
  return (x) => {
    const h1 = relu(norm1.forward(conv1(x)).y);
    const h2 = relu(norm2.forward(conv2(h1)).y);
    return conv3(h2);
  };
}

/** Five densely connected convs; `last` initialises the fifth (zeros in couplings, Xavier·0.1 in RRDB). */
export function denseConvs(ctx: FlowContext, name: string, cin: number, cout: number, gc: number, last: 'zeros' | 'xavier'): Layer {
  const convs = [0, 1, 2, 3].map((k) => conv(ctx, `${name}.conv${k + 1}`, cin + k * gc, gc, 3, { init: 'xavier' }));
  const fifth = conv(ctx, `${name}.conv5`, cin + 4 * gc, cout, 3, { init: last });
  return (x) => {
    const features = [x];
    for (const c of convs) features.push(leakyRelu(c(concat(features, 1)), 0.2));
    return fifth(concat(features, 1));
  };
}

export function denseBlock(ctx: FlowContext, name: string, cin: number, cout: number, gc: number): Layer {
  return denseConvs(ctx, name, cin, cout, gc, 'zeros');
}

export function subnet(kind: SubnetKind, ctx: FlowContext, name: string, cin: number, cout: number, hidden: number): Layer {
  return kind === 'fcn' ? fcn(ctx, name, cin, cout, hidden) : denseBlock(ctx, name, cin, cout, hidden);
}
