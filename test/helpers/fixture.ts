/** Loads the PyTorch reference fixture written by bench/torch/make_reference.py. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface SkipFixture {
  json: {
    config: { inputDepth: number; height: number; width: number; nd: number[]; nu: number[]; ns: number[]; kd: number; ku: number; nOut: number };
    params: { name: string; shape: number[]; offset: number; size: number }[];
    loss: number;
    loss_nearest_zero: number;
  };
  array(name: string): Float32Array;
  /** Splits a flat parameter-ordered array into per-parameter arrays. */
  perParam(flat: Float32Array): Float32Array[];
}

export function loadSkipFixture(): SkipFixture {
  const json = JSON.parse(readFileSync(`${dir}skip-step.json`, 'utf8'));
  const bin = readFileSync(`${dir}skip-step.bin`);
  const bytes = new Uint8Array(bin.byteLength);
  bytes.set(bin);
  return {
    json,
    array(name) {
      const l = json.layout[name];
      if (!l) throw new Error(`fixture has no array ${name}`);
      return new Float32Array(bytes.buffer.slice(l.offset, l.offset + l.byteLength));
    },
    perParam(flat) {
      return json.params.map((p: { offset: number; size: number }) => flat.slice(p.offset, p.offset + p.size));
    },
  };
}

/** ‖a − b‖ / ‖b‖ in float64. */
export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}
