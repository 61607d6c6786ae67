/**
 * A CheckpointStore backed by one file, for `--checkpoint FILE` (else OUTPUT.dpckpt) and `--resume`.
 *
 * Format (little-endian): the 8 bytes "DPCKPT01", a uint32 header length, the header as UTF-8
 * JSON (fingerprint, iteration, history, the length of every array, and the files the run wrote
 * with their hashes), zero padding to a multiple of 4 bytes, then the float32 arrays back to back
 * in the order params…, m…, v…, z, avg, best, aux…, and for a tiled run the finished tiles' outputs
 * (the header's `tiles` lists them, pixels as lengths).
 * The input code z is written empty: it is drawn from the seed, which the fingerprint pins, and is
 * most of the file otherwise (32 channels at full size: 100 MB of a 117 MB checkpoint at 1024×768);
 * the fit draws it again on resume. Files that hold it (written before) are read as they are.
 * Written atomically (temporary file in the same folder + rename), so a crash or a second Ctrl-C
 * while saving leaves the previous checkpoint intact.
 */
import { promises as fs } from 'node:fs';
import os from 'node:os';
import type { CheckpointData, CheckpointStore, FinishedTile, HistoryEntry, TiledCheckpoint } from '../options/index.js';
import { InputError, RunError, oneLine } from '../util/errors.js';
import { writeOutputFile } from './files.js';
import { WrittenFiles, type WrittenFile } from './written-files.js';

const MAGIC = 'DPCKPT01';

interface Header {
  format: 'deep-prior-checkpoint';
  version: 1;
  fingerprint: string;
  iteration: number;
  history: HistoryEntry[];
  params: number[];
  m: number[];
  v: number[];
  z: number;
  avg: number | null;
  best: { iteration: number; length: number } | null;
  /** Absent in files written before these were saved (read as none / 1). */
  aux?: number[];
  lrScale?: number;
  /** The files the run wrote (absent in older files: none). */
  outputs?: WrittenFile[];
  /** Tiled runs (absent otherwise): the tiled record with each finished tile's pixels as a length. */
  tiles?: Omit<TiledCheckpoint, 'done'> & { done: (Omit<FinishedTile, 'pixels'> & { length: number })[] };
  /** Absent in files written before these were saved (read as the iteration / a single fit). */
  adamStep?: number;
  stage?: number;
}

function tilesHeader(t: TiledCheckpoint | undefined): Header['tiles'] {
  if (!t) return undefined;
  return { ...t, done: t.done.map(({ pixels, ...rest }) => ({ ...rest, length: pixels.length })) };
}

export function encodeCheckpoint(data: CheckpointData, outputs: readonly WrittenFile[] = []): Uint8Array {
  const header: Header = {
    format: 'deep-prior-checkpoint',
    version: 1,
    fingerprint: data.fingerprint,
    iteration: data.iteration,
    history: data.history,
    params: data.params.map((a) => a.length),
    m: data.m.map((a) => a.length),
    v: data.v.map((a) => a.length),
    z: 0,
    avg: data.avg?.length ?? null,
    best: data.best ? { iteration: data.best.iteration, length: data.best.output.length } : null,
    aux: (data.aux ?? []).map((a) => a.length),
    lrScale: data.lrScale ?? 1,
    outputs: [...outputs],
    tiles: tilesHeader(data.tiles),
    adamStep: data.adamStep ?? data.iteration,
    ...(data.stage !== undefined && { stage: data.stage }),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const arrays = [
    ...data.params,
    ...data.m,
    ...data.v,
    ...(data.avg ? [data.avg] : []),
    ...(data.best ? [data.best.output] : []),
    ...(data.aux ?? []),
    ...(data.tiles?.done.map((t) => t.pixels) ?? []),
  ];
  const start = align4(12 + json.length);
  const total = start + 4 * arrays.reduce((s, a) => s + a.length, 0);
  const out = new Uint8Array(total);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(8, json.length, true);
  out.set(json, 12);
  let off = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), off);
    off += a.byteLength;
  }
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

/** Parses a checkpoint file's bytes; throws a plain Error describing the first inconsistency. */
export function decodeCheckpoint(buf: Uint8Array): CheckpointData {
  return decodeCheckpointFile(buf).data;
}

