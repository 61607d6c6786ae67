/** The cross-skip U-Net of ISNAS-DIP: parameter counts by hand, every cell kind builds and runs, gradients. */
import { describe, expect, it } from 'vitest';
import { Graph, type Value } from '../src/graph/index.js';
import { crossSkipNetwork } from '../src/nets/index.js';
import { Params, type ParamInit, type ParamSpec } from '../src/graph/params.js';
import { createUpsampleCell } from '../src/layers/upsample-cell.js';
import { BUILDABLE_CELLS, cellAt, type UpsampleCell } from '../src/search/cells.js';
import { genotypeFromMatrix, type Genotype } from '../src/search/genotype.js';
import { Rng } from '../src/util/random.js';
import { cpuEngine, gradCheck } from './helpers/gradcheck.js';

const ALL_SKIPS = 0x1ffffff;

function build(g: Genotype, inShape: number[], channels = 128, out = 3) {
  const graph = new Graph();
  const params = new Params(graph);
  const net = crossSkipNetwork(g, out, channels);
  const y = net.build(params, graph.input('z', inShape));
  return { graph, params, y };
}

// Parameter counts of the building blocks at 128 channels (weights + biases; BN has γ and β).
const conv = (cin: number, cout: number, k: number, bias = true) => cin * cout * k * k + (bias ? cout : 0);
const bn = 256;
const convBnAct = (cin: number, k: number) => conv(cin, 128, k) + bn;
const encoder = (cin: number) => convBnAct(cin, 3) + convBnAct(128, 3);
const decoder = bn + 2 * convBnAct(128, 3) + convBnAct(128, 1);

describe('cross-skip network', () => {
  it('without skips, cell 3 (bilinear → conv 3×3): encoder + 5 cells + decoder + output, counted by hand', () => {
    const { params, y } = build({ cell: 3, skips: 0 }, [1, 3, 64, 64]);
    const cell = conv(128, 128, 3, false);
    expect(params.count).toBe(encoder(3) + 4 * encoder(128) + 5 * cell + 5 * decoder + conv(128, 3, 1));
    expect(params.count).toBe(3_635_587);
    expect(y.shape).toEqual([1, 3, 64, 64]);
  });

  it('only the blocks the skips use get parameters, each shared block once', () => {
    // Skips: input → level 0 (skip1), input → level 2 (down 1→2 and 2→3), enc4 → level 1 and enc4 → level 0
    // (up 5→4, 4→3, 3→2 shared by both, then 2→1).
    const m = [0, 1, 2, 3, 4].map(() => [false, false, false, false, false]);
    m[0][0] = true;
    m[2][0] = true;
    m[1][4] = true;
    m[0][4] = true;
    const base = build({ cell: 3, skips: 0 }, [1, 1, 64, 64], 128, 1).params.count;
    const { params, y } = build(genotypeFromMatrix(3, m), [1, 1, 64, 64], 128, 1);
    const skip1 = conv(1, 128, 1) + bn;
    const downs = conv(1, 128, 3) + bn + convBnAct(128, 3);
    const ups = 4 * conv(128, 128, 3, false);
    expect(params.count - base).toBe(skip1 + downs + ups);
    expect(y.shape).toEqual([1, 1, 64, 64]);
  });

  it('every buildable cell, with every skip, builds at 128 channels with the right output shape', () => {
    for (const cell of BUILDABLE_CELLS) {
      const { y } = build({ cell, skips: ALL_SKIPS }, [1, 3, 64, 96]);
      expect(y.shape, `cell ${cell}`).toEqual([1, 3, 64, 96]);
    }
  });

  it('each primitive × op runs on ONNX Runtime (all kernels and activations among them), output in (0, 1)', async () => {
    const engine = await cpuEngine();
    const kinds = cellKinds();
    const ran: UpsampleCell[] = [];
    for (const [j, cells] of kinds.entries()) {
      // Rotate through the kind's kernel × activation variants so every kernel and activation runs.
      const u = cells[(5 * j) % cells.length];
      ran.push(cellAt(u));
      const { graph, params, y } = build({ cell: u, skips: ALL_SKIPS }, [1, 3, 64, 64], 16);
      graph.output(y, 'y');
      const program = await engine.compile(graph);
      const rng = new Rng(u);
      const feeds: Record<string, Float32Array> = { z: rng.fillUniform(new Float32Array(3 * 64 * 64), 0, 0.1) };
      params.initialize(rng).forEach((v, i) => {
        feeds[params.values[i].name] = v;
      });
      const out = (await program.run(feeds)).y;
      await program.release();
      expect(out).toHaveLength(3 * 64 * 64);
      expect(out.every((v) => v > 0 && v < 1)).toBe(true);
    }
    expect(kinds).toHaveLength(27);
    expect(new Set(ran.filter((c) => c.op !== 'identity').map((c) => c.kernel))).toEqual(new Set([1, 3, 5, 7]));
    expect(new Set(ran.map((c) => c.act))).toEqual(new Set(['none', 'relu', 'leaky']));
  });
});

