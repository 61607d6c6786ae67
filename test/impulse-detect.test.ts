/** Impulse detection against the known positions of the impulses addSaltPepper drew. */
import { describe, expect, it } from 'vitest';
import { addSaltPepper } from '../src/image/degrade.js';
import { createImage } from '../src/image/image.js';
import { detectImpulses } from '../src/tasks/impulse.js';
import { Rng } from '../src/util/random.js';

describe('impulse detection', () => {
  it('finds the impulses on a bright, skin-like colour and leaves a genuinely white area alone', () => {
    const [w, h] = [48, 32];
    const clean = createImage(w, h, 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        // Red near white (where a red-only test misses white dots), a textured ramp, and a white 10×10 block.
        const white = x >= 30 && x < 40 && y >= 10 && y < 20;
        const rgb = white ? [1, 1, 1] : [0.93 + 0.02 * Math.sin(x), 0.55 + 0.01 * y, 0.45 + 0.05 * Math.cos(y)];
        clean.data.set(rgb, (y * w + x) * 3);
      }
    }
    const noisy = addSaltPepper(clean, 0.1, new Rng(3));
    const mask = detectImpulses(noisy);
    let impulses = 0;
    for (let i = 0; i < w * h; i++) {
      const hit = [0, 1, 2].some((k) => noisy.data[i * 3 + k] !== clean.data[i * 3 + k]);
      const x = i % w;
      const y = Math.floor(i / w);
      const inWhite = x >= 31 && x < 39 && y >= 11 && y < 19;
      if (hit) impulses++;
      // Every impulse that changed a pixel is masked; inside the white block (away from its edge) nothing clean is.
      if (hit) expect(mask.data[i], `impulse at ${x},${y}`).toBe(0);
      else if (inWhite) expect(mask.data[i], `white pixel at ${x},${y}`).toBe(1);
    }
    expect(impulses).toBeGreaterThan(100);
  });
});
