/**
 * The conditioning network (ESRGAN's RRDB trunk, as HCFlow's ConditionalFlow uses it): residual dense
 * blocks (five dense convs, output ×0.2 + input), three of them per RRDB (again ×0.2 + input), in
 * two trunks. Rescaling uses one feature map, first + trunk_conv(trunk1(trunk0(first))); SR uses two,
 * [trunk0(first), trunk_conv(trunk1(…)) + first] (nf·2 channels).
 */
import type { Value } from '../graph/graph.js';
import { add, concat, mul } from '../graph/index.js';
import type { FlowContext } from './context.js';
import { conv, type Layer } from './convs.js';
import { denseConvs } from './subnets.js';

export interface RrdbConfig {
  /** RRDBs in trunk 0 and trunk 1. */
  blocks: [number, number];
  /** Feature channels. */
  nf: number;
  /** Growth channels of the dense convs. */
  gc: number;
}

function residualDenseBlock(ctx: FlowContext, name: string, nf: number, gc: number): Layer {
  const body = denseConvs(ctx, name, nf, nf, gc, 'xavier');
  return (x) => add(mul(body(x), 0.2), x);
}

function rrdb(ctx: FlowContext, name: string, nf: number, gc: number): Layer {
  const rdbs = [1, 2, 3].map((k) => residualDenseBlock(ctx, `${name}.RDB${k}`, nf, gc));
  return (x) =>
    add(
      mul(
        rdbs.reduce((h, f) => f(h), x),
        0.2,
      ),
      x,
    );
}

function trunk(ctx: FlowContext, name: string, count: number, cfg: RrdbConfig): Layer {
  const blocks = Array.from({ length: count }, (_, k) => rrdb(ctx, `${name}.${k}`, cfg.nf, cfg.gc));
  return (x) => blocks.reduce((h, f) => f(h), x);
}

/** Channels of the features for 1 (rescaling) or 2 (SR) feature maps. */
export function featureChannels(cfg: RrdbConfig, maps: 1 | 2): number {
  return cfg.nf * maps;
}

export function featureExtractor(ctx: FlowContext, name: string, cin: number, cfg: RrdbConfig, maps: 1 | 2): (u: Value) => Value {
  const first = conv(ctx, `${name}.conv_first`, cin, cfg.nf, 3, { init: 'torch' });
  const trunk0 = trunk(ctx, `${name}.RRDB_trunk0`, cfg.blocks[0], cfg);
  const trunk1 = trunk(ctx, `${name}.RRDB_trunk1`, cfg.blocks[1], cfg);
  const trunkConv = conv(ctx, `${name}.trunk_conv1`, cfg.nf, cfg.nf, 3, { init: 'torch' });
  return (u) => {
    const f0 = first(u);
    const f1 = trunk0(f0);
    const f2 = add(trunkConv(trunk1(f1)), f0);
    return maps === 2 ? concat([f1, f2], 1) : f2;
  };
}
