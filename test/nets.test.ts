/** Network builders: parameter counts against the official configurations, output shapes, init. */
import { describe, expect, it } from 'vitest';
import { Graph } from '../src/graph/index.js';
import { Params } from '../src/graph/params.js';
import { network } from '../src/nets/index.js';
import { convLayer } from '../src/layers/conv.js';
import { SKIP_128 } from '../src/tasks/common.js';
import { Rng } from '../src/util/random.js';

function build(arch: Parameters<typeof network>[0], overrides: Parameters<typeof network>[1], inShape: number[], out = 3) {
  const g = new Graph();
  const params = new Params(g);
  const net = network(arch, overrides, out);
  const y = net.build(params, g.input('z', inShape));
  return { params, y, net };
}

describe('networks', () => {
  it('a 3×3 conv 128→128 has 147,584 parameters (weights + bias)', () => {
    const g = new Graph();
    const params = new Params(g);
    convLayer(params, 'c', g.input('x', [1, 128, 8, 8]), 128, 3);
    expect(params.count).toBe(147_584);
  });

  it('the denoising notebook skip net (128×5, skip 4) has the official 2,217,831 parameters', () => {
    // 2,217,831 = PyTorch's count for skip(32 → 3, 128/128/4, 5 scales), printed by bench/torch/skipnet.py.
    const { params, y } = build('skip', SKIP_128, [1, 32, 64, 64]);
    expect(params.count).toBe(2_217_831);
    expect(y.shape).toEqual([1, 3, 64, 64]);
  });

  it('skip-depth6, UNet, ResNet and the decoder produce the right output shapes', () => {
    const d6 = build('skip-depth6', {}, [1, 1, 192, 256]);
    expect(d6.y.shape).toEqual([1, 3, 192, 256]);
    expect(d6.net.minSize).toBe(192);
    expect(d6.net.multiple).toBe(64);
    const unet = build('unet', {}, [1, 32, 64, 96]);
    expect(unet.y.shape).toEqual([1, 3, 64, 96]);
    const res = build('resnet', {}, [1, 32, 20, 12], 1);
    expect(res.y.shape).toEqual([1, 1, 20, 12]);
    const dec = build('decoder', {}, [1, 32, 2, 3]);
    expect(dec.y.shape).toEqual([1, 3, 64, 96]);
  });

  it('PyTorch default init: conv weights and biases in ±1/√fan_in, batch norm γ = 1, β = 0', () => {
    const { params } = build('skip', SKIP_128, [1, 32, 64, 64]);
    const values = params.initialize(new Rng(1));
    params.specs.forEach((s, i) => {
      const v = values[i];
      if (s.role === 'norm-scale') expect(v.every((x) => x === 1)).toBe(true);
      else if (s.role === 'norm-shift') expect(v.every((x) => x === 0)).toBe(true);
      else if (s.init.kind === 'uniform') {
        const bound = s.init.bound;
        const fanIn = s.role === 'conv-weight' ? s.shape.slice(1).reduce((a, b) => a * b, 1) : null;
        if (fanIn) expect(bound).toBeCloseTo(1 / Math.sqrt(fanIn), 12);
        expect(v.every((x) => Math.abs(x) <= bound)).toBe(true);
        // Spread over the range (not a constant): the sample variance of U(±b) is b²/3.
        if (v.length > 1000) expect(v.reduce((a, x) => a + x * x, 0) / v.length).toBeCloseTo((bound * bound) / 3, 3);
      }
    });
  });

  it('the decoder inits its conv weights as the spectral-bias code does: Kaiming-uniform, ReLU gain (±√(6/fan_in)), biases as PyTorch', () => {
    const { params } = build('decoder', {}, [1, 32, 2, 2]);
    const values = params.initialize(new Rng(2));
    let weights = 0;
    params.specs.forEach((s, i) => {
      if (s.init.kind !== 'uniform') return;
      const fanIn = (s.role === 'conv-weight' ? s.shape.slice(1) : []).reduce((a, b) => a * b, 1);
      if (s.role === 'conv-weight') {
        weights++;
        expect(s.init.bound).toBeCloseTo(Math.sqrt(6 / fanIn), 12);
        const v = values[i];
        if (v.length > 1000) expect(v.reduce((a, x) => a + x * x, 0) / v.length).toBeCloseTo(2 / fanIn, 3);
      }
    });
    expect(weights).toBe(13); // 2 input blocks + 5 stages × 2 + the 1×1 output conv
  });
});
