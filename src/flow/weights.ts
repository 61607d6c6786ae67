/**
 * The HCFlow weights file (the container of tensor-file.ts with magic "DPHCFLOW"): the manifest holds
 * format, version, model config, tensor names and shapes, checksum, and the training and validation
 * record. decodeWeights refuses anything else with a one-line InputError. Pure (browser too).
 */
import { InputError } from '../util/errors.js';
import type { Params } from '../graph/params.js';
import { checkNetConfig, type FlowModelConfig } from './config.js';
import { decodeTensorFile, encodeTensorFile, readTensors, tensorChecksum } from './tensor-file.js';

export const WEIGHTS_FORMAT = 'deep-prior-hcflow';
export const WEIGHTS_VERSION = 1;
const MAGIC = 'DPHCFLOW';

export interface TrainingRecord {
  steps: number;
  seconds: number;
  batch?: number;
  patch?: number;
  /** Where the patches came from (a folder name, not a path to trust). */
  data?: string;
  seed?: number;
  lr?: number;
  size?: string;
  /** The schedule's length when training stopped before its end (a stage). */
  totalSteps?: number;
  milestones?: number[];
  trainImages?: number;
  /** The validation images (never trained on). */
  validationImages?: string[];
  /** Validation Y-PSNR against steps. */
  curve?: { step: number; psnr: number }[];
  /** The deep-prior version that trained them. */
  deepPrior?: string;
  threads?: number;
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
    checksum: tensorChecksum(tensors),
    training,
    validation,
    created: new Date().toISOString(),
  };
  return { manifest, tensors };
}

export function encodeWeights(w: FlowWeights): Uint8Array {
  return encodeTensorFile(MAGIC, w.manifest, w.tensors);
}

const bad = (name: string, why: string) => new InputError(`--weights ${name} ${why}`, { code: 'BAD_WEIGHTS' });

/** Every entry names its tensor and gives a shape of non-negative whole sizes. */
export function validShapes(tensors: readonly unknown[]): boolean {
  return tensors.every((t) => {
    const shape = (t as { shape?: unknown })?.shape;
    return Array.isArray(shape) && shape.every((n) => Number.isInteger(n) && n >= 0);
  });
}

function checkManifest(m: Record<string, unknown>, name: string): WeightsManifest {
  const manifest = m as unknown as WeightsManifest;
  if (manifest.format !== WEIGHTS_FORMAT) throw bad(name, `has format "${manifest.format}", not ${WEIGHTS_FORMAT}: give an HCFlow weights file`);
  if (manifest.version !== WEIGHTS_VERSION) {
    throw bad(name, `is format version ${manifest.version}; this deep-prior reads version ${WEIGHTS_VERSION}: retrain it or use a matching deep-prior`);
  }
  if (!Array.isArray(manifest.tensors) || !manifest.model?.net) throw bad(name, 'is corrupt (manifest without model or tensors): copy it again or retrain');
  if (!validShapes(manifest.tensors)) throw bad(name, 'is corrupt (a tensor shape is not a list of sizes): copy it again or retrain');
  try {
    checkNetConfig(manifest.model.net);
  } catch (e) {
    throw bad(name, `has an invalid model config (${(e as Error).message}): retrain it`);
  }
  return manifest;
}

export function decodeWeights(bytes: Uint8Array, name: string): FlowWeights {
  const refuse = (why: string) => bad(name, why.endsWith('copy it again') ? `${why} or retrain` : why);
  const file = decodeTensorFile(bytes, MAGIC, 'a deep-prior HCFlow weights file: give a file written by the flow trainer', refuse);
  const manifest = checkManifest(file.manifest, name);
  const shapes = manifest.tensors.map((t) => t.shape);
  return { manifest, tensors: readTensors(file, shapes, refuse) };
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
