/**
 * Where one training step's time goes: runs the reference step (bench/reference-step.ts) with ONNX
 * Runtime's profiler on, and sums the kernel times of the timed steps by operator and by phase
 * (forward, backward, Adam), with the heaviest single nodes. Same session options as the engine.
 *   npx tsx bench/profile-step.ts --size 256 --channels 128 --threads 2 --warmup 1 --repeats 2
 *   npx tsx bench/profile-step.ts --size 256 --channels 48 --set '{"enableMemPattern":true}'
 * --set merges session options over the engine's (for trying options); --nchwc off skips the NCHWc
 * lowering of convolutions; --out writes the table.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Graph, Node } from '../src/graph/graph.js';
import { nchwcLowering } from '../src/graph/nchwc.js';
import { emittedNodes, type NodeRewrite, toOnnx } from '../src/graph/onnx.js';
import { sessionOptions, type OrtTensor } from '../src/runtime/engine.js';
import { nchwcBlockSize } from '../src/runtime/nchwc-probe.js';
import { nodePlatform } from '../src/runtime/platform-node.js';
import { graphFlops } from './flops.js';
import { advanceState, initialFeeds, referenceStep, setStepScalars } from './reference-step.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '256' },
    channels: { type: 'string', default: '128' },
    threads: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '2' },
    top: { type: 'string', default: '15' },
    set: { type: 'string', default: '{}' },
    /** --nchwc off: convolutions as emitted, without the CPU provider's NCHWc lowering */
    nchwc: { type: 'string', default: 'on' },
    out: { type: 'string' },
  },
});

type Phase = 'forward' | 'backward' | 'adam' | 'fused';

/** Phase of every live node by its ONNX name (`n<k>_<op>`): forward = what the loss depends on; Adam = from the first read of a moment on. */
function phases(g: Graph, rewrite?: NodeRewrite): Map<string, { phase: Phase; node: Node }> {
  const nodes = emittedNodes(g, rewrite);
  const loss = g.outputs.find((o) => o.name === 'loss')!;
  const producer = new Map<number, Node>();
  for (const n of nodes) for (const o of n.outputs) producer.set(o.id, n);
  const forward = new Set<Node>();
  const stack = [loss.id];
  while (stack.length) {
    const n = producer.get(stack.pop()!);
    if (!n || forward.has(n)) continue;
    forward.add(n);
    for (const i of n.inputs) if (i) stack.push(i.id);
  }
  const firstAdam = nodes.findIndex((n) => n.inputs.some((i) => i?.name === 'm0'));
  const out = new Map<string, { phase: Phase; node: Node }>();
  nodes.forEach((n, k) => out.set(`n${k}_${n.op}`, { node: n, phase: forward.has(n) ? 'forward' : k >= firstAdam ? 'adam' : 'backward' }));
  return out;
}

