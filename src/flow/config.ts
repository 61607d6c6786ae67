/**
 * The two HCFlow models and their sizes. `paper` is the official configuration (train_Rescaling_DF2K_4X
 * and train_SR_DF2K_4X), `tiny` trains on a laptop CPU in minutes, `small` sits between. ×2 rescaling
 * is the ×4 model with one level (the official code ships ×4 only).
 */
import { InputError } from '../util/errors.js';
import type { FlowNetConfig } from './flownet.js';

export type FlowModelKind = 'rescaling' | 'sr';
export type FlowSize = 'tiny' | 'small' | 'paper';

export interface FlowModelConfig {
  kind: FlowModelKind;
  /** 2^levels. */
  scale: 2 | 4;
  net: FlowNetConfig;
  /** SR only: HR dequantisation levels (uniform noise of width 1/quant; the official ×4 config uses 64). */
  quant: number;
}

type SizeSpec = Pick<FlowNetConfig, 'mainSteps' | 'condSteps' | 'hidden' | 'condHidden' | 'rrdb' | 'dataInit'>;

const RESCALING_SIZES: Record<FlowSize, SizeSpec> = {
  // Short CPU trainings start the main flow as the exact Haar transform: after 300 steps on T91 the
  // tiny ×2 model reached 34.6 dB on Set5 this way, 25.6 dB with the official all-layer init (bench/flow-rescale.ts).
  tiny: { mainSteps: 2, condSteps: 1, hidden: 8, condHidden: 16, rrdb: { blocks: [1, 0], nf: 16, gc: 8 }, dataInit: 'conditional' },
  small: { mainSteps: 4, condSteps: 2, hidden: 16, condHidden: 32, rrdb: { blocks: [1, 1], nf: 32, gc: 16 }, dataInit: 'conditional' },
  // K = 14 with 6 of them after the split; DenseBlock couplings of 32; RRDB [2, 1], nf 64, gc 16.
  paper: { mainSteps: 8, condSteps: 6, hidden: 32, condHidden: 64, rrdb: { blocks: [2, 1], nf: 64, gc: 16 }, dataInit: 'all' },
};

const SR_SIZES: Record<FlowSize, SizeSpec> = {
  tiny: { mainSteps: 2, condSteps: 2, hidden: 16, condHidden: 16, rrdb: { blocks: [1, 1], nf: 16, gc: 8 }, dataInit: 'all' },
  small: { mainSteps: 4, condSteps: 4, hidden: 32, condHidden: 32, rrdb: { blocks: [2, 2], nf: 32, gc: 16 }, dataInit: 'all' },
  // K = 26, 13 of them after the split; FCN couplings of 64; RRDB [7, 7], nf 64, gc 32.
  paper: { mainSteps: 13, condSteps: 13, hidden: 64, condHidden: 64, rrdb: { blocks: [7, 7], nf: 64, gc: 32 }, dataInit: 'all' },
};

export function flowModelConfig(kind: FlowModelKind, scale: 2 | 4, size: FlowSize = 'paper', overrides: Partial<FlowNetConfig> = {}): FlowModelConfig {
  if (kind !== 'rescaling' && kind !== 'sr') throw new InputError(`--model must be rescaling or sr, got "${kind}"`, { code: 'BAD_OPTION' });
  if (scale !== 2 && scale !== 4) throw new InputError(`--scale must be 2 or 4, got ${scale}`, { code: 'BAD_OPTION' });
  if (kind === 'sr' && scale !== 4) throw new InputError(`--scale: the SR model is ×4 only, got ×${scale}`, { code: 'BAD_OPTION' });
  const sizes = kind === 'rescaling' ? RESCALING_SIZES : SR_SIZES;
  if (!(size in sizes)) throw new InputError(`--size must be tiny, small or paper, got "${size}"`, { code: 'BAD_OPTION' });
  const levels = scale === 2 ? 1 : 2;
  const base: FlowNetConfig =
    kind === 'rescaling'
      ? { levels, squeeze: 'haar', permutation: 'none', coupling: 'affine3shift', couplingNet: 'dense', featureMaps: 1, prior: 'clamped', ...sizes[size] }
      : { levels, squeeze: 'checkerboard', permutation: 'invconv', coupling: 'affine', couplingNet: 'fcn', featureMaps: 2, prior: 'gaussian', ...sizes[size] };
  const net = { ...base, ...overrides };
  checkNetConfig(net);
  return { kind, scale, net, quant: 64 };
}

/** Rejects a configuration no network can be built from (hand-edited overrides, a foreign weights file). */
export function checkNetConfig(net: FlowNetConfig): void {
  const positive = { levels: net.levels, hidden: net.hidden, condHidden: net.condHidden, nf: net.rrdb.nf, gc: net.rrdb.gc };
  for (const [key, v] of Object.entries(positive)) {
    if (!Number.isInteger(v) || v < 1) throw new InputError(`flow config: ${key} must be a positive integer, got ${v}`, { code: 'BAD_CONFIG' });
  }
  const counts = { mainSteps: net.mainSteps, condSteps: net.condSteps, trunk0: net.rrdb.blocks[0], trunk1: net.rrdb.blocks[1] };
  for (const [key, v] of Object.entries(counts)) {
    if (!Number.isInteger(v) || v < 0) throw new InputError(`flow config: ${key} must be a non-negative integer, got ${v}`, { code: 'BAD_CONFIG' });
  }
  const choices: [string, unknown, readonly unknown[]][] = [
    ['squeeze', net.squeeze, ['haar', 'checkerboard']],
    ['permutation', net.permutation, ['invconv', 'none']],
    ['coupling', net.coupling, ['affine', 'affine3shift']],
    ['couplingNet', net.couplingNet, ['fcn', 'dense']],
    ['featureMaps', net.featureMaps, [1, 2]],
    ['prior', net.prior, ['gaussian', 'clamped']],
    ['dataInit', net.dataInit, ['all', 'conditional']],
  ];
  for (const [key, v, allowed] of choices) {
    if (!allowed.includes(v)) throw new InputError(`flow config: ${key} must be one of ${allowed.join(', ')}, got ${v}`, { code: 'BAD_CONFIG' });
  }
  if (net.levels > 2) throw new InputError(`flow config: levels must be 1 or 2 (×2 or ×4), got ${net.levels}`, { code: 'BAD_CONFIG' });
}

export function modelMultiple(config: FlowModelConfig): number {
  return 2 ** config.net.levels;
}
