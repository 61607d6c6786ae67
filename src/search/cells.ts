/**
 * The upsampling cells of the ISNAS-DIP search space (methods.md §2.2; NAS-DIP's cell space): an
 * upsampling primitive followed by a conv op, a kernel size and an activation. Cells are numbered
 * 0–323 exactly as the official code numbers them, so its model names translate one to one:
 *   0–251    primitive = bilinear, bicubic, nearest, pixel shuffle (blocks of 63); inside a block
 *            m = 0–59 → op m/12, kernel (m/3) mod 4, activation m mod 3; m = 60–62 → identity op
 *   252–311  conv op first (to 4× the channels), then pixel shuffle; same op/kernel/act order
 *   312–323  a stride-2 transposed conv as the primitive (its kernel, activation), identity op
 * 27 cells cannot be built (the official code fails on them; its benchmark has none): pixel
 * shuffle then identity leaves a quarter of the channels, and a depth-wise conv cannot change the
 * channel count that pixel shuffle needs changed.
 */

export type CellPrimitive = 'bilinear' | 'bicubic' | 'nearest' | 'shuffle' | 'transposed';
/** conv; transposed = stride-1 transposed conv; split-sum = sum of 4 channel groups, then conv; separable = depth-wise + 1×1. */
export type CellOp = 'conv' | 'transposed' | 'split-sum' | 'separable' | 'depthwise' | 'identity';
export type CellActivation = 'none' | 'relu' | 'leaky';
export type CellKernel = 1 | 3 | 5 | 7;

export interface UpsampleCell {
  primitive: CellPrimitive;
  /** Pixel shuffle only: the conv op runs before the shuffle (cells 252–311). */
  opFirst: boolean;
  op: CellOp;
  /** Kernel of the conv op, or of the transposed primitive (1 for identity cells, where it is unused). */
  kernel: CellKernel;
  /** Applied after the primitive and after the conv op (as the official cells do). */
  act: CellActivation;
}

export const CELL_COUNT = 324;

const PRIMITIVES: CellPrimitive[] = ['bilinear', 'bicubic', 'nearest', 'shuffle'];
const OPS: CellOp[] = ['conv', 'transposed', 'split-sum', 'separable', 'depthwise'];
const KERNELS: CellKernel[] = [1, 3, 5, 7];
const ACTIVATIONS: CellActivation[] = ['none', 'relu', 'leaky'];

function blockCell(m: number, primitive: CellPrimitive, opFirst: boolean): UpsampleCell {
  const act = ACTIVATIONS[m % 3];
  if (m >= 60) return { primitive, opFirst, op: 'identity', kernel: 1, act };
  return { primitive, opFirst, op: OPS[Math.floor(m / 12)], kernel: KERNELS[Math.floor(m / 3) % 4], act };
}

/** The cell with the official index u (0–323). */
export function cellAt(u: number): UpsampleCell {
  if (!Number.isInteger(u) || u < 0 || u >= CELL_COUNT) throw new RangeError(`cell index ${u} is outside 0–${CELL_COUNT - 1}`);
  if (u < 252) return blockCell(u % 63, PRIMITIVES[Math.floor(u / 63)], false);
  if (u < 312) return blockCell(u - 252, 'shuffle', true);
  const m = u - 312;
  return { primitive: 'transposed', opFirst: false, op: 'identity', kernel: KERNELS[Math.floor(m / 3)], act: ACTIVATIONS[m % 3] };
}

/** Why a cell cannot be built, or null when it can. */
export function unbuildableReason(cell: UpsampleCell): string | null {
  if (cell.primitive !== 'shuffle') return null;
  if (cell.op === 'identity') return 'pixel shuffle without a conv leaves a quarter of the channels';
  if (cell.op === 'depthwise') return 'a depth-wise conv cannot change the channel count around a pixel shuffle';
  return null;
}

/** Indices of every buildable cell, ascending (297 of the 324). */
export const BUILDABLE_CELLS: readonly number[] = Array.from({ length: CELL_COUNT }, (_, u) => u).filter((u) => !unbuildableReason(cellAt(u)));

const OP_NAMES: Record<CellOp, string> = {
  conv: 'conv',
  transposed: 'transposed conv',
  'split-sum': 'split-stack-sum conv',
  separable: 'separable conv',
  depthwise: 'depth-wise conv',
  identity: 'identity',
};

/** e.g. "bicubic → separable conv 5×5, ReLU". */
export function describeCell(cell: UpsampleCell): string {
  const act = cell.act === 'none' ? 'no activation' : cell.act === 'relu' ? 'ReLU' : 'LeakyReLU 0.2';
  const k = `${cell.kernel}×${cell.kernel}`;
  if (cell.primitive === 'transposed') return `transposed conv ${k} stride 2, ${act}`;
  const op = cell.op === 'identity' ? OP_NAMES.identity : `${OP_NAMES[cell.op]} ${k}`;
  const prim = cell.primitive === 'shuffle' ? 'pixel shuffle' : cell.primitive;
  return cell.opFirst ? `${op} → ${prim}, ${act}` : `${prim} → ${op}, ${act}`;
}
