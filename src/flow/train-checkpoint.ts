/**
 * The checkpoint of a flow training (the container of tensor-file.ts with magic "DPFLOWTR"): the run's
 * settings, step, wall time and history, where its images came from, then the weights and both
 * Adam moments, so a resumed training continues exactly. Pure (browser too).
 */
import { InputError } from '../util/errors.js';
import { checkNetConfig } from './config.js';
import { decodeTensorFile, encodeTensorFile, readTensors } from './tensor-file.js';
import type { FlowRun, FlowRunSettings, TrainingHistory } from './training-run.js';
import { validShapes } from './weights.js';

export const TRAINING_FORMAT = 'deep-prior-hcflow-training';
export const TRAINING_VERSION = 1;
const MAGIC = 'DPFLOWTR';

/** The images a training reads (names relative to their --data folders), to refuse a resume on other data. */
export interface TrainingData {
  train: string[];
  validation: string[];
}

interface TrainingManifest {
  format: string;
  version: number;
  settings: FlowRunSettings;
  step: number;
  seconds: number;
  history: TrainingHistory;
  data: TrainingData;
  /** The shapes of the weights; the two Adam moments have the same. */
  shapes: number[][];
  checksum?: string;
}

export interface TrainingCheckpoint {
  run: FlowRun;
  data: TrainingData;
}

export function encodeTrainingCheckpoint(c: TrainingCheckpoint): Uint8Array {
  const { settings, state, history } = c.run;
  const manifest: TrainingManifest = {
    format: TRAINING_FORMAT,
    version: TRAINING_VERSION,
    settings,
    step: state.step,
    seconds: state.seconds,
    history,
    data: c.data,
    shapes: state.params.map((p) => [p.length]),
  };
  return encodeTensorFile(MAGIC, manifest, [...state.params, ...state.m, ...state.v]);
}

export function decodeTrainingCheckpoint(bytes: Uint8Array, name: string, flag = '--checkpoint'): TrainingCheckpoint {
  const bad = (why: string) => new InputError(`${flag} ${name} ${why}`, { code: 'BAD_CHECKPOINT' });
  const file = decodeTensorFile(bytes, MAGIC, 'a deep-prior flow training checkpoint: give the file train-flow saved', bad);
  const m = file.manifest as unknown as TrainingManifest;
  if (m.format !== TRAINING_FORMAT) throw bad(`has format "${m.format}", not ${TRAINING_FORMAT}`);
  if (m.version !== TRAINING_VERSION) throw bad(`is format version ${m.version}; this deep-prior reads version ${TRAINING_VERSION}: train afresh`);
  if (!Array.isArray(m.shapes) || !validShapes(m.shapes.map((shape) => ({ shape }))) || !m.settings?.spec?.model?.net || !m.history || !m.data) {
    throw bad('is corrupt (incomplete manifest): copy it again');
  }
  try {
    checkNetConfig(m.settings.spec.model.net);
  } catch (e) {
    throw bad(`has an invalid model config (${(e as Error).message})`);
  }
  const tensors = readTensors(file, [...m.shapes, ...m.shapes, ...m.shapes], bad);
  const n = m.shapes.length;
  const state = { params: tensors.slice(0, n), m: tensors.slice(n, 2 * n), v: tensors.slice(2 * n), step: m.step, seconds: m.seconds };
  return { run: { settings: m.settings, state, history: m.history }, data: m.data };
}
