/**
 * The plan's view of a Node machine: available memory (the system's, or a container's limit), the
 * CUDA device's free memory (nvidia-smi, which comes with NVIDIA's driver),
 * this process's resident memory from /proc (Linux) or the resource usage, and calibrations cached
 * as small JSON files in the user's cache folder ($XDG_CACHE_HOME/deep-prior, ~/.cache/deep-prior;
 * macOS ~/Library/Caches/deep-prior; Windows %LOCALAPPDATA%\deep-prior). DEEP_PRIOR_CALIBRATION=shipped
 * skips the probes (the test suite sets it: its many small fits need no measured timing).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../util/atomic-write-node.js';
import { packageVersion } from '../util/version-node.js';
import type { CalibrationCache, PlanEnvironment } from './environment.js';

/** The user's cache folder for deep-prior. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'deep-prior');
  if (process.platform === 'win32' && env.LOCALAPPDATA) return path.join(env.LOCALAPPDATA, 'deep-prior');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'deep-prior');
  return path.join(os.homedir(), '.cache', 'deep-prior');
}

/** One JSON file per key in `dir`; a missing or unreadable file is no entry, a failed write is not an error. */
export function fileCache(dir: string): CalibrationCache {
  const file = (key: string) => path.join(dir, `calibration-${hash(key)}.json`);
  return {
    location: dir,
    read: async (key) => fs.readFile(file(key), 'utf8').catch(() => null),
    write: async (key, text) => {
      try {
        await fs.mkdir(dir, { recursive: true });
        await writeFileAtomic(file(key), text);
      } catch {
        // A read-only home only costs a new calibration next time.
      }
    },
  };
}

function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

function statusField(name: string): number | undefined {
  try {
    const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Free bytes of the first GPU in `nvidia-smi --query-gpu=memory.free --format=csv,noheader,nounits` output (MiB per line). */
export function parseGpuFree(text: string): number | undefined {
  const first = text.trim().split('\n')[0]?.trim();
  return first && /^\d+$/.test(first) ? Number(first) * 2 ** 20 : undefined;
}

/** How long one nvidia-smi reading serves: a plan and its quicker-run candidates ask many times in a second. */
const GPU_READING_MS = 10_000;
let gpuReading: { at: number; bytes: number | undefined } | null = null;

/**
 * Asked only when a plan runs on CUDA; no driver tool (or a slow one) is no report. The device is the
 * first of CUDA_VISIBLE_DEVICES when it is set (an index or a UUID, both of which nvidia-smi's --id takes).
 */
function gpuFreeMemory(): number | undefined {
  if (gpuReading && performance.now() - gpuReading.at < GPU_READING_MS) return gpuReading.bytes;
  const visible = process.env.CUDA_VISIBLE_DEVICES?.split(',')[0]?.trim();
  const args = ['--query-gpu=memory.free', '--format=csv,noheader,nounits', ...(visible ? [`--id=${visible}`] : [])];
  let bytes: number | undefined;
  try {
    bytes = parseGpuFree(execFileSync('nvidia-smi', args, { encoding: 'utf8', timeout: 5000, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    bytes = undefined;
  }
  gpuReading = { at: performance.now(), bytes };
  return bytes;
}

export function nodePlanEnvironment(): PlanEnvironment {
  const cpus = os.cpus();
  return {
    availableMemory: () => {
      // availableMemory() also honours a cgroup limit (Node ≥ 20.13); freemem() is MemAvailable on Linux.
      const constrained = (process as { availableMemory?: () => number }).availableMemory?.();
      return Math.min(os.freemem(), constrained && constrained > 0 ? constrained : Number.POSITIVE_INFINITY);
    },
    gpuFreeMemory,
    residentBytes: () => process.memoryUsage.rss(),
    cpuSeconds: () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    },
    peakResidentBytes: () => statusField('VmHWM') ?? process.resourceUsage().maxRSS * 1024,
    resetPeak: () => {
      try {
        // "5" resets the peak resident set size (Linux ≥ 4.0).
        writeFileSync('/proc/self/clear_refs', '5');
        return true;
      } catch {
        return false;
      }
    },
    cache: fileCache(cacheDir()),
    machine: `${cpus[0]?.model ?? 'unknown CPU'} ×${cpus.length}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}`,
    version: packageVersion(),
    ...(process.env.DEEP_PRIOR_CALIBRATION === 'shipped' && { shippedOnly: 'DEEP_PRIOR_CALIBRATION=shipped' }),
  };
}
