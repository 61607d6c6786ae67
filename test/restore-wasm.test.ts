/**
 * `backend: 'wasm'` through the Node entry: onnxruntime-web's WebAssembly backend, delegated to by the
 * Node platform. Its own file, so the other restore tests' onnxruntime-node sessions do not share a
 * process with the WebAssembly build being compiled in the background.
 */
import { describe, expect, it } from 'vitest';
import { createImage } from '../src/image/image.js';
import { restore } from '../src/node.js';
import type { RestoreOptions } from '../src/options/index.js';
import { relErr } from './helpers/fixture.js';

describe("restore with backend 'wasm' in Node", () => {
  it("runs a small fit on onnxruntime-web that follows the CPU provider's fit", async () => {
    const image = createImage(16, 16, 3);
    for (let i = 0; i < image.data.length; i++) image.data[i] = 0.5 + 0.4 * Math.sin(i / 7);
    const opts: RestoreOptions = { task: 'denoise', image, iterations: 3, stop: 'fixed', seed: 5, channels: 8, smoothing: 0, threads: 1 };
    const onCpu = await restore({ ...opts, backend: 'cpu' });
    const onWasm = await restore({ ...opts, backend: 'wasm' });
    expect(onWasm.backend).toBe('wasm');
    expect(onWasm.iterations).toBe(3);
    // Same start, same steps: losses and result agree to float32 rounding, not merely in size.
    onWasm.history.forEach((h, i) => expect(Math.abs(h.loss - onCpu.history[i].loss) / onCpu.history[i].loss).toBeLessThan(1e-4));
    expect(relErr(onWasm.image.data, onCpu.image.data)).toBeLessThan(1e-3);
  });
});
