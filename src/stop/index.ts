/** Stopping rules by name. */
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
    case 'discrepancy':
      return new DiscrepancyStopper(ctx.noiseSigma ?? 0, ctx.lossScale ?? 1);
  }
}

export type { Stopper };
