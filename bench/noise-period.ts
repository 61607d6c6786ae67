/**
 * Why deep-prior does not use ONNX RandomNormalLike for reg-noise: draws `--size` normals per run, as
 * a fit draws one reg-noise field per step, and reports the first run whose values contain the first
 * run's opening values again (the stream has cycled), for RandomNormalLike and for deep-prior's hashed
 * noise (src/graph/ops/random.ts). Prints one table row per generator, with the time one draw takes
 * (1 thread).
 *
 *   npm run bench:noise-period                      # 2²¹ normals a run = 32 × 256² (a 256² fit's code)
 *   npm run bench:noise-period -- --runs 2000
 */
import { parseArgs } from 'node:util';
import { Graph, hashedNormal, noiseKeys } from '../src/graph/index.js';
import { Engine, type HostArray } from '../src/runtime/engine.js';
import { nodePlatform } from '../src/runtime/platform-node.js';

const { values } = parseArgs({ options: { size: { type: 'string', default: String(2 ** 21) }, runs: { type: 'string', default: '1200' } } });
const size = Number(values.size);
const runs = Number(values.runs);
const engine = await Engine.create(nodePlatform, { backend: 'cpu', threads: 1 });

const generators: Record<string, { graph: Graph; feeds: (run: number) => Record<string, HostArray> }> = {};
{
  const g = new Graph('ort');
  const z = g.input('z', [size]);
  const [n] = g.addNode('RandomNormalLike', [z], [{ shape: z.shape }], { mean: 0, scale: 1, seed: 5, dtype: 1 });
  g.output(n, 'n');
  const zero = new Float32Array(size);
  generators['ONNX RandomNormalLike'] = { graph: g, feeds: () => ({ z: zero }) };
}
{
  const g = new Graph('hashed');
  const k = g.input('k', [2], 'int64');
  g.output(hashedNormal(k, [size]), 'n');
  generators['deep-prior hashedNormal'] = { graph: g, feeds: (run) => ({ k: noiseKeys(5, run) }) };
}

console.log(`| generator | normals per run | first repeat of run 0's opening values | normals drawn until then | ms per run |`);
console.log('|---|---|---|---|---|');
for (const [name, gen] of Object.entries(generators)) {
  const program = await engine.compile(gen.graph);
  const opening = new Uint32Array((await program.run(gen.feeds(0))).n.buffer.slice(0, 16));
  let found = '';
  // Only the graph's run is timed, not the host-side search for the repeat.
  let runMs = 0;
  let run = 1;
  for (; run < runs && !found; run++) {
    const start = performance.now();
    const drawn = (await program.run(gen.feeds(run))).n;
    runMs += performance.now() - start;
    const bits = new Uint32Array(drawn.buffer);
    for (let i = 0; i + 3 < bits.length; i++) {
      if (bits[i] === opening[0] && bits[i + 1] === opening[1] && bits[i + 2] === opening[2] && bits[i + 3] === opening[3]) {
        found = `run ${run}, offset ${i}|${((run * size + i) / 1e9).toFixed(3)}·10⁹`;
        break;
      }
    }
  }
  const ms = runMs / (run - 1);
  console.log(`| ${name} | ${size} | ${found || `none in ${runs} runs|more than ${((runs * size) / 1e9).toFixed(2)}·10⁹`} | ${ms.toFixed(1)} |`);
  await program.release();
}
