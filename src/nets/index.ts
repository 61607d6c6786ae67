/** Architecture by name: each a function from a config to a graph module. */
import type { Value } from '../graph/graph.js';
import type { ArchName, WidthProfile } from '../options/index.js';
import { describeGenotype, printGenotype, withGenotypeWidth, type Genotype } from '../search/genotype.js';
import { CROSS_SKIP_CHANNELS, CROSS_SKIP_MIN_SIZE, CROSS_SKIP_MULTIPLE, crossSkipNet } from './cross-skip.js';
import { decoderNet, DECODER_DEFAULTS, type DecoderConfig } from './decoder.js';
import type { Params } from '../graph/params.js';
import { resNet, RESNET_DEFAULTS, type ResNetConfig } from './resnet.js';
import { skipMultiple, skipNet, SKIP_DEFAULTS, type SkipConfig } from './skip.js';
import { uNet, UNET_DEFAULTS, unetLevels, type UNetConfig } from './unet.js';

/** A network by name, or ISNAS-DIP's cross-skip U-Net (its genotype in `NetOverrides.crossSkip`). */
export type NetArch = ArchName | 'cross-skip';

/** Per-architecture overrides a preset or the user may set. */
export interface NetOverrides {
  skip?: Partial<SkipConfig>;
  unet?: Partial<UNetConfig>;
  resnet?: Partial<ResNetConfig>;
  decoder?: Partial<DecoderConfig>;
  /** The cross-skip net's genotype (required with arch 'cross-skip') and width (default 128, the paper's). */
  crossSkip?: { genotype: Genotype; channels?: number };
}

/** skip_depth6 of the library notebook: 6 levels, no skips, 5×5 down kernels, nearest, no 1×1 up conv. */
export const SKIP_DEPTH6: Partial<SkipConfig> = {
  channelsDown: [16, 32, 64, 128, 128, 128],
  channelsUp: [16, 32, 64, 128, 128, 128],
  channelsSkip: [0, 0, 0, 0, 0, 0],
  kernelDown: 5,
  kernelUp: 3,
  upsample: 'nearest',
  pad: 'reflection',
  need1x1Up: false,
};

/**
 * The overrides with every level of `arch` set to `channels` wide (unet: the first level; it doubles
 * below as in the DIP code). The number of levels stays the architecture's.
 */
export function withWidth(arch: NetArch, overrides: NetOverrides, channels: number): NetOverrides {
  switch (arch) {
    case 'skip':
    case 'skip-depth6': {
      const levels = (overrides.skip?.channelsDown ?? (arch === 'skip-depth6' ? SKIP_DEPTH6 : SKIP_DEFAULTS).channelsDown!).length;
      const widths = Array<number>(levels).fill(channels);
      return { ...overrides, skip: { ...overrides.skip, channelsDown: widths, channelsUp: widths } };
    }
    case 'unet':
      return { ...overrides, unet: { ...overrides.unet, featureScale: 64 / channels } };
    case 'resnet':
      return { ...overrides, resnet: { ...overrides.resnet, channels } };
    case 'decoder':
      return { ...overrides, decoder: { ...overrides.decoder, channels } };
    case 'cross-skip':
      return { ...overrides, crossSkip: { ...overrides.crossSkip!, channels } };
  }
}

/**
 * A skip net's widths spread by `profile` around its widest level C: uniform (C everywhere), or
 * pyramid — the two coarsest levels C, each finer one half the next, at least 8: [C/8, C/4, C/2, C, C]
 * for five levels, the DIP code's own default skip net at C = 128. A full-resolution level costs 4× the
 * next coarser one per channel², so the pyramid puts the channels where the pixels are few.
 */
export function withProfile(overrides: NetOverrides, arch: 'skip' | 'skip-depth6', profile: WidthProfile): NetOverrides {
  const base = arch === 'skip-depth6' ? { ...SKIP_DEFAULTS, ...SKIP_DEPTH6 } : SKIP_DEFAULTS;
  const down = overrides.skip?.channelsDown ?? base.channelsDown;
  const up = overrides.skip?.channelsUp ?? base.channelsUp;
  return { ...overrides, skip: { ...overrides.skip, channelsDown: profileWidths(profile, down), channelsUp: profileWidths(profile, up) } };
}

