/** Host float64 reference of hashedNormal (src/graph/ops/random.ts) built on the host hash. */
import { hashUint32 } from '../../src/graph/index.js';

export function hashedNormalReference(keys: BigInt64Array, n: number): Float64Array {
  const uniform = (pair: number, key: bigint) => ((hashUint32((hashUint32((pair ^ 0x9e3779b9) >>> 0) ^ Number(key)) >>> 0) >>> 8) + 0.5) / 2 ** 24;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pair = i >> 1;
    const r = Math.sqrt(-2 * Math.log(uniform(pair, keys[0])));
    const angle = 2 * Math.PI * uniform(pair, keys[1]);
    out[i] = i % 2 ? r * Math.sin(angle) : r * Math.cos(angle);
  }
  return out;
}
