/**
 * What ONNX Runtime's CUDA provider needs, checked one by one (for `deep-prior setup cuda`): Linux
 * x64, NVIDIA's driver (525.60.13 or newer for CUDA 12), the GPU as nvidia-smi sees it, the CUDA 12
 * runtime and cuDNN 9 libraries where the dynamic loader finds them, and the provider's own files
 * next to onnxruntime-node's binding. Each check says what is missing and how to get it.
 */
import path from 'node:path';
import { CUDA_PROVIDER_FILES, missingCudaProvider, nvidiaDriverVersion, type HostEnv } from '../runtime/host-gpu.js';

export interface CudaCheck {
  what: string;
  ok: boolean;
  /** What was found, or what is missing. */
  detail: string;
  /** How to get what is missing. */
  fix?: string;
}

/** The libraries the CUDA 12 build of ONNX Runtime's provider loads. */
export const CUDA_RUNTIME_LIBS = ['libcudart.so.12', 'libcublas.so.12', 'libcublasLt.so.12', 'libcufft.so.11', 'libcurand.so.10'] as const;
export const CUDNN_LIBS = ['libcudnn.so.9'] as const;
const MIN_DRIVER = [525, 60, 13];

export async function cudaChecks(host: HostEnv, binDir: string): Promise<CudaCheck[]> {
  const loader = await libraryIndex(host, binDir);
  return [
    platformCheck(host),
    await driverCheck(host),
    await gpuCheck(host),
    await librariesCheck(host, loader, 'CUDA 12 runtime', CUDA_RUNTIME_LIBS, CUDA_FIX),
    await librariesCheck(host, loader, 'cuDNN 9', CUDNN_LIBS, CUDNN_FIX),
    await providerCheck(host, binDir),
  ];
}

const CUDA_FIX =
  "install CUDA 12's libraries: from NVIDIA's CUDA repository (apt install cuda-libraries-12-8, say), or pip install nvidia-cuda-runtime-cu12 nvidia-cublas-cu12 nvidia-cufft-cu12 nvidia-curand-cu12 and add their lib folders to LD_LIBRARY_PATH";
const CUDNN_FIX =
  "install cuDNN 9 for CUDA 12: apt install libcudnn9-cuda-12 (NVIDIA's repository), or pip install nvidia-cudnn-cu12 and add its lib folder to LD_LIBRARY_PATH";

function platformCheck(host: HostEnv): CudaCheck {
  const here = `${host.platform} ${host.arch}`;
  if (host.platform === 'linux' && host.arch === 'x64') return { what: 'platform', ok: true, detail: here };
  return {
    what: 'platform',
    ok: false,
    detail: `${here}: onnxruntime-node publishes its CUDA provider for Linux x64 only`,
    fix: 'use --backend webgpu or cpu here',
  };
}

async function driverCheck(host: HostEnv): Promise<CudaCheck> {
  const what = 'NVIDIA driver';
  const version = await nvidiaDriverVersion(host);
  if (version === null) {
    return {
      what,
      ok: false,
      detail: 'not loaded (no /proc/driver/nvidia/version)',
      fix: "install NVIDIA's driver, 525 or newer (Debian: apt install nvidia-driver); in a container, start it with --gpus all (NVIDIA Container Toolkit)",
    };
  }
  const parts = version.split('.').map(Number);
  if (isOlder(parts, MIN_DRIVER))
    return { what, ok: false, detail: `${version}, older than CUDA 12 needs (${MIN_DRIVER.join('.')})`, fix: 'update the NVIDIA driver' };
  return { what, ok: true, detail: version };
}

function isOlder(a: number[], b: number[]): boolean {
  for (let i = 0; i < b.length; i++) if ((a[i] ?? 0) !== b[i]) return (a[i] ?? 0) < b[i];
  return false;
}