/** The widths of one path under a profile, keeping its level count and its widest width. */
export function profileWidths(profile: WidthProfile, widths: readonly number[]): number[] {
  const widest = Math.max(...widths);
  const levels = widths.length;
  if (profile === 'uniform') return Array<number>(levels).fill(widest);
  return widths.map((_, i) => Math.max(8, Math.round(widest / 2 ** Math.max(0, levels - 2 - i))));
}

export interface BuiltNetwork {
  build: (params: Params, input: Value) => Value;
  /** H and W of the output must be multiples of this. */
  multiple: number;
  /** Smallest output side: the coarsest level must stay larger than its reflection padding. */
  minSize: number;
  /** The input code's spatial size relative to the output (decoder: 1/32). */
  inputDownscale: number;
  description: string;
}

export function network(arch: NetArch, overrides: NetOverrides, outputChannels: number): BuiltNetwork {
  switch (arch) {
    case 'skip':
    case 'skip-depth6': {
      const cfg: SkipConfig = { ...SKIP_DEFAULTS, ...(arch === 'skip-depth6' ? SKIP_DEPTH6 : {}), ...overrides.skip, outputChannels };
      return {
        build: (p, x) => skipNet(p, x, cfg),
        multiple: skipMultiple(cfg),
        minSize: skipMultiple(cfg) * (Math.floor((Math.max(...[cfg.kernelDown, cfg.kernelUp].flat()) - 1) / 2) + 1),
        inputDownscale: 1,
        description: `${arch} down ${cfg.channelsDown.join('/')} up ${cfg.channelsUp.join('/')} skip ${cfg.channelsSkip.join('/')}, ${JSON.stringify(cfg.upsample)} up, ${cfg.downsample} down, ${cfg.pad} pad${cfg.inputNorm ? ', batch-normed input' : ''}`,
      };
    }
    case 'unet': {
      const cfg: UNetConfig = { ...UNET_DEFAULTS, ...overrides.unet, outputChannels };
      return {
        build: (p, x) => uNet(p, x, cfg),
        multiple: 2 ** unetLevels(cfg),
        minSize: 2 ** (unetLevels(cfg) + 1),
        inputDownscale: 1,
        description: `unet feature scale ${cfg.featureScale}, ${cfg.upsample} up`,
      };
    }
    case 'resnet': {
      const cfg: ResNetConfig = { ...RESNET_DEFAULTS, ...overrides.resnet, outputChannels };
      return {
        build: (p, x) => resNet(p, x, cfg),
        multiple: 1,
        minSize: 2,
        inputDownscale: 1,
        description: `resnet ${cfg.blocks} blocks × ${cfg.channels} channels`,
      };
    }
    case 'decoder': {
      const cfg: DecoderConfig = { ...DECODER_DEFAULTS, ...overrides.decoder, outputChannels };
      return {
        build: (p, x) => decoderNet(p, x, cfg),
        multiple: 2 ** cfg.levels,
        minSize: 2 ** (cfg.levels + 1),
        inputDownscale: 2 ** cfg.levels,
        description: `decoder ${cfg.levels} levels × ${cfg.channels} channels, ${cfg.upsample} up, ${cfg.norm} norm`,
      };
    }
    case 'cross-skip': {
      const { genotype, channels } = overrides.crossSkip!;
      return crossSkipNetwork(genotype, outputChannels, channels);
    }
  }
}

/** The ISNAS-DIP cross-skip U-Net of a genotype (src/search/genotype.ts); its input code has the image's channels. */
export function crossSkipNetwork(genotype: Genotype, outputChannels: number, channels = CROSS_SKIP_CHANNELS): BuiltNetwork {
  return {
    build: (p, x) => crossSkipNet(p, x, { genotype, channels, outputChannels }),
    multiple: CROSS_SKIP_MULTIPLE,
    minSize: CROSS_SKIP_MIN_SIZE,
    inputDownscale: 1,
    description: `cross-skip ${printGenotype(genotype)} × ${channels} channels (${describeGenotype(withGenotypeWidth(genotype, undefined))})`,
  };
}
