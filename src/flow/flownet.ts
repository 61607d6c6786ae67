/**
 * HCFlow's hierarchical flow (FlowNet_SR_x4 / FlowNet_Rescaling_x4, generalised to L levels).
 * Forward, level l = 0…L−1: squeeze (×4 channels, ½ size) → main flow steps → split: keep the first
 * half (the last level keeps the 3 LR channels), a_l = the rest. What the last level keeps is the LR
 * image y. Then, coarse to fine, each a_l goes through its conditional flow, conditioned on features
 * of y (last level) or of [kept_l, nearest×2(features of level l+1)], and comes out standardised (ε_l).
 * The inverse runs the same path backwards from (y, ε_0…ε_{L−1}).
 */
import { Graph, type Value } from '../graph/graph.js';
import { concat, split, upsampleNearest } from '../graph/index.js';
import { Params } from '../graph/params.js';
import { addLogdet, chain, FlowContext, type InvertibleBlock } from './context.js';
import { conditionalFlow, type ConditionalFlow } from './cond-flow.js';
import { flowStep } from './flow-step.js';
import { featureChannels, type RrdbConfig } from './rrdb.js';
import { haarSqueeze, squeeze } from './squeeze.js';
import type { SubnetKind } from './subnets.js';

export interface FlowNetConfig {
  /** L: the model scale is 2^L. */
  levels: number;
  squeeze: 'haar' | 'checkerboard';
  /** Main (unconditional) flow steps per level. */
  mainSteps: number;
  /** Steps of each level's conditional flow. */
  condSteps: number;
  permutation: 'invconv' | 'none';
  coupling: 'affine' | 'affine3shift';
  couplingNet: SubnetKind;
  /** Hidden channels of the main flow's coupling nets. */
  hidden: number;
  /** Hidden channels of the conditional flows' coupling nets (FCN). */
  condHidden: number;
  rrdb: RrdbConfig;
  featureMaps: 1 | 2;
  prior: 'gaussian' | 'clamped';
  /**
   * Which ActNorms take their start from the first batch: 'all' (the official code) or 'conditional'
   * (only the conditional flows'; the main flow then starts as the exact squeeze, e.g. the Haar
   * transform whose LR is the 2×2 average, instead of a standardised LR the LR loss must first undo).
   */
  dataInit: 'all' | 'conditional';
}

export interface FlowForward {
  /** The LR image (3 channels, 1/2^L size), unclamped. */
  y: Value;
  /** ε per level, level 0 (finest) first. */
  latents: Value[];
  logdet: Value | null;
}

export interface FlowNet {
  readonly config: FlowNetConfig;
  forward(x: Value): FlowForward;
  inverse(y: Value, latents: Value[]): Value;
}

const IMAGE_CHANNELS = 3;

interface LevelShape {
  squeezed: number;
  keep: number;
  split: number;
}

/** Channels at each level for a 3-channel input. */
export function levelChannels(levels: number): LevelShape[] {
  const out: LevelShape[] = [];
  let c = IMAGE_CHANNELS;
  for (let l = 0; l < levels; l++) {
    const squeezed = 4 * c;
    const keep = l < levels - 1 ? squeezed / 2 : IMAGE_CHANNELS;
    out.push({ squeezed, keep, split: squeezed - keep });
    c = keep;
  }
  return out;
}

/** Shapes of ε_0…ε_{L−1} for an LR batch [n, 3, h, w]. */
export function latentShapes(levels: number, n: number, h: number, w: number): number[][] {
  return levelChannels(levels).map((s, l) => [n, s.split, h * 2 ** (levels - 1 - l), w * 2 ** (levels - 1 - l)]);
}

function mainFlow(ctx: FlowContext, cfg: FlowNetConfig, level: number, channels: number): InvertibleBlock {
  const steps = Array.from({ length: cfg.mainSteps }, (_, k) =>
    flowStep(ctx, `layers.${level}.${k}`, {
      channels,
      permutation: cfg.permutation,
      coupling: cfg.coupling,
      net: cfg.couplingNet,
      hidden: cfg.hidden,
      lrVsOthers: k % 2 === 0,
    }),
  );
  return chain([cfg.squeeze === 'haar' ? haarSqueeze() : squeeze(), ...steps]);
}

export function flowNet(ctx: FlowContext, cfg: FlowNetConfig): FlowNet {
  const shapes = levelChannels(cfg.levels);
  const featCh = featureChannels(cfg.rrdb, cfg.featureMaps);
  // Parameter order as the official module registers them: every main step, then the conditional flows.
  const mainCtx = cfg.dataInit === 'conditional' ? ctx.withoutDataInit() : ctx;
  const main = shapes.map((s, l) => mainFlow(mainCtx, cfg, l, s.squeezed));
  const cond: ConditionalFlow[] = shapes.map((s, l) =>
    conditionalFlow(ctx, `level${l}_condFlow`, {
      channels: s.split,
      condIn: l === cfg.levels - 1 ? s.keep : s.keep + featCh,
      steps: cfg.condSteps,
      rrdb: cfg.rrdb,
      featureMaps: cfg.featureMaps,
      hidden: cfg.condHidden,
      prior: cfg.prior,
    }),
  );
  const condInput = (kept: Value, finerFeatures: Value | null) => (finerFeatures ? concat([kept, upsampleNearest(finerFeatures, 2)], 1) : kept);

  return {
    config: cfg,
    forward(x) {
      let z = x;
      let logdet: Value | null = null;
      const kept: Value[] = [];
      const parts: Value[] = [];
      shapes.forEach((s, l) => {
        const out = main[l].forward(z);
        logdet = addLogdet(logdet, out.logdet);
        [z, parts[l]] = split(out.y, 1, [s.keep, s.split]);
        kept[l] = z;
      });
      const latents: Value[] = [];
      let features: Value | null = null;
      for (let l = cfg.levels - 1; l >= 0; l--) {
        features = cond[l].features(condInput(kept[l], features));
        const out = cond[l].forward(parts[l], features);
        latents[l] = out.eps;
        logdet = addLogdet(logdet, out.logdet);
      }
      return { y: z, latents, logdet };
    },
    inverse(y, latents) {
      let z = y;
      let features: Value | null = null;
      for (let l = cfg.levels - 1; l >= 0; l--) {
        features = cond[l].features(condInput(z, features));
        z = main[l].inverse(concat([z, cond[l].inverse(latents[l], features)], 1));
      }
      return z;
    },
  };
}

/** Number of learned parameters of a configuration (builds it in a throwaway graph). */
/** The parameters a network of this config has (names, shapes, order), without building a graph to run. */
export function flowParams(cfg: FlowNetConfig): Params {
  const params = new Params(new Graph('params'));
  flowNet(new FlowContext(params), cfg);
  return params;
}

export function flowParamCount(cfg: FlowNetConfig): number {
  return flowParams(cfg).count;
}