/** The fit's state and the files its run wrote. */
export function decodeCheckpointFile(buf: Uint8Array): { data: CheckpointData; outputs: WrittenFile[] } {
  if (buf.length < 12 || new TextDecoder().decode(buf.subarray(0, 8)) !== MAGIC) throw new Error('no deep-prior checkpoint header');
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = view.getUint32(8, true);
  if (12 + len > buf.length) throw new Error('the header is cut short');
  const h = JSON.parse(new TextDecoder().decode(buf.subarray(12, 12 + len))) as Header;
  if (h.format !== 'deep-prior-checkpoint' || h.version !== 1) throw new Error(`unsupported checkpoint version ${String(h.version)}`);
  const lengths = [
    ...h.params,
    ...h.m,
    ...h.v,
    h.z,
    ...(h.avg === null ? [] : [h.avg]),
    ...(h.best === null ? [] : [h.best.length]),
    ...(h.aux ?? []),
    ...(h.tiles?.done.map((t) => t.length) ?? []),
  ];
  if (!lengths.every((n) => Number.isInteger(n) && n >= 0)) throw new Error('invalid array lengths');
  let off = align4(12 + len);
  const expected = off + 4 * lengths.reduce((s, n) => s + n, 0);
  if (expected !== buf.length) throw new Error(`expected ${expected} bytes, found ${buf.length}`);
  const take = (n: number): Float32Array => {
    // Copy: the file buffer's offset need not be 4-byte aligned, and the fit owns what we return.
    const a = new Float32Array(n);
    new Uint8Array(a.buffer).set(buf.subarray(off, off + 4 * n));
    off += 4 * n;
    return a;
  };
  const params = h.params.map(take);
  const m = h.m.map(take);
  const v = h.v.map(take);
  const z = take(h.z);
  const avg = h.avg === null ? null : take(h.avg);
  const best = h.best === null ? null : { iteration: h.best.iteration, output: take(h.best.length) };
  const aux = (h.aux ?? []).map(take);
  const tiles = h.tiles && { ...h.tiles, done: h.tiles.done.map(({ length, ...rest }) => ({ ...rest, pixels: take(length) })) };
  if (h.lrScale !== undefined && !(h.lrScale > 0 && h.lrScale <= 1)) throw new Error(`invalid learning-rate scale ${String(h.lrScale)}`);
  const steps = { adamStep: h.adamStep ?? h.iteration, ...(h.stage !== undefined && { stage: h.stage }) };
  const data: CheckpointData = {
    version: 1,
    fingerprint: h.fingerprint,
    iteration: h.iteration,
    params,
    m,
    v,
    z,
    avg,
    history: h.history,
    best,
    aux,
    lrScale: h.lrScale ?? 1,
    ...(tiles && { tiles }),
    ...steps,
  };
  return { data, outputs: h.outputs ?? [] };
}

export interface FileCheckpointOptions {
  /** --resume: the file must exist and is loaded. Without it, load() returns null (a fresh start). */
  resume: boolean;
  /** Named with --checkpoint (not OUTPUT.dpckpt, saved only when a run is interrupted). */
  explicit?: boolean;
}

function checkEndianness(): void {
  if (os.endianness() !== 'LE') throw new RunError('checkpoints need a little-endian machine', { code: 'UNSUPPORTED_PLATFORM' });
}

export class FileCheckpointStore implements CheckpointStore {
  private preloaded: CheckpointData | null = null;
  private saved: CheckpointData | null = null;
  /** The files the run wrote (with --resume: also those of the run it continues), saved with the state. */
  written = new WrittenFiles();

  constructor(
    readonly file: string,
    readonly opts: FileCheckpointOptions,
  ) {
    // Every fit has a store (it saves when interrupted), so only --checkpoint and --resume must refuse at once.
    if (opts.resume || opts.explicit) checkEndianness();
  }

  /**
   * With --resume: reads and checks the file now, so that a missing or corrupt checkpoint is
   * reported before the fit is set up (and the files its run wrote are known before the outputs
   * are checked); the next load() returns what was read.
   */
  async preload(): Promise<void> {
    this.preloaded = await this.load();
  }

  async load(): Promise<CheckpointData | null> {
    if (!this.opts.resume) return null;
    if (this.preloaded) {
      const data = this.preloaded;
      this.preloaded = null;
      return data;
    }
    let buf: Buffer;
    try {
      buf = await fs.readFile(this.file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        throw new InputError(`--resume: the checkpoint ${this.file} does not exist; run without --resume to start a new fit`, {
          code: 'FILE_NOT_FOUND',
          cause: e,
        });
      throw new InputError(`--resume: cannot read ${this.file}: ${oneLine(e)}`, { code: 'FILE_NOT_READABLE', cause: e });
    }
    try {
      const { data, outputs } = decodeCheckpointFile(buf);
      this.written = new WrittenFiles(outputs);
      return data;
    } catch (e) {
      throw new InputError(`${this.file} is not a deep-prior checkpoint or is corrupt (${oneLine(e)}): delete it, or run without --resume`, {
        code: 'CORRUPT_CHECKPOINT',
        cause: e,
      });
    }
  }

  async save(data: CheckpointData): Promise<void> {
    checkEndianness();
    await writeOutputFile(this.file, encodeCheckpoint(data, this.written.list()));
    this.saved = data;
  }

  /** Saves the last state again with the files written since (after an interrupted run wrote its outputs); false when none was saved. */
  async resave(): Promise<boolean> {
    if (this.saved) await this.save(this.saved);
    return this.saved !== null;
  }
}