interface Event {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

async function profile(g: Graph, rewrite: NodeRewrite | undefined, size: number, threads: number, warmup: number, repeats: number): Promise<Event[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dp-profile-'));
  const ort = await nodePlatform.loadOrt('cpu');
  const options = { ...sessionOptions('cpu', threads), ...JSON.parse(values.set!), enableProfiling: true, profileFilePrefix: path.join(dir, 'step') };
  const session = await ort.InferenceSession.create(toOnnx(g, rewrite), options);
  const step = stepOf;
  const feeds = initialFeeds(step, size);
  for (let t = 1; t <= warmup + repeats; t++) {
    setStepScalars(feeds, t);
    const tensors: Record<string, OrtTensor> = {};
    for (const v of g.inputs) tensors[v.name] = new ort.Tensor(v.dtype === 'int64' ? 'int64' : 'float32', feeds[v.name], v.shape);
    const out = await session.run(tensors);
    const host: Record<string, Float32Array> = {};
    for (const [k, v] of Object.entries(out)) host[k] = v.data as Float32Array;
    advanceState(step, feeds, host);
  }
  (session as unknown as { endProfiling(): void }).endProfiling();
  await session.release();
  const file = readdirSync(dir).find((f) => f.endsWith('.json'))!;
  const events = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Event[];
  rmSync(dir, { recursive: true });
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const timed = runs.slice(warmup);
  return events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time') && timed.some((r) => e.ts >= r.ts && e.ts <= r.ts + r.dur));
}

function table(title: string, rows: [string, number, number][], total: number, repeats: number): string[] {
  const lines = [`| ${title} | ms/step | nodes | share |`, '|---|---|---|---|'];
  for (const [k, us, count] of rows.sort((a, b) => b[1] - a[1])) {
    lines.push(`| ${k} | ${(us / 1000 / repeats).toFixed(1)} | ${count / repeats} | ${((100 * us) / total).toFixed(1)} % |`);
  }
  return lines;
}

function summarise(events: Event[], names: ReturnType<typeof phases>, repeats: number, topN: number): string[] {
  const total = events.reduce((s, e) => s + e.dur, 0);
  const group = (key: (e: Event) => string) => {
    const m = new Map<string, [number, number]>();
    for (const e of events) {
      const k = key(e);
      const [us, c] = m.get(k) ?? [0, 0];
      m.set(k, [us + e.dur, c + 1]);
    }
    return [...m].map(([k, [us, c]]) => [k, us, c] as [string, number, number]);
  };
  const nodeName = (e: Event) => e.name.slice(0, -'_kernel_time'.length);
  const phaseOf = (e: Event) => names.get(nodeName(e))?.phase ?? 'fused';
  const opOf = (e: Event) => e.args?.op_name ?? '?';
  const top = group((e) => `${nodeName(e)} ${opOf(e)} ${phaseOf(e)} → [${names.get(nodeName(e))?.node.outputs[0].shape.join('×') ?? '?'}]`)
    .sort((a, b) => b[1] - a[1])
    .slice(0, topN);
  return [
    `kernel time ${(total / 1000 / repeats).toFixed(0)} ms/step (sum over nodes)`,
    '',
    ...table('op', group(opOf), total, repeats),
    '',
    ...table('phase', group(phaseOf), total, repeats),
    '',
    ...table(
      'phase / op',
      group((e) => `${phaseOf(e)} ${opOf(e)}`),
      total,
      repeats,
    ).slice(0, 27),
    '',
    ...table('heaviest nodes', top, total, repeats),
  ];
}

const size = Number(values.size);
const ch = Number(values.channels);
const stepOf = referenceStep(size, ch);
const repeats = Number(values.repeats);
const block = values.nchwc === 'off' ? 0 : await nchwcBlockSize(await nodePlatform.loadOrt('cpu'));
const rewrite = block ? nchwcLowering(stepOf.graph, block) : undefined;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const events = await profile(stepOf.graph, rewrite, size, Number(values.threads), Number(values.warmup), repeats);
const flops = graphFlops(stepOf.graph);
const lines = [
  `Profile of the reference step, ${size}² × ${ch} channels, ${values.threads} threads, ${repeats} timed steps after ${values.warmup} warm-up, NCHWc block ${block || 'off'}`,
  `(whole run ${(performance.now() - t0).toFixed(0)} ms wall, ${((process.cpuUsage(cpu0).user + process.cpuUsage(cpu0).system) / 1000).toFixed(0)} ms CPU incl. build and load)`,
  `conv/GEMM work ${(flops.total / 1e9).toFixed(1)} GFLOP/step: ${Object.entries(flops.byOp)
    .map(([k, f]) => `${k} ${(f / 1e9).toFixed(1)}`)
    .join(', ')}`,
  '',
  ...summarise(events, phases(stepOf.graph, rewrite), repeats, Number(values.top)),
];
console.log(lines.join('\n'));
if (values.out) writeFileSync(values.out, `${lines.join('\n')}\n`);
