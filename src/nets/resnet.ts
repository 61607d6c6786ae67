/**
 * The ResNet generator of the DIP code (used in the library inpainting comparison): a stride-1
 * conv stem, residual blocks conv-BN-act-conv-BN, then conv-BN, conv to the output and a sigmoid.
 */
import type { Value } from '../graph/graph.js';
import { add, sigmoid } from '../graph/index.js';
import { activation, type ActivationMode } from '../layers/activation.js';
import { convLayer, type PadMode } from '../layers/conv.js';
import { normLayer } from '../layers/norm.js';
import type { Params } from '../graph/params.js';

export interface ResNetConfig {
  blocks: number;
  channels: number;
  act: ActivationMode;
  pad: PadMode;
  needSigmoid: boolean;
  outputChannels: number;
}

export const RESNET_DEFAULTS: ResNetConfig = { blocks: 8, channels: 32, act: 'leaky', pad: 'reflection', needSigmoid: true, outputChannels: 3 };

export function resNet(params: Params, input: Value, c: ResNetConfig): Value {
  let x = activation(convLayer(params, 'stem', input, c.channels, 3, { pad: c.pad }), c.act);
  for (let b = 0; b < c.blocks; b++) {
    let y = activation(normLayer(params, `block${b}.bn1`, convLayer(params, `block${b}.conv1`, x, c.channels, 3, { pad: c.pad })), c.act);
    y = normLayer(params, `block${b}.bn2`, convLayer(params, `block${b}.conv2`, y, c.channels, 3, { pad: c.pad }));
    x = add(x, y);
  }
  x = normLayer(params, 'tail.bn', convLayer(params, 'tail.conv', x, c.channels, 3, { pad: c.pad }));
  const out = convLayer(params, 'out', x, c.outputChannels, 3, { pad: c.pad, constrain: false });
  return c.needSigmoid ? sigmoid(out) : out;
}
