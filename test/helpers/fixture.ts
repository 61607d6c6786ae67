/** Loads the PyTorch reference fixture written by bench/torch/make_reference.py (its parsing: fixture-data.ts). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSkipFixture, type SkipFixture } from './fixture-data.js';

export { relErr, type SkipFixture } from './fixture-data.js';

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export function loadSkipFixture(): SkipFixture {
  const json = JSON.parse(readFileSync(`${dir}skip-step.json`, 'utf8'));
  const bin = readFileSync(`${dir}skip-step.bin`);
  const bytes = new Uint8Array(bin.byteLength);
  bytes.set(bin);
  return parseSkipFixture(json, bytes);
}
