/**
 * Every HCFlow building block: the inverse undoes the forward pass to float precision, the log-det
 * equals log|det J| of a finite-difference Jacobian (float64 on the host), and the gradients of the
 * forward, inverse and log-det pass central differences (test/helpers/flow-check.ts).
 */
import { describe, expect, it } from 'vitest';
import { actNorm } from '../src/flow/actnorm.js';
import { conditionalFlow, type CondFlowSpec } from '../src/flow/cond-flow.js';
import type { FlowContext, InvertibleBlock } from '../src/flow/context.js';
import { affine3Shift, affineCoupling } from '../src/flow/coupling.js';
import { flowStep } from '../src/flow/flow-step.js';
import { invConv1x1 } from '../src/flow/invconv.js';
import { haarSqueeze, squeeze } from '../src/flow/squeeze.js';
import { type BlockCase, gradientError, inverseError, logdetVsJacobian } from './helpers/flow-check.js';

/** A conditional flow as an invertible map a ↦ ε given the conditioning input u. */
function condFlowBlock(spec: CondFlowSpec) {
  return (ctx: FlowContext): InvertibleBlock => {
    const flow = conditionalFlow(ctx, 'cf', spec);
    return {
      forward: (a, u) => {
        const out = flow.forward(a, flow.features(u!));
        return { y: out.eps, logdet: out.logdet };
      },
      inverse: (eps, u) => flow.inverse(eps, flow.features(u!)),
    };
  };
}

const tinyRrdb = { blocks: [1, 1] as [number, number], nf: 4, gc: 2 };

const cases: Record<string, BlockCase> = {
  'squeeze (space-to-depth)': { make: () => squeeze(), shape: [2, 2, 4, 4] },
  'Haar wavelet squeeze': { make: () => haarSqueeze(), shape: [2, 3, 4, 4] },
  ActNorm: { make: (ctx) => actNorm(ctx, 'an', 3), shape: [2, 3, 3, 3] },
  'invertible 1×1 conv (LU), 5 channels': { make: (ctx) => invConv1x1(ctx, 'ic', 5), shape: [2, 5, 2, 3], paramNoise: 0.3 },
  'invertible 1×1 conv (LU), 9 channels': { make: (ctx) => invConv1x1(ctx, 'ic', 9), shape: [1, 9, 2, 2], paramNoise: 0.3 },
  'affine coupling (FCN)': { make: (ctx) => affineCoupling(ctx, 'ac', { channels: 4, net: 'fcn', hidden: 6 }), shape: [2, 4, 3, 3] },
  'conditional affine coupling (FCN, odd channels)': {
    make: (ctx) => affineCoupling(ctx, 'ac', { channels: 5, condChannels: 2, net: 'fcn', hidden: 6 }),
    shape: [2, 5, 2, 3],
    condShape: [2, 2, 2, 3],
  },
  'Affine3shift, LR conditions the rest (DenseBlock)': {
    make: (ctx) => affine3Shift(ctx, 'a3', { channels: 6, net: 'dense', hidden: 4, lrVsOthers: true }),
    shape: [2, 6, 2, 2],
  },
  'Affine3shift, the rest shifts the LR (DenseBlock)': {
    make: (ctx) => affine3Shift(ctx, 'a3', { channels: 6, net: 'dense', hidden: 4, lrVsOthers: false }),
    shape: [2, 6, 2, 2],
  },
  'flow step (ActNorm, 1×1 conv, conditional coupling)': {
    make: (ctx) => flowStep(ctx, 'fs', { channels: 4, condChannels: 3, permutation: 'invconv', coupling: 'affine', net: 'fcn', hidden: 5 }),
    shape: [2, 4, 2, 2],
    condShape: [2, 3, 2, 2],
    // Seed 1 puts one ReLU input 3·10⁻⁵ from its kink, where no central difference can agree.
    seed: 2,
  },
  'conditional flow with a learned Gaussian prior (SR)': {
    make: condFlowBlock({ channels: 4, condIn: 3, steps: 2, rrdb: tinyRrdb, featureMaps: 2, hidden: 4, prior: 'gaussian' }),
    shape: [2, 4, 2, 2],
    condShape: [2, 3, 2, 2],
  },
  'conditional flow with the clamped prior (rescaling)': {
    make: condFlowBlock({ channels: 3, condIn: 3, steps: 1, rrdb: tinyRrdb, featureMaps: 1, hidden: 4, prior: 'clamped' }),
    shape: [2, 3, 2, 2],
    condShape: [2, 3, 2, 2],
  },
};

describe('flow blocks', () => {
  for (const [name, c] of Object.entries(cases)) {
    describe(name, () => {
      it('inverse(forward(x)) = x', async () => {
        expect(await inverseError(c)).toBeLessThan(2e-6);
      });
      it('log-det = log|det J| of the finite-difference Jacobian', async () => {
        const [reference, got] = await logdetVsJacobian({ ...c, shape: [1, ...c.shape.slice(1)], condShape: c.condShape && [1, ...c.condShape.slice(1)] });
        expect(Math.abs(got - reference)).toBeLessThan(2e-3 * Math.max(1, Math.abs(reference)));
      });
      it('gradients pass finite differences', async () => {
        expect(await gradientError(c)).toBeLessThan(1e-2);
      });
    });
  }
});
