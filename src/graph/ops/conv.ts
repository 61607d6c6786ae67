/**
 * 2-D convolution and transposed convolution (NCHW, OIHW weights) with the gradient formulations
 * measured fastest on ONNX Runtime's CPU provider (research/engine.md):
 *  - input gradient of a stride-1 conv = a Conv of dy with the flipped, group-transposed kernel;
 *    strided convs use ConvTranspose;
 *  - weight gradient = im2col (k·k strided Slices + one Concat) followed by one Gemm/MatMul.
 */
import { GraphError } from '../../util/errors.js';
import { shapeStr, type Value } from '../graph.js';
import { asChannelScaled, type ChannelScaled } from './channel-scaled.js';
import { mul } from './elementwise.js';
import { reduceSum, matmul, gemmTransB } from './reduce.js';
import { concat, pad, reshape, reverse, slice, transpose } from './shape.js';

export interface ConvOptions {
  stride?: number | [number, number];
  /** [top, left, bottom, right] zero padding, or one number for all sides. */
  pads?: number | [number, number, number, number];
  dilation?: number | [number, number];
  group?: number;
}

interface ConvParams {
  stride: [number, number];
  pads: [number, number, number, number];
  dilation: [number, number];
  group: number;
}

function params(o: ConvOptions): ConvParams {
  const pair = (v: number | [number, number] | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === 'number' ? [v, v] : v);
  const p = o.pads ?? 0;
  return {
    stride: pair(o.stride, 1),
    dilation: pair(o.dilation, 1),
    pads: typeof p === 'number' ? [p, p, p, p] : p,
    group: o.group ?? 1,
  };
}

function attrs(p: ConvParams, kh: number, kw: number) {
  return { kernel_shape: [kh, kw], strides: p.stride, pads: p.pads, dilations: p.dilation, group: p.group };
}

export function convOutputSize(n: number, k: number, stride: number, padA: number, padB: number, dilation: number): number {
  return Math.floor((n + padA + padB - dilation * (k - 1) - 1) / stride) + 1;
}

export function conv2d(x: Value, w: Value, b: Value | null, options: ConvOptions = {}): Value {
  const p = params(options);
  const [n, ci, h, wd] = x.shape;
  const [co, cig, kh, kw] = w.shape;
  if (x.shape.length !== 4 || w.shape.length !== 4)
    throw new GraphError(`conv2d: need 4-D input and weight, got ${shapeStr(x.shape)} and ${shapeStr(w.shape)}`);
  if (ci !== cig * p.group || co % p.group !== 0) {
    throw new GraphError(`conv2d: input ${shapeStr(x.shape)} does not match weight ${shapeStr(w.shape)} with group ${p.group}`);
  }
  if (b && (b.shape.length !== 1 || b.shape[0] !== co)) throw new GraphError(`conv2d: bias ${shapeStr(b.shape)} for ${co} output channels`);
  const ho = convOutputSize(h, kh, p.stride[0], p.pads[0], p.pads[2], p.dilation[0]);
  const wo = convOutputSize(wd, kw, p.stride[1], p.pads[1], p.pads[3], p.dilation[1]);
  if (ho < 1 || wo < 1) throw new GraphError(`conv2d: input ${shapeStr(x.shape)} is too small for kernel ${kh}x${kw}`);
  const inputs = b ? [x, w, b] : [x, w];
  const [y] = x.graph.addNode('Conv', inputs, [{ shape: [n, co, ho, wo] }], attrs(p, kh, kw), ([dy]) => {
    if (!dy) return inputs.map(() => null);
    const scaled = asChannelScaled(dy);
    return scaled ? convBackwardScaled(x, w, b, scaled, p) : convBackward(x, w, b, dy, p);
  });
  return y;
}

function convBackward(x: Value, w: Value, b: Value | null, dy: Value, p: ConvParams): Value[] {
  const dx = convInputGrad(dy, w, x.shape, p);
  const dw = convWeightGrad(x, dy, w.shape, p);
  return b ? [dx, dw, reduceSum(dy, [0, 2, 3])] : [dx, dw];
}

/** The backward for dy = s ⊙ base (s per output channel): every gradient is linear in dy, so s scales small tensors only. */
function convBackwardScaled(x: Value, w: Value, b: Value | null, { base, scale }: ChannelScaled, p: ConvParams): Value[] {
  const co = w.shape[0];
  const perFilter = reshape(scale, [co, 1, 1, 1]);
  const dx = convInputGrad(base, mul(w, perFilter), x.shape, p);
  const dw = mul(convWeightGrad(x, base, w.shape, p), perFilter);
  return b ? [dx, dw, mul(reduceSum(base, [0, 2, 3]), reshape(scale, [co]))] : [dx, dw];
}

