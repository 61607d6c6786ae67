/**
 * An ISNAS-DIP / NAS-DIP upsampling cell (src/search/cells.ts) as a layer: ×2 in space, cin → cout
 * channels. As in the official cells, the convs inside use zero padding and no bias, except the
 * transposed convs, which keep PyTorch's default bias; the activation follows the primitive and
 * again the conv op. Parameters are created when the cell is, in PyTorch's registration order
 * (primitive, then op; op first for the shuffle-after cells).
 */
import type { Value } from '../graph/graph.js';
import { add, conv2d, convTranspose2d, pixelShuffle, split, upsampleBilinear2x, upsampleNearest } from '../graph/index.js';
import { torchDefaultBound, type Params } from '../graph/params.js';
import type { CellOp, UpsampleCell } from '../search/cells.js';
import { activation } from './activation.js';
import { bicubicUpsample2x } from './upsample.js';

type Layer = (x: Value) => Value;

function weight(params: Params, name: string, shape: number[], fanIn: number, role: 'conv-weight' | 'bias' = 'conv-weight'): Value {
  return params.create(name, shape, { kind: 'uniform', bound: torchDefaultBound(fanIn) }, role);
}

/** Transposed conv with bias; PyTorch's fan-in of a [cin, cout, k, k] weight is cout·k². */
function transposedConv(params: Params, name: string, cin: number, cout: number, k: number, stride: 1 | 2): Layer {
  const fanIn = cout * k * k;
  const w = weight(params, `${name}.weight`, [cin, cout, k, k], fanIn);
  const b = weight(params, `${name}.bias`, [cout], fanIn, 'bias');
  const pads = (k - 1) / 2;
  return (x) => convTranspose2d(x, w, b, { stride, pads, outputPadding: stride === 2 ? [1, 1] : [0, 0] });
}

function plainConv(params: Params, name: string, cin: number, cout: number, k: number, group = 1): Layer {
  const w = weight(params, `${name}.weight`, [cout, cin / group, k, k], (cin / group) * k * k);
  return (x) => conv2d(x, w, null, { pads: (k - 1) / 2, group });
}

/** The four equal channel groups summed, then a conv (the official split-stack-sum). */
function splitSum(params: Params, name: string, cin: number, cout: number, k: number): Layer {
  const conv = plainConv(params, name, cin / 4, cout, k);
  return (x) => {
    const [a, b, c, d] = split(x, 1, [cin / 4, cin / 4, cin / 4, cin / 4]);
    return conv(add(add(a, b), add(c, d)));
  };
}

function separable(params: Params, name: string, cin: number, cout: number, k: number): Layer {
  const depthwise = plainConv(params, `${name}.depthwise`, cin, cin, k, cin);
  const pointwise = plainConv(params, `${name}.pointwise`, cin, cout, 1);
  return (x) => pointwise(depthwise(x));
}

function convOp(params: Params, name: string, op: CellOp, cin: number, cout: number, k: number): Layer {
  switch (op) {
    case 'conv':
      return plainConv(params, name, cin, cout, k);
    case 'transposed':
      return transposedConv(params, name, cin, cout, k, 1);
    case 'split-sum':
      return splitSum(params, name, cin, cout, k);
    case 'separable':
      return separable(params, name, cin, cout, k);
    case 'depthwise':
      if (cin % cout) throw new RangeError(`depth-wise cell conv: ${cin} input channels are not a multiple of ${cout}`);
      return plainConv(params, name, cin, cout, k, cout);
    case 'identity':
      return (x) => x;
  }
}

function primitive(params: Params, name: string, cell: UpsampleCell, cin: number, cout: number): Layer {
  switch (cell.primitive) {
    case 'bilinear':
      return upsampleBilinear2x;
    case 'bicubic':
      return bicubicUpsample2x;
    case 'nearest':
      return (x) => upsampleNearest(x, 2);
    case 'shuffle':
      return (x) => pixelShuffle(x, 2);
    case 'transposed':
      return transposedConv(params, name, cin, cout, cell.kernel, 2);
  }
}

/** Channels the primitive hands to the op (pixel shuffle quarters them; the transposed conv maps to cout). */
function primitiveChannels(cell: UpsampleCell, cin: number, cout: number): number {
  return cell.primitive === 'shuffle' ? cin / 4 : cell.primitive === 'transposed' ? cout : cin;
}

export function createUpsampleCell(params: Params, name: string, cell: UpsampleCell, cin: number, cout: number): Layer {
  const act =
    (f: Layer): Layer =>
    (x) =>
      activation(f(x), cell.act);
  const opAct = (f: Layer): Layer => (cell.op === 'identity' ? f : act(f));
  if (cell.opFirst) {
    const op = opAct(convOp(params, `${name}.op`, cell.op, cin, 4 * cout, cell.kernel));
    const shuffle = act(primitive(params, `${name}.up`, cell, 4 * cout, cout));
    return (x) => shuffle(op(x));
  }
  const mid = primitiveChannels(cell, cin, cout);
  if (cell.op === 'identity' && mid !== cout) throw new RangeError(`upsample cell ${name}: an identity op cannot turn ${mid} channels into ${cout}`);
  const up = act(primitive(params, `${name}.up`, cell, cin, cout));
  const op = opAct(convOp(params, `${name}.op`, cell.op, mid, cout, cell.kernel));
  return (x) => op(up(x));
}