async function gpuCheck(host: HostEnv): Promise<CudaCheck> {
  const what = 'GPU';
  const r = await host.run('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader']);
  if (r === null) return { what, ok: true, detail: 'nvidia-smi not found (it comes with the driver); not needed by deep-prior' };
  const lines = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  if (r.code !== 0 || lines.length === 0) {
    const why = (r.stderr || r.stdout).split('\n').find((l) => l.trim()) ?? `exit code ${r.code}`;
    return {
      what,
      ok: false,
      detail: `nvidia-smi: ${why.trim()}`,
      fix: 'check that the driver matches the kernel module and that this user may use the GPU (/dev/nvidia*)',
    };
  }
  return { what, ok: true, detail: lines.join('; ') };
}

async function librariesCheck(host: HostEnv, loader: LibraryIndex, what: string, libs: readonly string[], fix: string): Promise<CudaCheck> {
  const missing: string[] = [];
  const offPath = new Set<string>();
  for (const lib of libs) {
    if (loader.found.has(lib)) continue;
    missing.push(lib);
    const dir = await findOffPath(host, lib);
    if (dir) offPath.add(dir);
  }
  if (missing.length === 0) return { what, ok: true, detail: libs.map((l) => loader.found.get(l)).join(', ') };
  const detail = `${missing.join(', ')} not found by the dynamic loader`;
  if (offPath.size > 0) {
    const dirs = [...offPath].join(':');
    return {
      what,
      ok: false,
      detail: `${detail} (found in ${dirs})`,
      fix: `export LD_LIBRARY_PATH=${dirs}\${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} (or add the folder to /etc/ld.so.conf.d/ and run ldconfig)`,
    };
  }
  return { what, ok: false, detail, fix };
}

async function providerCheck(host: HostEnv, binDir: string): Promise<CudaCheck> {
  const what = 'ONNX Runtime CUDA provider';
  const missing = await missingCudaProvider(host, binDir);
  if (missing.length === 0) return { what, ok: true, detail: `${CUDA_PROVIDER_FILES.join(', ')} in ${binDir}` };
  return {
    what,
    ok: false,
    detail: `${missing.join(', ')} missing from ${binDir}`,
    fix: "run deep-prior setup cuda (without --check): it runs onnxruntime-node's installer, which downloads them from NuGet (npm install skipped it: .npmrc sets ignore-scripts)",
  };
}

interface LibraryIndex {
  /** Library file name → where the loader finds it. */
  found: Map<string, string>;
}

/** What the dynamic loader finds: LD_LIBRARY_PATH, onnxruntime-node's own folder, then ldconfig's cache. */
async function libraryIndex(host: HostEnv, binDir: string): Promise<LibraryIndex> {
  const found = new Map<string, string>();
  const dirs = [...(host.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean), binDir];
  for (const dir of dirs) for (const f of await host.list(dir)) if (!found.has(f)) found.set(f, path.join(dir, f));
  for (const [name, file] of await ldconfigCache(host)) if (!found.has(name)) found.set(name, file);
  return { found };
}

/** ldconfig -p: "\tlibcudart.so.12 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcudart.so.12". */
async function ldconfigCache(host: HostEnv): Promise<[string, string][]> {
  const r = (await host.run('ldconfig', ['-p'])) ?? (await host.run('/sbin/ldconfig', ['-p']));
  if (r?.code !== 0) return [];
  const entries: [string, string][] = [];
  for (const line of r.stdout.split('\n')) {
    const m = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)/.exec(line);
    if (m && (m[2].includes('x86-64') || !m[2].includes('64'))) entries.push([m[1], m[3]]);
  }
  return entries;
}

/** A folder where a CUDA toolkit keeps `lib` although the loader does not search it. */
async function findOffPath(host: HostEnv, lib: string): Promise<string | null> {
  const toolkits = (await host.list('/usr/local')).filter((d) => /^cuda(-12(\.\d+)?)?$/.test(d));
  for (const t of toolkits) {
    for (const sub of ['lib64', 'targets/x86_64-linux/lib']) {
      const dir = path.join('/usr/local', t, sub);
      if (await host.exists(path.join(dir, lib))) return dir;
    }
  }
  return null;
}