/** Kernel of the adjoint stride-1 conv: per group swap in/out channels, then flip spatially. */
function adjointKernel(w: Value, group: number): Value {
  const [co, cig, kh, kw] = w.shape;
  let t: Value;
  if (group === 1) {
    t = transpose(w, [1, 0, 2, 3]);
  } else {
    const g5 = reshape(w, [group, co / group, cig, kh, kw]);
    t = reshape(transpose(g5, [0, 2, 1, 3, 4]), [cig * group, co / group, kh, kw]);
  }
  if (kh > 1) t = reverse(t, 2);
  if (kw > 1) t = reverse(t, 3);
  return t;
}

function convInputGrad(dy: Value, w: Value, xShape: readonly number[], p: ConvParams): Value {
  const [, , kh, kw] = w.shape;
  const [, , h, wd] = xShape;
  const [, , ho, wo] = dy.shape;
  const ext = [p.dilation[0] * (kh - 1), p.dilation[1] * (kw - 1)];
  const adjPads: [number, number, number, number] = [ext[0] - p.pads[0], ext[1] - p.pads[1], 0, 0];
  // Rows of x beyond the last window (floor in the output size) get no gradient: pad the end accordingly.
  adjPads[2] = h - ho - adjPads[0] + ext[0];
  adjPads[3] = wd - wo - adjPads[1] + ext[1];
  const stride1 = p.stride[0] === 1 && p.stride[1] === 1;
  if (stride1 && adjPads.every((v) => v >= 0)) {
    return conv2d(dy, adjointKernel(w, p.group), null, { pads: adjPads, dilation: p.dilation, group: p.group });
  }
  const outPad: [number, number] = [
    h - ((ho - 1) * p.stride[0] - p.pads[0] - p.pads[2] + ext[0] + 1),
    wd - ((wo - 1) * p.stride[1] - p.pads[1] - p.pads[3] + ext[1] + 1),
  ];
  return convTranspose2d(dy, w, null, { stride: p.stride, pads: p.pads, dilation: p.dilation, group: p.group, outputPadding: outPad });
}

/** The input zero-padded so every (strided, dilated) window of the conv fits, and the tap views of it. */
function windows(x: Value, kh: number, kw: number, ho: number, wo: number, p: ConvParams): { xp: Value; tap: (i: number, j: number) => Value } {
  const needH = (ho - 1) * p.stride[0] + p.dilation[0] * (kh - 1) + 1;
  const needW = (wo - 1) * p.stride[1] + p.dilation[1] * (kw - 1) + 1;
  const padB = Math.max(0, needH - x.shape[2] - p.pads[0]);
  const padR = Math.max(0, needW - x.shape[3] - p.pads[1]);
  const xp = pad(x, [0, 0, p.pads[0], p.pads[1], 0, 0, padB, padR], 'constant');
  const tap = (i: number, j: number) => {
    const r0 = i * p.dilation[0];
    const c0 = j * p.dilation[1];
    return slice(xp, [2, 3], [r0, c0], [r0 + (ho - 1) * p.stride[0] + 1, c0 + (wo - 1) * p.stride[1] + 1], p.stride);
  };
  return { xp, tap };
}

/**
 * im2col: the k·k shifted (and strided) views of the zero-padded input, stacked as rows
 * [N, C·k·k, Ho·Wo] with the channel index major, matching OIHW weight order.
 */
function im2col(x: Value, kh: number, kw: number, ho: number, wo: number, p: ConvParams): Value {
  const [n, c] = x.shape;
  const { xp, tap } = windows(x, kh, kw, ho, wo, p);
  if (kh === 1 && kw === 1 && p.stride[0] === 1 && p.stride[1] === 1 && xp.shape[2] === ho && xp.shape[3] === wo) {
    return reshape(xp, [n, c, ho * wo]);
  }
  const taps: Value[] = [];
  for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) taps.push(reshape(tap(i, j), [n, c, 1, ho * wo]));
  return reshape(concat(taps, 2), [n, c * kh * kw, ho * wo]);
}

/** Folds the batch into the column axis so one product covers every image: [N, R, P] → [R, N·P]. */
function foldBatch(t: Value): Value {
  const [n, r, q] = t.shape;
  if (n === 1) return reshape(t, [r, q]);
  return reshape(transpose(t, [1, 0, 2]), [r, n * q]);
}

