/** Up- and down-sampling: nearest / bilinear ×s upsampling, average and max pooling, pixel shuffle. */
import { GraphError } from '../../util/errors.js';
import { shapeStr, type Value } from '../graph.js';
import { castFloat, equal, mul } from './elementwise.js';
import { reduceSum } from './reduce.js';
import { pad, reshape, transpose } from './shape.js';

function resize(x: Value, scale: number, mode: 'nearest' | 'linear', backward: (dy: Value) => Value): Value {
  const g = x.graph;
  const [n, c, h, w] = x.shape;
  const scales = g.constant([1, 1, scale, scale], [4], 'scales');
  const attrs: Record<string, string> =
    mode === 'nearest'
      ? { mode: 'nearest', coordinate_transformation_mode: 'asymmetric', nearest_mode: 'floor' }
      : { mode: 'linear', coordinate_transformation_mode: 'half_pixel' };
  const [y] = g.addNode('Resize', [x, null, scales], [{ shape: [n, c, h * scale, w * scale] }], attrs, ([dy]) => [dy ? backward(dy) : null, null, null]);
  return y;
}

/** Nearest-neighbour upsampling by an integer factor (PyTorch's default 'nearest'). */
export function upsampleNearest(x: Value, scale = 2): Value {
  const [n, c, h, w] = x.shape;
  return resize(x, scale, 'nearest', (dy) => {
    const blocks = reshape(dy, [n, c, h, scale, w, scale]);
    return reduceSum(blocks, [3, 5]);
  });
}

/**
 * Bilinear ×2 upsampling with half-pixel centres (PyTorch align_corners=False). Even outputs take
 * 0.25·x[i−1] + 0.75·x[i], odd ones 0.75·x[i] + 0.25·x[i+1], neighbours clamped at the borders, so per
 * axis the adjoint gives x[j] = 0.25·dy[2j−1] + 0.75·dy[2j] + 0.75·dy[2j+1] + 0.25·dy[2j+2] with dy's
 * indices clamped: the kernel (1, 3, 3, 1)/4 = 2·(box₂ ∗ box₂ ∗ box₂) at stride 2 on dy padded by one
 * edge pixel. In 2-D that is three 2×2 average pools (the last one strided) times 4: four passes over
 * the gradient instead of a dozen split/slice/concat/add passes per axis.
 */
export function upsampleBilinear2x(x: Value): Value {
  if (x.shape.length !== 4) throw new GraphError(`upsampleBilinear2x: need NCHW, got ${shapeStr(x.shape)}`);
  return resize(x, 2, 'linear', (dy) => {
    const padded = pad(dy, [0, 0, 1, 1, 0, 0, 1, 1], 'edge');
    return mul(boxPool(boxPool(boxPool(padded, 1), 1), 2), 4);
  });
}

/** 2×2 average pool at the given stride, without a gradient rule of its own (used inside backward passes). */
function boxPool(x: Value, stride: number): Value {
  const [n, c, h, w] = x.shape;
  const out = [n, c, Math.floor((h - 2) / stride) + 1, Math.floor((w - 2) / stride) + 1];
  return x.graph.addNode('AveragePool', [x], [{ shape: out }], { kernel_shape: [2, 2], strides: [stride, stride] })[0];
}

/** Average pooling with kernel = stride = k (the official 'avg' downsampler uses k = 2). */
export function avgPool(x: Value, k = 2): Value {
  const [n, c, h, w] = x.shape;
  if (h % k || w % k) throw new GraphError(`avgPool: ${h}x${w} is not divisible by ${k}`);
  const [y] = x.graph.addNode('AveragePool', [x], [{ shape: [n, c, h / k, w / k] }], { kernel_shape: [k, k], strides: [k, k] }, ([dy]) => [
    dy ? spread(mul(dy, 1 / (k * k)), k) : null,
  ]);
  return y;
}

/** Max pooling with kernel = stride = k; the gradient goes to the maximal entries of each window. */
export function maxPool(x: Value, k = 2): Value {
  const [n, c, h, w] = x.shape;
  if (h % k || w % k) throw new GraphError(`maxPool: ${h}x${w} is not divisible by ${k}`);
  const [y] = x.graph.addNode('MaxPool', [x], [{ shape: [n, c, h / k, w / k] }], { kernel_shape: [k, k], strides: [k, k] }, ([dy]) => {
    if (!dy) return [null];
    const isMax = equal(x, spread(y, k));
    return [mul(spread(dy, k), castFloat(isMax))];
  });
  return y;
}

/** Nearest ×k repetition without a gradient rule of its own (used inside backward passes). */
function spread(x: Value, k: number): Value {
  const g = x.graph;
  const [n, c, h, w] = x.shape;
  const [y] = g.addNode('Resize', [x, null, g.constant([1, 1, k, k], [4], 'scales')], [{ shape: [n, c, h * k, w * k] }], {
    mode: 'nearest',
    coordinate_transformation_mode: 'asymmetric',
    nearest_mode: 'floor',
  });
  return y;
}

/** Pixel shuffle (PyTorch pixel_shuffle / ONNX DepthToSpace CRD): [N, C·r², H, W] → [N, C, H·r, W·r]. */
export function pixelShuffle(x: Value, r: number): Value {
  const [n, cr, h, w] = x.shape;
  if (cr % (r * r)) throw new GraphError(`pixelShuffle: ${cr} channels not divisible by ${r * r}`);
  const c = cr / (r * r);
  const t = transpose(reshape(x, [n, c, r, r, h, w]), [0, 1, 4, 2, 5, 3]);
  return reshape(t, [n, c, h * r, w * r]);
}

/** The inverse of pixelShuffle (space-to-depth in the same channel order). */
export function pixelUnshuffle(x: Value, r: number): Value {
  const [n, c, hr, wr] = x.shape;
  if (hr % r || wr % r) throw new GraphError(`pixelUnshuffle: ${hr}x${wr} not divisible by ${r}`);
  const h = hr / r;
  const w = wr / r;
  const t = transpose(reshape(x, [n, c, h, r, w, r]), [0, 1, 3, 5, 2, 4]);
  return reshape(t, [n, c * r * r, h, w]);
}
