/**
 * 8-bit quantisation of the learned LR image with a straight-through gradient (HCFlow's Quant: clamp
 * to [0, 1], round to 1/255; the backward pass is the identity, clamp included), and the in-graph noise
 * the models draw: dequantisation noise and latents at a temperature.
 */
import type { Shape, Value } from '../graph/graph.js';
import { add, clip, div, hashedNormal, mul, numel, reshape, slice, sub } from '../graph/index.js';

/** Identity forward, no gradient (autodiff stops at nodes without a backward rule). */
function stopGradient(x: Value): Value {
  return x.graph.addNode('Identity', [x], [{ shape: x.shape }])[0];
}

/** round(clamp(x, 0, 1)·255)/255 — exactly 8-bit values without a graph to differentiate. */
export function quantize8(x: Value): Value {
  const [rounded] = x.graph.addNode('Round', [mul(clip(x, 0, 1), 255)], [{ shape: x.shape }]);
  return div(rounded, 255);
}

/** quantize8 forward, identity backward: x + stop(q(x) − x) (equal to q(x) up to one rounding). */
export function quantizeStraightThrough(x: Value): Value {
  return add(x, stopGradient(sub(quantize8(x), x)));
}

/**
 * Latents ε_l = τ·N(0, I) for the given shapes, cut from one hashed normal field so the levels draw
 * independent values from one per-step key.
 */
export function sampleLatents(keys: Value, shapes: Shape[], temperature: Value | number): Value[] {
  const sizes = shapes.map(numel);
  const field = mul(hashedNormal(keys, [sizes.reduce((a, b) => a + b, 0)]), temperature);
  let offset = 0;
  return shapes.map((shape, k) => {
    const part = slice(field, [0], [offset], [offset + sizes[k]]);
    offset += sizes[k];
    return reshape(part, shape);
  });
}
