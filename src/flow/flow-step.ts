/** One flow step: ActNorm → (invertible 1×1 conv) → affine coupling, as HCFlow's FlowStep. */
import { actNorm } from './actnorm.js';
import { chain, type FlowContext, type InvertibleBlock } from './context.js';
import { affine3Shift, affineCoupling, type CouplingSpec } from './coupling.js';
import { invConv1x1 } from './invconv.js';

export interface FlowStepSpec extends CouplingSpec {
  permutation: 'invconv' | 'none';
  coupling: 'affine' | 'affine3shift';
  /** affine3shift only: this step scales the others given the LR channels (else it shifts the LR channels). */
  lrVsOthers?: boolean;
}

export function flowStep(ctx: FlowContext, name: string, spec: FlowStepSpec): InvertibleBlock {
  const blocks = [actNorm(ctx, `${name}.actnorm`, spec.channels)];
  if (spec.permutation === 'invconv') blocks.push(invConv1x1(ctx, `${name}.invconv`, spec.channels));
  blocks.push(
    spec.coupling === 'affine3shift'
      ? affine3Shift(ctx, `${name}.affine`, { ...spec, lrVsOthers: spec.lrVsOthers ?? true })
      : affineCoupling(ctx, `${name}.affine`, spec),
  );
  return chain(blocks);
}