/** Buildable cells grouped by primitive × order × op (27 kinds), each group ascending. */
function cellKinds(): number[][] {
  const groups = new Map<string, number[]>();
  for (const u of BUILDABLE_CELLS) {
    const c = cellAt(u);
    const key = `${c.primitive}/${c.opFirst}/${c.op}`;
    groups.set(key, [...(groups.get(key) ?? []), u]);
  }
  return [...groups.values()];
}

/** Params whose create() hands out given graph values (the gradient check's inputs) instead of new inputs. */
class FedParams extends Params {
  private next = 0;
  constructor(
    graph: Graph,
    private readonly fed: Value[],
  ) {
    super(graph);
  }
  override create(_name: string, _shape: readonly number[], _init: ParamInit, _role?: ParamSpec['role']): Value {
    return this.fed[this.next++];
  }
}

describe('cross-skip gradients', () => {
  it('every cell kind (no activation: linear in the input and in each weight) against finite differences', async () => {
    for (const cells of cellKinds()) {
      const u = cells.find((v) => cellAt(v).act === 'none' && (cellAt(v).op === 'identity' ? true : cellAt(v).kernel === 3))!;
      const cell = cellAt(u);
      const probe = new Params(new Graph());
      createUpsampleCell(probe, 'c', cell, 16, 16);
      await gradCheck({
        shapes: [[1, 16, 3, 4], ...probe.specs.map((s) => [...s.shape])],
        build: (graph, [x, ...ws]) => createUpsampleCell(new FedParams(graph, ws), 'c', cell, 16, 16)(x),
        h: 0.5,
        tol: 1e-3,
        directions: 2,
      });
    }
  });

  // Float32 differences of the whole untrained network are noisy along random directions (batch norm
  // over 2×2 maps, many kinks: up to ~20 % off at the best step, measured), so the tight check runs
  // along the gradient itself (within 0.1–1 %) and the random directions only catch gross errors.
  for (const [cell, what] of [
    [77, 'bicubic → transposed conv 3×3, LeakyReLU'],
    [282, 'split-sum conv 5×5 → pixel shuffle'],
  ] as const) {
    it(`a tiny network (4 channels, many skips), ${what}: all weights and the input against finite differences`, async () => {
      const m = [0, 1, 2, 3, 4].map((d) => [0, 1, 2, 3, 4].map((s) => (d + 2 * s) % 3 === 0));
      const g = genotypeFromMatrix(cell, m);
      const inShape = [1, 2, 64, 64];
      const probe = build(g, inShape, 4, 2);
      const rng = new Rng(cell);
      const init = [rng.fillUniform(new Float32Array(2 * 64 * 64), 0, 0.1), ...probe.params.initialize(rng)];
      const check = {
        shapes: [inShape, ...probe.params.specs.map((s) => [...s.shape])],
        build: (graph: Graph, [z, ...ws]: Value[]) => crossSkipNetwork(g, 2, 4).build(new FedParams(graph, ws), z),
        init: (i: number) => init[i],
      };
      await gradCheck({ ...check, joint: 'gradient', h: 1e-4, tol: 1e-2 });
      await gradCheck({ ...check, joint: 'random', h: 1e-5, tol: 0.3, directions: 3 });
    });
  }
});
