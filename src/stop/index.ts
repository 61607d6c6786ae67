/** Stopping rules by name. */
import { RatioStopper } from './ratio.js';
import type { Stopper } from './stopper.js';
import { WmvStopper } from './wmv.js';

export type StopRule = 'wmv' | 'ratio';
export const STOP_RULES: readonly StopRule[] = ['wmv', 'ratio'];

export interface StopperContext {
  channels: number;
  width: number;
  height: number;
  rule?: StopRule;
}

export function createStopper(ctx: StopperContext): Stopper {
  if (ctx.rule === 'ratio') return new RatioStopper();
  return new WmvStopper(ctx.channels * ctx.width * ctx.height);
}

export type { Stopper };
