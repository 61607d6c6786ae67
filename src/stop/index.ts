/** Stopping rules by name. */
import { ChangeStopper, jitterWindowFor } from './change.js';
import { DiscrepancyStopper } from './discrepancy.js';
import { RatioStopper } from './ratio.js';
import type { Stopper } from './stopper.js';
import { WmvStopper } from './wmv.js';

import { STOP_RULES, type StopRule } from '../options/index.js';

export { STOP_RULES };

export interface StopperContext {
  channels: number;
  width: number;
  height: number;
  rule: StopRule;
  /** The output image's part of the canvas and whether the run returns the smoothed estimate (for 'change'). */
  extent: { width: number; height: number };
  smoothed: boolean;
  /** The output smoothing's weight β (the jitter window outlasts its memory). */
  smoothing: number;
  /** For 'discrepancy': the input's estimated noise σ and the fraction of the loss's mean that counts. */
  noiseSigma?: number;
  lossScale?: number;
}

export function createStopper(ctx: StopperContext): Stopper {
  switch (ctx.rule) {
    case 'ratio':
      return new RatioStopper();
    case 'wmv':
      return new WmvStopper(ctx.channels * ctx.width * ctx.height);
    case 'change':
      return new ChangeStopper(
        ctx.channels * ctx.width * ctx.height,
        ctx.channels,
        { smoothed: ctx.smoothed, ...ctx.extent },
        { jitterWindow: jitterWindowFor(ctx.smoothing) },
      );
    case 'discrepancy':
      return new DiscrepancyStopper(ctx.noiseSigma ?? 0, ctx.lossScale ?? 1);
  }
}

export type { Stopper };
