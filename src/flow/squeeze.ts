/**
 * The two squeezes of HCFlow, both volume-changing only by a constant:
 *  - space-to-depth (checkerboard squeeze): channel c·4 + 2i + j holds pixel (2y + i, 2x + j), log-det 0;
 *  - the Haar wavelet (rescaling model): per channel the four 2×2 responses of the filters
 *    [1 1; 1 1], [1 −1; 1 −1], [1 1; −1 −1], [1 −1; −1 1], divided by 4, ordered band-major
 *    (channel k·C + c), so the first C channels are the 2×2 average — a natural LR image. The
 *    matrix H/4 per block has |det| = 1/16; H·H = 4·I makes the inverse the transposed conv with H.
 */
import type { Value } from '../graph/graph.js';
import { conv2d, convTranspose2d, div, pixelShuffle, pixelUnshuffle, reshape, transpose } from '../graph/index.js';
import type { InvertibleBlock } from './context.js';

export function squeeze(): InvertibleBlock {
  return {
    forward: (x) => ({ y: pixelUnshuffle(x, 2), logdet: null }),
    inverse: (y) => pixelShuffle(y, 2),
  };
}

const HAAR = [
  [1, 1, 1, 1],
  [1, -1, 1, -1],
  [1, 1, -1, -1],
  [1, -1, -1, 1],
];

/** The grouped-conv weight [4C, 1, 2, 2]: filter k of channel c at row c·4 + k. */
function haarWeight(x: Value, channels: number): Value {
  const data = new Float32Array(channels * 16);
  for (let c = 0; c < channels; c++) for (let k = 0; k < 4; k++) data.set(HAAR[k], (c * 4 + k) * 4);
  return x.graph.constant(data, [4 * channels, 1, 2, 2], 'haar');
}

export function haarSqueeze(): InvertibleBlock {
  return {
    forward(x) {
      const [n, c, h, w] = x.shape;
      const bands = div(conv2d(x, haarWeight(x, c), null, { stride: 2, group: c }), 4);
      const y = reshape(transpose(reshape(bands, [n, c, 4, h / 2, w / 2]), [0, 2, 1, 3, 4]), [n, 4 * c, h / 2, w / 2]);
      return { y, logdet: x.graph.scalar(((c * h * w) / 4) * Math.log(1 / 16)) };
    },
    inverse(y) {
      const [n, c4, h, w] = y.shape;
      const c = c4 / 4;
      const grouped = reshape(transpose(reshape(y, [n, 4, c, h, w]), [0, 2, 1, 3, 4]), [n, c4, h, w]);
      return convTranspose2d(grouped, haarWeight(y, c), null, { stride: 2, group: c });
    },
  };
}
