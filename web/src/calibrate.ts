/**
 * How fast this device runs the three things a training step is made of, measured in about a
 * second on the backend that will fit: node dispatch (a chain of tiny additions), memory traffic
 * (additions over 4 M floats) and convolution arithmetic (a 3×3, 32→32-channel convolution over
 * 96×96 pixels, 85 M multiply-adds, the kind of layer DIP networks are made of). A step's time is
 * then estimated as nodes × dispatch + bytes / bandwidth + multiply-adds / rate; the fit's own
 * measured speed replaces the estimate once it runs.
 */
import { add, conv2d, Graph, type Value } from '../../src/graph/index.js';
import { Engine, type Platform, type Program } from '../../src/runtime/engine.js';

export interface DeviceSpeed {
  secondsPerNode: number;
  bytesPerSecond: number;
  macsPerSecond: number;
}

const CHAIN = 200;
const BIG = 4 * 1024 * 1024;
const BIG_ADDS = 8;
const C = 32;
const SIDE = 96;

export async function deviceSpeed(platform: Platform, backend: 'webgpu' | 'wasm'): Promise<DeviceSpeed> {
  const engine = await Engine.create(platform, { backend });
  const tiny = await timeChain(engine, 16, CHAIN);
  const secondsPerNode = tiny / CHAIN;
  const big = await timeChain(engine, BIG, BIG_ADDS);
  const bytesPerSecond = (BIG * 4 * BIG_ADDS) / Math.max(big - BIG_ADDS * secondsPerNode, 1e-6);
  const conv = await timeConv(engine);
  const convBytes = C * SIDE * SIDE * 4;
  const macsPerSecond = (SIDE * SIDE * C * C * 9) / Math.max(conv - secondsPerNode - convBytes / bytesPerSecond, 1e-6);
  return { secondsPerNode, bytesPerSecond, macsPerSecond };
}

/** Seconds of one step: the three measured costs added. */
export function stepSeconds(s: DeviceSpeed, work: { nodesPerStep: number; bytesPerStep: number; macsPerStep: number }): number {
  return work.nodesPerStep * s.secondsPerNode + work.bytesPerStep / s.bytesPerSecond + work.macsPerStep / s.macsPerSecond;
}

function timeChain(engine: Engine, size: number, length: number): Promise<number> {
  const g = new Graph('calibrate_chain');
  let x: Value = g.input('x', [size]);
  for (let k = 0; k < length; k++) x = add(x, 1e-3);
  g.output(x, 'y');
  return timed(engine, g, { x: new Float32Array(size) });
}

function timeConv(engine: Engine): Promise<number> {
  const g = new Graph('calibrate_conv');
  const x = g.input('x', [1, C, SIDE, SIDE]);
  const w = g.input('w', [C, C, 3, 3]);
  g.output(conv2d(x, w, null, { pads: 1 }), 'y');
  return timed(engine, g, { x: new Float32Array(C * SIDE * SIDE).fill(0.5), w: new Float32Array(C * C * 9).fill(0.01) });
}

/** The fastest of three runs after a warm-up (the others waited for something else). */
async function timed(engine: Engine, g: Graph, feeds: Record<string, Float32Array>): Promise<number> {
  const program: Program = await engine.compile(g);
  try {
    await program.run(feeds);
    let best = Number.POSITIVE_INFINITY;
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now();
      await program.run(feeds);
      best = Math.min(best, (performance.now() - t0) / 1000);
    }
    return best;
  } finally {
    await program.release();
  }
}
