/**
 * The whole HCFlow networks (tiny configurations): forward then inverse with the forward's own
 * latents returns the input; the total log-det (main flow + conditional flows) equals log|det J| of
 * the map x ↦ (LR, ε_0, …) by finite differences; gradients of the forward and inverse pass central
 * differences.
 */
import { describe, expect, it } from 'vitest';
import { concat, reshape, split, type Value } from '../src/graph/index.js';
import { flowModelConfig } from '../src/flow/config.js';
import type { FlowContext, InvertibleBlock } from '../src/flow/context.js';
import { flowNet, latentShapes } from '../src/flow/flownet.js';
import { gradientError, inverseError, logdetVsJacobian } from './helpers/flow-check.js';

const flat = (v: Value) => reshape(v, [v.shape[0], -1]);

/** The network as one invertible map of [N, 3, H, W] onto [N, D] = (LR, ε_0, ε_1, …) flattened. */
function wholeNet(kind: 'rescaling' | 'sr', scale: 2 | 4) {
  const model = flowModelConfig(kind, scale, 'tiny');
  return (ctx: FlowContext): InvertibleBlock => {
    const net = flowNet(ctx, model.net);
    return {
      forward(x) {
        const f = net.forward(x);
        return { y: concat([flat(f.y), ...f.latents.map(flat)], 1), logdet: f.logdet };
      },
      inverse(v) {
        // v carries the LR then the latents, each flattened; the HR side is H = W = 4 here.
        const n = v.shape[0];
        const side = 4 / scale;
        const shapes = [[n, 3, side, side], ...latentShapes(model.net.levels, n, side, side)];
        const parts = split(
          v,
          1,
          shapes.map((s) => s[1] * s[2] * s[3]),
        ).map((p, k) => reshape(p, shapes[k]));
        return net.inverse(parts[0], parts.slice(1));
      },
    };
  };
}

describe.each([
  ['rescaling', 2],
  ['rescaling', 4],
  ['sr', 4],
] as const)('HCFlow %s ×%i (tiny)', (kind, scale) => {
  const c = { make: wholeNet(kind, scale), shape: [2, 3, 4, 4], paramNoise: 0.05 };
  it('inverse(forward(x)) = x', async () => {
    expect(await inverseError(c)).toBeLessThan(1e-5);
  });
  it('log-det = log|det J| of the whole map, by finite differences', async () => {
    const [reference, got] = await logdetVsJacobian({ ...c, shape: [1, 3, 4, 4] });
    expect(Math.abs(got - reference)).toBeLessThan(5e-3 * Math.max(1, Math.abs(reference)));
  });
  it('gradients of forward, inverse and log-det pass finite differences', async () => {
    expect(await gradientError(c)).toBeLessThan(1e-2);
  });
});
