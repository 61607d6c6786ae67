import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileCheckpointStore, decodeCheckpoint, encodeCheckpoint } from '../src/cli/checkpoint-node.js';
import type { CheckpointData } from '../src/options/index.js';
import { InputError } from '../src/util/errors.js';
import { tempDir } from './helpers/cli.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('deep-prior-ckpt-');
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const f32 = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => i * k + 0.25);

function sample(withOptional: boolean): CheckpointData {
  return {
    version: 1,
    fingerprint: 'abc123',
    iteration: 42,
    params: [f32(3, 1), f32(5, 2), f32(0, 1)],
    m: [f32(3, 3), f32(5, 4), f32(0, 1)],
    v: [f32(3, 5), f32(5, 6), f32(0, 1)],
    z: f32(7, -1),
    avg: withOptional ? f32(4, 0.5) : null,
    history: [
      { iteration: 1, loss: 0.5, psnr: 20, seconds: 0.1 },
      { iteration: 2, loss: 0.25, seconds: 0.2 },
    ],
    best: withOptional ? { iteration: 40, output: f32(4, 0.125) } : null,
    aux: withOptional ? [f32(2, 0.75), f32(6, -0.5)] : [],
    lrScale: withOptional ? 0.25 : 1,
    adamStep: withOptional ? 40 : 42,
    ...(withOptional && { stage: 1 }),
  };
}

/** What a file gives back: everything but the input code, which files leave out. */
const asRead = (d: CheckpointData): CheckpointData => ({ ...d, z: new Float32Array(0) });

/** The file as versions that stored z wrote it: its length in the header, its values after v…. */
function withStoredCode(bytes: Uint8Array, z: Float32Array): Uint8Array {
  const len = new DataView(bytes.buffer).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len)));
  header.z = z.length;
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = (12 + json.length + 3) & ~3;
  const body = bytes.subarray((12 + len + 3) & ~3);
  const before = 4 * [...header.params, ...header.m, ...header.v].reduce((a: number, b: number) => a + b, 0);
  const out = new Uint8Array(start + body.length + z.byteLength);
  out.set(bytes.subarray(0, 8), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  out.set(body.subarray(0, before), start);
  out.set(new Uint8Array(z.buffer, z.byteOffset, z.byteLength), start + before);
  out.set(body.subarray(before), start + before + z.byteLength);
  return out;
}

describe('checkpoint encoding', () => {
  it.each([true, false])('round-trips exactly but for the input code, left out (avg/best present: %s)', (withOptional) => {
    const data = sample(withOptional);
    const bytes = encodeCheckpoint(data);
    const back = decodeCheckpoint(bytes);
    expect(back).toEqual(asRead(data));
    expect(back.z).toBeInstanceOf(Float32Array);
    expect(bytes.length).toBe(encodeCheckpoint(asRead(data)).length);
  });

  it('reads the input code from a file written when it was stored', () => {
    const data = sample(true);
    expect(decodeCheckpoint(withStoredCode(encodeCheckpoint(data), data.z))).toEqual(data);
  });

  it('reads a file written before aux, lrScale and adamStep were saved (none, 1, the iteration)', () => {
    const { aux: _aux, lrScale: _lr, adamStep: _s, ...old } = sample(false);
    const bytes = encodeCheckpoint(old as CheckpointData);
    const len = new DataView(bytes.buffer).getUint32(8, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + len)));
    delete header.aux;
    delete header.lrScale;
    delete header.adamStep;
    const json = new TextEncoder().encode(JSON.stringify(header));
    const start = (12 + json.length + 3) & ~3;
    const rebuilt = new Uint8Array(start + (bytes.length - ((12 + len + 3) & ~3)));
    rebuilt.set(bytes.subarray(0, 8), 0);
    new DataView(rebuilt.buffer).setUint32(8, json.length, true);
    rebuilt.set(json, 12);
    rebuilt.set(bytes.subarray((12 + len + 3) & ~3), start);
    expect(decodeCheckpoint(rebuilt)).toEqual(asRead(sample(false)));
  });

  it('reads from an unaligned buffer', () => {
    const bytes = encodeCheckpoint(sample(true));
    const shifted = new Uint8Array(bytes.length + 1);
    shifted.set(bytes, 1);
    expect(decodeCheckpoint(shifted.subarray(1))).toEqual(asRead(sample(true)));
  });

  it('rejects truncated, padded and foreign files', () => {
    const bytes = encodeCheckpoint(sample(true));
    expect(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 4))).toThrow(/expected \d+ bytes/);
    expect(() => decodeCheckpoint(new Uint8Array([...bytes, 0, 0, 0, 0]))).toThrow(/expected \d+ bytes/);
    expect(() => decodeCheckpoint(new TextEncoder().encode('{"not":"a checkpoint"}'))).toThrow(/header/);
    expect(() => decodeCheckpoint(bytes.subarray(0, 20))).toThrow(/cut short/);
  });
});

describe('FileCheckpointStore', () => {
  it('without --resume: load() is null even if the file exists (a fresh start)', async () => {
    const file = path.join(dir, 'a.ckpt');
    await fs.writeFile(file, encodeCheckpoint(sample(true)));
    expect(await new FileCheckpointStore(file, { resume: false }).load()).toBeNull();
  });

  it('with --resume: loads the file; a missing or corrupt file is an InputError', async () => {
    const file = path.join(dir, 'b.ckpt');
    const store = new FileCheckpointStore(file, { resume: true });
    await expect(store.load()).rejects.toThrow(InputError);
    await expect(store.load()).rejects.toThrow(/--resume: the checkpoint .*b\.ckpt does not exist/);
    await store.save(sample(false));
    expect(await store.load()).toEqual(asRead(sample(false)));
    await fs.writeFile(file, 'junk');
    await expect(store.load()).rejects.toThrow(/is not a deep-prior checkpoint or is corrupt/);
  });

  it('preload() reads once up front', async () => {
    const file = path.join(dir, 'c.ckpt');
    await fs.writeFile(file, encodeCheckpoint(sample(true)));
    const store = new FileCheckpointStore(file, { resume: true });
    await store.preload();
    await fs.rm(file);
    expect((await store.load())?.iteration).toBe(42); // served from the preload
  });

  it('saves atomically: a new file replaces the old by rename, no temporary file is left', async () => {
    const sub = path.join(dir, 'atomic', 'deeper'); // folders are created
    const file = path.join(sub, 'd.ckpt');
    const store = new FileCheckpointStore(file, { resume: true });
    await store.save(sample(true));
    const ino1 = (await fs.stat(file)).ino;
    // A reader holding the old file keeps seeing complete old contents.
    const handle = await fs.open(file, 'r');
    await store.save({ ...sample(true), iteration: 43 });
    const old = decodeCheckpoint(await handle.readFile());
    await handle.close();
    expect(old.iteration).toBe(42);
    expect((await fs.stat(file)).ino).not.toBe(ino1);
    expect((await store.load())?.iteration).toBe(43);
    expect(await fs.readdir(sub)).toEqual(['d.ckpt']);
  });
});
