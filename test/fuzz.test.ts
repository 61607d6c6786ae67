/**
 * The edge under fuzzing (fast subset; `npm run bench:fuzz` runs 1,000+): fuzzed image files with
 * random option sets through the CLI, random option objects and image values through the library.
 * Every case must give a valid result or a clean one-line error (exit code 2), within its time
 * limit, without leaving a file behind. Seeded: a failing case is rerun alone with
 * `npm run bench:fuzz -- --from <index> --count 1`.
 */
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { runFuzz, tally } from './helpers/fuzz-cases.js';

it('150 fuzz cases: a valid result or a clean one-line error each, never a crash, a hang or a partial file', async () => {
  const results = await runFuzz({ seed: 1, count: 150, dir: path.join(os.tmpdir(), `deep-prior-fuzz-${process.pid}`), realShare: 0.05, limitMs: 60_000 });
  const counts = tally(results);
  console.log(`fuzz: ${JSON.stringify(counts)}`);
  expect(results.filter((r) => r.outcome === 'failure')).toEqual([]);
  expect(counts.ok).toBeGreaterThan(5); // the generator also makes valid cases, and they succeed
  expect(counts.rejected).toBeGreaterThan(50);
}, 300_000);

it('found by fuzzing: flash refuses --arch decoder (its small input code cannot take the flash photo) with exit code 2', async () => {
  const { restore } = await import('../src/node.js');
  const { randomImage } = await import('./helpers/cli.js');
  const image = randomImage(17, 12, 3);
  await expect(restore({ task: 'flash', image, guide: randomImage(17, 12, 3), arch: 'decoder', iterations: 1 })).rejects.toThrow(
    /^arch decoder cannot take the flash photo as its input: use skip, skip-depth6, unet or resnet$/,
  );
});
