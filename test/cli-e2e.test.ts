/** One end-to-end run through the real restore (onnxruntime-node on the CPU): denoise, 3 iterations, 32×32. */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readImage } from '../src/image/io-node.js';
import { main } from '../src/cli/main.js';
import { capture, tempDir, writeRandomPng } from './helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('deep-prior-e2e-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

it('deep-prior denoise in.png -o out.png --iterations 3 --stop fixed --report r.json', async () => {
  const input = await writeRandomPng(path.join(dir, 'in.png'), 64, 64);
  const out = path.join(dir, 'out.png');
  const report = path.join(dir, 'r.json');
  const stdout = capture();
  const stderr = capture();
  const code = await main(['denoise', input, '-o', out, '--iterations', '3', '--stop', 'fixed', '--backend', 'cpu', '--threads', '2', '--report', report], {
    stdout,
    stderr,
    onInterrupt: () => () => {},
  }); // the default (real) restore
  expect(code, stderr.text).toBe(0);
  const img = await readImage(out);
  expect(img.image).toMatchObject({ width: 64, height: 64, channels: 3 });
  const r = JSON.parse(await fs.readFile(report, 'utf8'));
  expect(r).toMatchObject({ task: 'denoise', iterations: 3, stopReason: 'fixed', backend: 'cpu' });
  expect(r.history).toHaveLength(3);
  expect(r.history.map((h: { iteration: number }) => h.iteration)).toEqual([1, 2, 3]);
  for (const h of r.history) expect(Number.isFinite(h.loss)).toBe(true);
  expect(stdout.text).toMatch(/^wrote .*out\.png: 3 iterations/m);
  expect((await fs.readdir(dir)).sort()).toEqual(['in.png', 'out.png', 'r.json']); // no temporary files
});
