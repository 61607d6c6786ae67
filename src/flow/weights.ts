/**
 * The HCFlow weights file: 8 magic bytes "DPHCFLOW", a little-endian uint32 manifest length, the
 * manifest (UTF-8 JSON: format, version, model config, tensor names and shapes, checksum, training
 * and validation record), zero padding to a multiple of 4, then every tensor as float32 LE in
 * manifest order. decodeWeights refuses anything else with a one-line InputError. Pure (browser too).
 */
import { InputError } from '../util/errors.js';
import type { Params } from '../graph/params.js';
import { checkNetConfig, type FlowModelConfig } from './config.js';

export const WEIGHTS_FORMAT = 'deep-prior-hcflow';
export const WEIGHTS_VERSION = 1;
const MAGIC = 'DPHCFLOW';
const HEADER = MAGIC.length + 4;

export interface TrainingRecord {
  steps: number;
  seconds: number;
  batch?: number;
  patch?: number;
  /** Where the patches came from (a folder name, not a path to trust). */
  data?: string;
  seed?: number;
  lr?: number;
}

export interface WeightsManifest {
  format: string;
  version: number;
  model: FlowModelConfig;
  tensors: { name: string; shape: number[] }[];
  /** FNV-1a 32-bit hash of the data bytes, hex. */
  checksum: string;
  training: TrainingRecord;
  /** Figures measured after training, e.g. PSNR of down→up against the held-out HR. */
  validation?: Record<string, number>;
  created?: string;
}

export interface FlowWeights {
  manifest: WeightsManifest;
  tensors: Float32Array[];
}

function fnv1a(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function dataBytes(tensors: Float32Array[]): Uint8Array {
  const out = new Uint8Array(tensors.reduce((s, t) => s + t.byteLength, 0));
  const view = new DataView(out.buffer);
  let o = 0;
  for (const t of tensors) for (let i = 0; i < t.length; i++, o += 4) view.setFloat32(o, t[i], true);
  return out;
}

/** Weights for the parameters of a built model (names and shapes from its Params). */
export function flowWeights(
  model: FlowModelConfig,
  params: Params,
  tensors: Float32Array[],
  training: TrainingRecord,
  validation?: Record<string, number>,
): FlowWeights {
  const manifest: WeightsManifest = {
    format: WEIGHTS_FORMAT,
    version: WEIGHTS_VERSION,
    model,
    tensors: params.specs.map((s) => ({ name: s.name, shape: [...s.shape] })),
    checksum: fnv1a(dataBytes(tensors)),
    training,
    validation,
    created: new Date().toISOString(),
  };
  return { manifest, tensors };
}

export function encodeWeights(w: FlowWeights): Uint8Array {
  const data = dataBytes(w.tensors);
  const manifest = new TextEncoder().encode(JSON.stringify({ ...w.manifest, checksum: fnv1a(data) }));
  const start = Math.ceil((HEADER + manifest.length) / 4) * 4;
  const out = new Uint8Array(start + data.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(out.buffer).setUint32(MAGIC.length, manifest.length, true);
  out.set(manifest, HEADER);
  out.set(data, start);
  return out;
}

const bad = (name: string, why: string) => new InputError(`--weights ${name} ${why}`, { code: 'BAD_WEIGHTS' });

function readManifest(bytes: Uint8Array, name: string): { manifest: WeightsManifest; start: number } {
  if (bytes.length < HEADER || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw bad(name, 'is not a deep-prior HCFlow weights file: give a file written by the flow trainer');
  }
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length, true);
  if (HEADER + length > bytes.length) throw bad(name, 'is truncated (the manifest is cut off): copy it again or retrain');
  let manifest: WeightsManifest;
  try {
    manifest = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER, HEADER + length)));
  } catch {
    throw bad(name, 'is corrupt (unreadable manifest): copy it again or retrain');
  }
  if (manifest?.format !== WEIGHTS_FORMAT) throw bad(name, `has format "${manifest?.format}", not ${WEIGHTS_FORMAT}: give an HCFlow weights file`);
  if (manifest.version !== WEIGHTS_VERSION) {
    throw bad(name, `is format version ${manifest.version}; this deep-prior reads version ${WEIGHTS_VERSION}: retrain it or use a matching deep-prior`);
  }
  if (!Array.isArray(manifest.tensors) || !manifest.model?.net) throw bad(name, 'is corrupt (manifest without model or tensors): copy it again or retrain');
  return { manifest, start: Math.ceil((HEADER + length) / 4) * 4 };
}

export function decodeWeights(bytes: Uint8Array, name: string): FlowWeights {
  const { manifest, start } = readManifest(bytes, name);
  try {
    checkNetConfig(manifest.model.net);
  } catch (e) {
    throw bad(name, `has an invalid model config (${(e as Error).message}): retrain it`);
  }
  const sizes = manifest.tensors.map((t) => t.shape.reduce((a, b) => a * b, 1));
  const want = 4 * sizes.reduce((a, b) => a + b, 0);
  const data = bytes.subarray(start);
  if (data.length !== want) throw bad(name, `is truncated or corrupt (${data.length} of ${want} data bytes): copy it again or retrain`);
  if (fnv1a(data) !== manifest.checksum) throw bad(name, 'is corrupt (checksum mismatch): copy it again or retrain');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let o = 0;
  const tensors = sizes.map((n) => {
    const t = new Float32Array(n);
    for (let i = 0; i < n; i++, o += 4) t[i] = view.getFloat32(o, true);
    return t;
  });
  return { manifest, tensors };
}

/** Refuses weights whose tensors differ from what their model config builds (names, order, shapes). */
export function checkWeightsFit(weights: FlowWeights, params: Params, name: string): void {
  const got = weights.manifest.tensors;
  if (got.length !== params.specs.length) throw bad(name, `has ${got.length} tensors but its model needs ${params.specs.length}: retrain it`);
  params.specs.forEach((s, i) => {
    if (got[i].name !== s.name || got[i].shape.join('x') !== s.shape.join('x')) {
      throw bad(name, `does not fit its model at tensor ${i} (${got[i].name} [${got[i].shape}] vs ${s.name} [${s.shape}]): retrain it`);
    }
  });
}