/** dW[o, i] = Σ_p A[o, p] · B[i, p] per group, for A [N, O, P] and B [N, I, P]. */
function groupedOuter(a: Value, b: Value, group: number): Value {
  const a2 = foldBatch(a);
  const b2 = foldBatch(b);
  if (group === 1) return gemmTransB(a2, b2);
  const [o, q] = a2.shape;
  const i = b2.shape[0];
  const ag = reshape(a2, [group, o / group, q]);
  const bg = reshape(b2, [group, i / group, q]);
  return reshape(matmul(ag, transpose(bg, [0, 2, 1])), [o, i / group]);
}

function convWeightGrad(x: Value, dy: Value, wShape: readonly number[], p: ConvParams): Value {
  const [co, cig, kh, kw] = wShape;
  const [n, , ho, wo] = dy.shape;
  const dy3 = reshape(dy, [n, co, ho * wo]);
  if (n === 1 && p.group === 1 && kh * kw > 1) return tapwiseWeightGrad(x, dy3, wShape, p);
  const cols = im2col(x, kh, kw, ho, wo, p);
  return reshape(groupedOuter(dy3, cols, p.group), [co, cig, kh, kw]);
}

/**
 * dW[:, :, i, j] = dy · tap_ij(x)ᵀ, one Gemm per tap: the same arithmetic as im2col + one Gemm, but only
 * one shifted copy of x is alive at a time instead of all k·k (at 256² and 128 channels the full
 * im2col buffer alone is ~300 MB).
 */
function tapwiseWeightGrad(x: Value, dy3: Value, wShape: readonly number[], p: ConvParams): Value {
  const [co, ci, kh, kw] = wShape;
  const [ho, wo] = [
    convOutputSize(x.shape[2], kh, p.stride[0], p.pads[0], p.pads[2], p.dilation[0]),
    convOutputSize(x.shape[3], kw, p.stride[1], p.pads[1], p.pads[3], p.dilation[1]),
  ];
  const dy2 = reshape(dy3, [co, ho * wo]);
  const { tap } = windows(x, kh, kw, ho, wo, p);
  const taps: Value[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) taps.push(reshape(gemmTransB(dy2, reshape(tap(i, j), [ci, ho * wo])), [co, ci, 1]));
  }
  return reshape(concat(taps, 2), [co, ci, kh, kw]);
}

export interface ConvTransposeOptions extends ConvOptions {
  outputPadding?: [number, number];
}

/** Transposed convolution; weight layout [C_in, C_out / group, kh, kw] as in ONNX and PyTorch. */
export function convTranspose2d(x: Value, w: Value, b: Value | null, options: ConvTransposeOptions = {}): Value {
  const p = params(options);
  const op = options.outputPadding ?? [0, 0];
  const [n, ci, h, wd] = x.shape;
  const [wci, cog, kh, kw] = w.shape;
  if (ci !== wci || ci % p.group !== 0) {
    throw new GraphError(`convTranspose2d: input ${shapeStr(x.shape)} does not match weight ${shapeStr(w.shape)}`);
  }
  const co = cog * p.group;
  const ho = (h - 1) * p.stride[0] - p.pads[0] - p.pads[2] + p.dilation[0] * (kh - 1) + op[0] + 1;
  const wo = (wd - 1) * p.stride[1] - p.pads[1] - p.pads[3] + p.dilation[1] * (kw - 1) + op[1] + 1;
  const inputs = b ? [x, w, b] : [x, w];
  const a = { ...attrs(p, kh, kw), output_padding: op };
  const [y] = x.graph.addNode('ConvTranspose', inputs, [{ shape: [n, co, ho, wo] }], a, ([dy]) => {
    if (!dy) return inputs.map(() => null);
    // The adjoint of a transposed conv is the conv with the same weights.
    const dx = conv2d(dy, w, null, { stride: p.stride, pads: p.pads, dilation: p.dilation, group: p.group });
    // dW[i, o, a, b] = Σ x[i, h, w] · dy[o, h·s − pad + a·d, w·s − pad + b·d]: im2col of dy.
    const cols = im2col(dy, kh, kw, h, wd, p);
    const x3 = reshape(x, [n, ci, h * wd]);
    const dw = reshape(groupedOuter(x3, cols, p.group), [ci, cog, kh, kw]);
    const db = b ? reduceSum(dy, [0, 2, 3]) : null;
    return b ? [dx, dw, db] : [dx, dw];
  });
  return y;
}
