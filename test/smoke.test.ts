import { describe, it } from 'vitest';
import { conv2d } from '../src/graph/index.js';
import { gradCheck } from './helpers/gradcheck.js';
describe('smoke', () => {
  it('conv2d', async () => {
    await gradCheck({ shapes: [[1, 2, 5, 5], [3, 2, 3, 3], [3]], build: (g, [x, w, b]) => conv2d(x, w, b, { pads: 1 }), h: 0.5, elementwise: true });
  });
});
