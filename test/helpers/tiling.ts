/** What the tiling tests share: a fixed view of the machine, a smooth noisy image, a tiny fit and a budget that forces tiles. */
import { createImage, type Image } from '../../src/image/image.js';
import type { RestoreOptions } from '../../src/options/index.js';
import type { PlanEnvironment } from '../../src/plan/environment.js';
import { BUDGET_FILL } from '../../src/plan/plan.js';
import { planWith } from '../../src/restore/index.js';
import { nodePlatform } from '../../src/runtime/platform-node.js';
import { tileRequest } from '../../src/tile/requests.js';
import { Rng } from '../../src/util/random.js';

export const MB = 2 ** 20;
// The plan is deterministic: shipped calibration, nothing cached.
export const env: PlanEnvironment = { residentBytes: () => 200 * MB };

export function noisy(w: number, h: number, seed = 1): Image {
  const img = createImage(w, h, 3);
  const rng = new Rng(seed);
  for (let i = 0; i < img.data.length; i++) img.data[i] = Math.min(1, Math.max(0, 0.5 + 0.3 * Math.sin(i / 97) + 0.1 * rng.normal()));
  return img;
}

export const tiny = (image: Image, extra: Partial<RestoreOptions> = {}): RestoreOptions => ({
  task: 'denoise',
  image,
  channels: 8,
  iterations: 3,
  stop: 'fixed',
  backend: 'cpu',
  threads: 2,
  seed: 0,
  ...extra,
});

/**
 * A budget whose filled share lies between what the whole image needs and what a 96² fit needs: the
 * plan must tile. `extra`: bytes more (a joint tiled fit also holds the whole image's state).
 */
export async function tilingBudget(o: RestoreOptions, extra = 0): Promise<number> {
  const whole = (await planWith(nodePlatform, o, {}, env)).peakMemoryBytes;
  const small = (await planWith(nodePlatform, tileRequest(o, { x: 0, y: 0, width: 96, height: 96 }, o.scale ?? 1), {}, env)).peakMemoryBytes;
  return Math.round(((whole + small) / 2 + extra) / BUDGET_FILL);
}
