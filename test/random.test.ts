/**
 * The graph's counter-based Gaussian noise (src/graph/ops/random.ts), pinned to independent references:
 * the hash against values computed with numpy's uint32 arithmetic, the graph against the host hash and
 * a float64 Box–Muller, the draws against the normal distribution's moments and CDF.
 */
import { describe, expect, it } from 'vitest';
import { Graph, hashGraph, hashUint32, hashedNormal, hashedUniform, noiseKeys } from '../src/graph/index.js';
import { Engine } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { hashedNormalReference } from './helpers/noise-ref.js';

async function compile(g: Graph) {
  const engine = await Engine.create(nodePlatform, { backend: 'cpu', threads: 1 });
  return engine.compile(g);
}

async function drawer(shape: number[]) {
  const g = new Graph('noise');
  const k = g.input('k', [2], 'int64');
  g.output(hashedNormal(k, shape), 'n');
  const p = await compile(g);
  return async (keys: BigInt64Array) => (await p.run({ k: keys })).n;
}

/** Φ by the Abramowitz–Stegun 7.1.26 erf (|error| < 1.5e-7). */
function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2));
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-(x * x) / 2);
  return x >= 0 ? (1 + y) / 2 : (1 - y) / 2;
}

describe('hashed Gaussian noise', () => {
  it('the host hash is lowbias32 (known answers from numpy uint32 arithmetic)', () => {
    expect([0, 1, 2, 0xdeadbeef, 0xffffffff].map(hashUint32)).toEqual([0x0, 0x688990c0, 0xd1132181, 0xe628c683, 0x6768824a]);
  });

  it('the graph hash equals the host hash on every input tried', async () => {
    const inputs = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff];
    for (let i = 0; i < 250; i++) inputs.push(hashUint32(i * 7919 + 13));
    const g = new Graph('hash');
    const x = g.input('x', [inputs.length], 'int64');
    const [x32] = g.addNode('Cast', [x], [{ shape: x.shape, dtype: 'uint32' }], { to: 12 });
    const [back] = g.addNode('Cast', [hashGraph(x32)], [{ shape: x.shape, dtype: 'int64' }], { to: 7 });
    g.output(back, 'h');
    const p = await compile(g);
    const out = (await p.run({ x: BigInt64Array.from(inputs.map(BigInt)) })).h as unknown as BigInt64Array;
    expect(Array.from(out, Number)).toEqual(inputs.map(hashUint32));
  });

  it('matches a float64 Box–Muller of the same hashed uniforms (odd size: the last pair is cut)', async () => {
    const n = 101;
    const keys = noiseKeys(7, 3);
    const got = await (await drawer([n]))(keys);
    const want = hashedNormalReference(keys, n);
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(want[i], 5);
  });

  it('is standard normal: moments and the Kolmogorov–Smirnov distance', async () => {
    const x = Array.from(await (await drawer([1, 4, 64, 64]))(noiseKeys(0, 0))).sort((a, b) => a - b);
    const n = x.length;
    const mean = x.reduce((s, v) => s + v, 0) / n;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / n;
    const kurtosis = x.reduce((s, v) => s + (v - mean) ** 4, 0) / n / variance ** 2;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(Math.sqrt(variance) - 1)).toBeLessThan(0.015);
    expect(Math.abs(kurtosis - 3)).toBeLessThan(0.1);
    let ks = 0;
    x.forEach((v, i) => (ks = Math.max(ks, Math.abs(normalCdf(v) - i / n), Math.abs(normalCdf(v) - (i + 1) / n))));
    expect(ks).toBeLessThan(1.63 / Math.sqrt(n)); // the 1 % critical value
  });

  it('the same key draws the same field; other steps, attempts and seeds draw uncorrelated ones', async () => {
    const draw = await drawer([4096]);
    const base = await draw(noiseKeys(1, 10));
    expect(Array.from(await draw(noiseKeys(1, 10)))).toEqual(Array.from(base));
    const corr = (a: Float32Array, b: Float32Array) => a.reduce((s, v, i) => s + v * b[i], 0) / a.length;
    for (const other of [noiseKeys(1, 11), noiseKeys(1, 10, 1), noiseKeys(2, 10)]) {
      expect(Math.abs(corr(base, await draw(other)))).toBeLessThan(4 / Math.sqrt(4096));
    }
    // Neighbours in the field are independent too (a lagged copy would show here).
    expect(Math.abs(corr(base.subarray(1), base.subarray(0, -1)))).toBeLessThan(4 / Math.sqrt(4096));
  });

  it('the uniform field is the same hashed uniforms, interleaved per pair, and uniform on (0, 1)', async () => {
    const g = new Graph('uniform');
    const k = g.input('k', [2], 'int64');
    g.output(hashedUniform(k, [2, 3, 7]), 'u');
    const keys = noiseKeys(3, 5);
    const got = (await (await compile(g)).run({ k: keys })).u;
    const uniform = (pair: number, key: bigint) => ((hashUint32((hashUint32((pair ^ 0x9e3779b9) >>> 0) ^ Number(key)) >>> 0) >>> 8) + 0.5) / 2 ** 24;
    for (let i = 0; i < got.length; i++) expect(got[i]).toBeCloseTo(uniform(i >> 1, keys[i % 2]), 6);
    const big = new Graph('uniform-big');
    const kb = big.input('k', [2], 'int64');
    big.output(hashedUniform(kb, [4096]), 'u');
    const x = Array.from((await (await compile(big)).run({ k: keys })).u).sort((a, b) => a - b);
    let ks = 0;
    x.forEach((v, i) => (ks = Math.max(ks, Math.abs(v - i / x.length), Math.abs(v - (i + 1) / x.length))));
    expect(x[0]).toBeGreaterThan(0);
    expect(x[x.length - 1]).toBeLessThan(1);
    expect(ks).toBeLessThan(1.63 / Math.sqrt(x.length));
  });

  it('keys never repeat across the steps of a long fit', () => {
    const seen = new Set<string>();
    for (let step = 0; step < 20000; step++) seen.add(Array.from(noiseKeys(0, step)).join(','));
    expect(seen.size).toBe(20000);
  });
});
