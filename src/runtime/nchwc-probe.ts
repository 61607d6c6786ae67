/** Whether ONNX Runtime's CPU provider here has NCHWc convolution kernels, and their channel block. */
import { Graph } from '../graph/graph.js';
import { toOnnx } from '../graph/onnx.js';
import type { OrtModule } from './engine.js';

const cache = new WeakMap<OrtModule, Promise<number>>();

/**
 * The NCHWc block size (8 with AVX2, 16 with AVX-512), read from ReorderInput's output on 4 channels;
 * 0 where the kernels are missing (WebAssembly builds, other architectures).
 */
export function nchwcBlockSize(ort: OrtModule): Promise<number> {
  let block = cache.get(ort);
  if (!block) {
    block = probe(ort);
    cache.set(ort, block);
  }
  return block;
}

async function probe(ort: OrtModule): Promise<number> {
  const g = new Graph('nchwc_probe');
  const x = g.input('x', [1, 4, 1, 1]);
  // The declared shape is a placeholder: the run reports the padded channel count.
  const [y] = g.addNode('ReorderInput', [x], [{ shape: [1, 4, 1, 1] }], { channels_last: 0 }, undefined, 'com.microsoft.nchwc');
  g.outputs.push(y);
  try {
    const s = await ort.InferenceSession.create(toOnnx(g), { executionProviders: ['cpu'], logSeverityLevel: 4 });
    const out = await s.run({ x: new ort.Tensor('float32', new Float32Array(4), [1, 4, 1, 1]) });
    await s.release();
    const block = Object.values(out)[0].dims[1];
    return block > 1 ? block : 0;
  } catch {
    return 0;
  }
}
