/**
 * The machine's real FLOP limit as ONNX Runtime's CPU provider reaches it: one large square Gemm
 * (MLAS SGEMM, compute-bound), at 1 and at 2 threads; GFLOP/s from wall and from CPU time.
 *   npx tsx bench/gemm-peak.ts [--n 2048] [--repeats 7]
 */
import { parseArgs } from 'node:util';
import { Graph, gemmTransB } from '../src/graph/index.js';
import { interleaved, load } from './micro.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '2048' }, repeats: { type: 'string', default: '7' } } });
const n = Number(values.n);
const g = new Graph('gemm');
g.output(gemmTransB(g.input('a', [n, n]), g.input('b', [n, n])), 'y');
const gflop = (2 * n ** 3) / 1e9;
const [one, two] = [await load(g, 1), await load(g, 2)];
const [t1, t2] = await interleaved([one, two], Number(values.repeats));
const row = (threads: number, t: { wallMs: number; cpuMs: number }) => ({
  threads,
  wallMs: t.wallMs,
  cpuMs: t.cpuMs,
  gflopsWall: gflop / (t.wallMs / 1000),
  gflopsPerCpuSecond: gflop / (t.cpuMs / 1000),
});
console.log(JSON.stringify({ n, gflop, rows: [row(1, t1), row(2, t2)] }));
