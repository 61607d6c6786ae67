/**
 * A restoration job on the queue: the same settings as a fitting command (library names, checked
 * by the same validator, at enqueue and again in the worker, since anything may write to Redis)
 * and where its files are. Paths are absolute, so a worker in any folder finds them. The job id is
 * a hash of the job, so enqueuing the same job twice adds it once and every try of it writes the
 * same content (the fit is seeded).
 */
import path from 'node:path';
import { CLI_OPTIONS } from '../cli/cli-options.js';
import type { CliRequest, CliValues, ImagePaths } from '../cli/request.js';
import { canonicalJson, sha256 } from '../batch/keys.js';
import { LIBRARY_NAMING, TASKS, type Naming, type TaskName } from '../options/index.js';
import { listOr, show } from '../options/kinds.js';
import { badOption, checkKnownKeys, checkValues } from '../options/values.js';
import { validateSettings } from '../validate.js';

export interface RestoreJob {
  task: TaskName;
  /** The damaged image. */
  input: string;
  /** Where the result goes (its extension sets the format). */
  output: string;
  /** Restore settings as the library names them (`{ iterations: 500, regNoise: 0.03 }`), no images. */
  options?: Record<string, unknown>;
  /** Image options as files. */
  files?: ImagePaths;
  /** How the output is written. */
  write?: { bitDepth?: 8 | 16; quality?: number; stripMetadata?: boolean };
  /** Where the JSON report goes (default: none). */
  report?: string;
}

export interface RestoreJobResult {
  output: string;
  /** SHA-256 of the written output. */
  sha256: string;
  iterations: number;
  stopReason: string;
  seconds: number;
  psnr?: number;
}

const JOB_KEYS = { task: 0, input: 0, output: 0, options: 0, files: 0, write: 0, report: 0 };
const FILE_KEYS = { mask: CLI_OPTIONS.output, guide: CLI_OPTIONS.output, reference: CLI_OPTIONS.output };
const WRITE_KEYS = { bitDepth: CLI_OPTIONS.bitDepth, quality: CLI_OPTIONS.quality, stripMetadata: CLI_OPTIONS.stripMetadata };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a job (the validator's first phase for its settings) and turns it into a fitting command's request. */
export function jobRequest(data: unknown, naming: Naming = LIBRARY_NAMING, threads?: number): CliRequest {
  if (!isObject(data)) throw badOption(`a restore job is an object { task, input, output, options }, got ${show(data)}`);
  checkKnownKeys(data, JOB_KEYS as never);
  const task = data.task as TaskName;
  if (!TASKS.includes(task)) throw badOption(`unknown task ${show(data.task)}: use ${listOr([...TASKS])}`, 'task');
  for (const key of ['input', 'output'] as const) {
    if (typeof data[key] !== 'string' || data[key].trim() === '') throw badOption(`the job's ${key} must be a file path, got ${show(data[key])}`, key);
  }
  if (data.report !== undefined && (typeof data.report !== 'string' || data.report.trim() === ''))
    throw badOption(`the job's report must be a file path, got ${show(data.report)}`, 'report');
  const part = (key: 'options' | 'files' | 'write') => {
    const v = data[key] ?? {};
    if (!isObject(v)) throw badOption(`the job's ${key} must be an object, got ${show(v)}`, key);
    return v;
  };
  const [options, files, write] = [part('options'), part('files'), part('write')];
  checkKnownKeys(files, FILE_KEYS);
  checkValues(files, FILE_KEYS, naming);
  checkKnownKeys(write, WRITE_KEYS);
  checkValues(write, WRITE_KEYS, naming);
  for (const key of Object.keys(options)) if (key in FILE_KEYS || key === 'image') throw badOption(`the job's ${key} is a file: give it in files.${key}`, key);
  const settings = validateSettings({ ...options, ...files, task, ...(threads !== undefined && options.threads === undefined && { threads }) }, naming);
  const cli: CliValues = {
    output: data.output as string,
    force: true,
    ...(write as Partial<CliValues>),
    ...(data.report !== undefined && { report: data.report as string }),
  };
  return { task, input: data.input as string, settings, paths: files as ImagePaths, cli, flags: {}, notes: [] };
}

/** The job with every path absolute (resolved against `cwd`). */
export function absoluteJob(job: RestoreJob, cwd = process.cwd()): RestoreJob {
  const abs = (p: string) => path.resolve(cwd, p);
  const files = job.files && Object.fromEntries(Object.entries(job.files).map(([k, p]) => [k, abs(p as string)]));
  return { ...job, input: abs(job.input), output: abs(job.output), ...(files && { files }), ...(job.report !== undefined && { report: abs(job.report) }) };
}

/** The same job always gets the same id. */
export function jobId(job: RestoreJob): string {
  return `restore-${sha256(canonicalJson(job)).slice(0, 32)}`;
}
