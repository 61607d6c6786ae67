/**
 * A gradient that is another tensor scaled per channel, remembered so that its consumer can fold the
 * scale into a small tensor instead of paying a pass over the large one. Batch norm's input gradient
 * is (γ/σ) ⊙ (…) per channel and feeds a convolution's backward, which is linear in it: the scale can
 * go onto the weights (input gradient), the weight gradient and the bias gradient, all of them small.
 * The Mul is still emitted for any other consumer; when none remains, the ONNX export drops it.
 */
import type { Value } from '../graph.js';
import { mul } from './elementwise.js';

export interface ChannelScaled {
  /** The unscaled tensor, NCHW. */
  base: Value;
  /** Per-channel factor, [1, C, 1, 1]. */
  scale: Value;
}

const known = new WeakMap<Value, ChannelScaled>();

/** base ⊙ scale (scale [1, C, 1, 1]), remembered as such. */
export function channelScaled(base: Value, scale: Value): Value {
  const y = mul(base, scale);
  known.set(y, { base, scale });
  return y;
}

/** How `v` was made by channelScaled, or null. */
export function asChannelScaled(v: Value): ChannelScaled | null {
  return known.get(v) ?? null;
}
