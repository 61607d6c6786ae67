/**
 * The cross-scale skip U-Net of NAS-DIP / ISNAS-DIP (methods.md §2.2): a 5-level encoder, a decoder
 * whose every ×2 step is the genotype's upsampling cell, and additive skips from any encoder level
 * (or the input) into any decoder level: same level through a 1×1 conv-BN-act, coarser sources
 * through chains of upsampling cells, finer ones through chains of stride-2 conv-BN-act blocks.
 * Those blocks are shared per level; a chain that several skips use is computed once (with
 * training-mode batch norm the repeated application gives the same value, so this is exact).
 * Only the blocks the skip pattern uses get parameters; they are created in the official module
 * registration order (enc, skip, skip_up, skip_down, up, dec, output) so weights map by position.
 */
import type { Value } from '../graph/graph.js';
import { add, sigmoid } from '../graph/index.js';
import { activation } from '../layers/activation.js';
import { createConvLayer } from '../layers/conv.js';
import { createNormLayer } from '../layers/norm.js';
import { createUpsampleCell } from '../layers/upsample-cell.js';
import { cellAt } from '../search/cells.js';
import { hasSkip, LEVELS, WIDTH_MULTIPLE, type Genotype } from '../search/genotype.js';
import type { Params } from '../graph/params.js';

export interface CrossSkipConfig {
  genotype: Genotype;
  /** Channels of every level (128 in the paper). */
  channels: number;
  outputChannels: number;
}

export const CROSS_SKIP_CHANNELS = 128;
/** H and W must be multiples of 2⁵; at 64 the coarsest level (2×2) still takes its reflection padding. */
export const CROSS_SKIP_MULTIPLE = 32;
export const CROSS_SKIP_MIN_SIZE = 64;
/** Widths must divide by this: a pixel-shuffle cell quarters the channels and a split-sum op quarters them again. */
export const CROSS_SKIP_WIDTH_MULTIPLE = WIDTH_MULTIPLE;

type Layer = (x: Value) => Value;
const chain =
  (...fs: Layer[]): Layer =>
  (x) =>
    fs.reduce((v, f) => f(v), x);

/** conv (reflection pad, bias) → BN → LeakyReLU 0.2, the DIP code's unit. */
function convBnAct(params: Params, name: string, cin: number, cout: number, k: number, stride: 1 | 2 = 1): Layer {
  const conv = createConvLayer(params, `${name}.conv`, cin, cout, k, { stride, pad: 'reflection' });
  const bn = createNormLayer(params, `${name}.bn`, cout);
  return chain(conv, bn, (x) => activation(x, 'leaky'));
}

function decoderBlock(params: Params, name: string, c: number): Layer {
  const bn = createNormLayer(params, `${name}.bn`, c);
  return chain(bn, convBnAct(params, `${name}.1`, c, c, 3), convBnAct(params, `${name}.2`, c, c, 3), convBnAct(params, `${name}.3`, c, c, 1));
}

/** Which shared chain blocks any skip needs: up[r] maps level r+1 → r, down[k] maps level k−1 → k. */
function usedChains(g: Genotype): { up: boolean[]; down: boolean[] } {
  const up = Array<boolean>(LEVELS).fill(false);
  const down = Array<boolean>(LEVELS).fill(false);
  for (let d = 0; d < LEVELS; d++) {
    for (let s = 0; s < LEVELS; s++) {
      if (!hasSkip(g, d, s)) continue;
      for (let r = d; r < s; r++) up[r] = true;
      for (let k = s + 1; k <= d; k++) down[k] = true;
    }
  }
  return { up, down };
}

export function crossSkipNet(params: Params, input: Value, config: CrossSkipConfig): Value {
  const { genotype: g, channels: ch } = config;
  const cell = cellAt(g.cell);
  const cin = input.shape[1];
  const levels = Array.from({ length: LEVELS }, (_, i) => i);
  const uses = usedChains(g);
  const enc = levels.map((i) => chain(convBnAct(params, `enc${i + 1}.1`, i ? ch : cin, ch, 3, 2), convBnAct(params, `enc${i + 1}.2`, ch, ch, 3)));
  const same = levels.map((r) => (hasSkip(g, r, r) ? convBnAct(params, `skip${r + 1}`, r ? ch : cin, ch, 1) : null));
  const upChain: (Layer | null)[] = [];
  for (const r of [3, 2, 1, 0]) upChain[r] = uses.up[r] ? createUpsampleCell(params, `skip_up_${r + 2}_${r + 1}`, cell, ch, ch) : null;
  const downChain: (Layer | null)[] = [null];
  for (const k of [1, 2, 3, 4]) downChain[k] = uses.down[k] ? convBnAct(params, `skip_down_${k}_${k + 1}`, k > 1 ? ch : cin, ch, 3, 2) : null;
  const decUp: Layer[] = [];
  for (const r of [4, 3, 2, 1, 0]) decUp[r] = createUpsampleCell(params, `up${r + 1}`, cell, ch, ch);
  const dec: Layer[] = [];
  for (const r of [4, 3, 2, 1, 0]) dec[r] = decoderBlock(params, `dec${r + 1}`, ch);
  const output = createConvLayer(params, 'output', ch, config.outputChannels, 1, { pad: 'reflection' });

  const sources: Value[] = [input];
  for (const i of levels) sources.push(enc[i](sources[i]));
  const memo = new Map<string, Value>();
  // The source's features carried to `level`: the same-level skip block, or the chain of shared blocks.
  const route = (source: number, level: number): Value => {
    if (source === level) return same[level]!(sources[source]);
    const key = `${source}>${level}`;
    let v = memo.get(key);
    if (!v) {
      if (source < level) v = downChain[level]!(level - 1 === source ? sources[source] : route(source, level - 1));
      else v = upChain[level]!(level + 1 === source ? sources[source] : route(source, level + 1));
      memo.set(key, v);
    }
    return v;
  };
  let x = sources[LEVELS];
  for (const r of [4, 3, 2, 1, 0]) {
    x = decUp[r](x);
    for (const s of levels) if (hasSkip(g, r, s)) x = add(x, route(s, r));
    x = dec[r](x);
  }
  return sigmoid(output(x));
}
