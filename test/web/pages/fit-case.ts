/**
 * The short fit that test/web/webgpu.test.ts runs on WebGPU in chromium and on the CPU provider in
 * Node. Without reg-noise: SwiftShader's log, sin and cos draw the hashed normals to about 4e-4
 * (WebAssembly to 1e-6), and Adam's first, sign-like step turns that into a 1 % loss difference at
 * step 2 that says nothing about the engine.
 */
import { createImage } from '../../../src/image/index.js';

export const FIT = { stop: 'fixed', seed: 4, channels: 8, regNoise: 0 } as const;

export function fitPicture(side: number) {
  const image = createImage(side, side, 3);
  for (let i = 0; i < image.data.length; i++) image.data[i] = 0.5 + 0.4 * Math.sin(i / 7);
  return image;
}
