/**
 * The PyTorch reference fixture (bench/torch/make_reference.py) from its JSON and bytes, and the
 * reference skip-net step it describes, as a graph run on any engine. No Node imports: the browser
 * tests run the same step in chromium (test/web/pages).
 */
import { Graph, gradients, mse } from '../../src/graph/index.js';
import { Params } from '../../src/graph/params.js';
import { SKIP_DEFAULTS, skipNet } from '../../src/nets/skip.js';
import type { Engine } from '../../src/runtime/engine.js';

export interface SkipFixture {
  json: {
    config: { inputDepth: number; height: number; width: number; nd: number[]; nu: number[]; ns: number[]; kd: number; ku: number; nOut: number };
    params: { name: string; shape: number[]; offset: number; size: number }[];
    loss: number;
    loss_nearest_zero: number;
  };
  array(name: string): Float32Array;
  /** Splits a flat parameter-ordered array into per-parameter arrays. */
  perParam(flat: Float32Array): Float32Array[];
}

export function parseSkipFixture(
  json: SkipFixture['json'] & { layout: Record<string, { offset: number; byteLength: number }> },
  bytes: Uint8Array,
): SkipFixture {
  return {
    json,
    array(name) {
      const l = json.layout[name];
      if (!l) throw new Error(`fixture has no array ${name}`);
      return new Float32Array(bytes.buffer.slice(bytes.byteOffset + l.offset, bytes.byteOffset + l.offset + l.byteLength));
    },
    perParam(flat) {
      return json.params.map((p: { offset: number; size: number }) => flat.slice(p.offset, p.offset + p.size));
    },
  };
}

/** ‖a − b‖ / ‖b‖ in float64. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

/** The fixture's skip-net step (bilinear, reflection padding, MSE) on an engine: loss, output and every weight's gradient. */
export async function skipFixtureStep(engine: Engine, fx: SkipFixture): Promise<{ loss: number; out: Float32Array; grads: number[] }> {
  const c = fx.json.config;
  const g = new Graph();
  const params = new Params(g);
  const z = g.input('z', [1, c.inputDepth, c.height, c.width]);
  const target = g.input('target', [1, 3, c.height, c.width]);
  const out = skipNet(params, z, {
    ...SKIP_DEFAULTS,
    channelsDown: c.nd,
    channelsUp: c.nu,
    channelsSkip: c.ns,
    upsample: 'bilinear',
    pad: 'reflection',
    outputChannels: 3,
  });
  const loss = mse(out, target);
  g.output(loss, 'loss');
  g.output(out, 'out');
  gradients(loss, params.values).forEach((d, i) => g.output(d!, `g${i}`));
  const prog = await engine.compile(g);
  const weights = fx.perParam(fx.array('params'));
  const feeds: Record<string, Float32Array> = { z: fx.array('z'), target: fx.array('target') };
  params.values.forEach((v, i) => (feeds[v.name] = weights[i]));
  const res = await prog.run(feeds);
  await prog.release();
  return { loss: res.loss[0], out: res.out, grads: params.values.flatMap((_, i) => Array.from(res[`g${i}`])) };
}
