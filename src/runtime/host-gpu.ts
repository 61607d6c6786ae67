/**
 * What this machine offers a GPU backend, read from the operating system through an injectable
 * `HostEnv` (tests use a fake one): NVIDIA's driver, onnxruntime-node's CUDA provider files, and
 * whether WebGPU would reach a real GPU. onnxruntime-node tells nothing about the WebGPU adapter
 * it gets (its options are only powerPreference and dawnBackendType, and not even its verbose log
 * names the adapter), while Dawn takes a software Vulkan driver (Mesa's lavapipe, SwiftShader)
 * when that is all there is; so the kernel's view decides: a GPU render node with a hardware
 * driver, or NVIDIA's driver.
 */
import { promises as fs } from 'node:fs';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The machine as the GPU checks see it. */
export interface HostEnv {
  platform: string;
  arch: string;
  env: Readonly<Record<string, string | undefined>>;
  /** A file's text, or null when it cannot be read. */
  readFile(file: string): Promise<string | null>;
  exists(file: string): Promise<boolean>;
  /** A folder's entries, or [] when it cannot be read. */
  list(dir: string): Promise<string[]>;
  /** Where a symbolic link points (resolved), or null. */
  realpath(file: string): Promise<string | null>;
  /** Runs a program; null when it is not installed. */
  run(command: string, args: readonly string[]): Promise<CommandResult | null>;
}

export const nodeHost: HostEnv = {
  platform: process.platform,
  arch: process.arch,
  env: process.env,
  readFile: (file) => fs.readFile(file, 'utf8').catch(() => null),
  exists: (file) =>
    fs.stat(file).then(
      () => true,
      () => false,
    ),
  list: (dir) => fs.readdir(dir).catch(() => []),
  realpath: (file) => fs.realpath(file).catch(() => null),
  run: (command, args) =>
    new Promise((resolve) => {
      execFile(command, [...args], { timeout: 20_000, encoding: 'utf8' }, (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        if (code === 'ENOENT') resolve(null);
        else resolve({ code: !error ? 0 : typeof code === 'number' ? code : 1, stdout, stderr });
      });
    }),
};

/** The NVIDIA kernel driver's version ("550.54.14"), or null when it is not loaded. */
export async function nvidiaDriverVersion(host: HostEnv): Promise<string | null> {
  const text = await host.readFile('/proc/driver/nvidia/version');
  if (text === null) return null;
  return /Kernel Module(?: for [^ ]+)?\s+(\d+\.\d+(?:\.\d+)?)/.exec(text)?.[1] ?? /\b(\d{3,}\.\d+(?:\.\d+)?)\b/.exec(text)?.[1] ?? 'unknown';
}

/** The files onnxruntime-node's CUDA 12 installer puts next to its binding (Linux x64). */
export const CUDA_PROVIDER_FILES = ['libonnxruntime_providers_cuda.so', 'libonnxruntime_providers_shared.so'] as const;

/** onnxruntime-node's folder of native binaries for this machine (where the CUDA provider goes). */
export function ortBinaryDir(host: Pick<HostEnv, 'platform' | 'arch'> = nodeHost): string {
  return path.join(ortPackageDir(), 'bin', 'napi-v6', host.platform, host.arch);
}

export function ortPackageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('onnxruntime-node/package.json'));
}

/** The CUDA provider files missing from `binDir`. */
export async function missingCudaProvider(host: HostEnv, binDir: string): Promise<string[]> {
  const missing: string[] = [];
  for (const f of CUDA_PROVIDER_FILES) if (!(await host.exists(path.join(binDir, f)))) missing.push(f);
  return missing;
}

/** Kernel graphics drivers that are no GPU (virtual displays, BMC chips, a guest's paravirtual card). */
const NOT_A_GPU = new Set([
  'vgem',
  'vkms',
  'simpledrm',
  'simple-framebuffer',
  'bochs-drm',
  'bochs',
  'cirrus',
  'cirrus-qemu',
  'qxl',
  'vboxvideo',
  'vmwgfx',
  'virtio_gpu',
  'virtio-gpu',
  'hyperv_drm',
  'udl',
  'ast',
  'mgag200',
]);

/**
 * Why WebGPU would not run on a real GPU here (a short reason), or null when one is visible.
 * macOS (Metal) and Windows (Direct3D 12) hand Dawn a hardware adapter first; on Linux a render
 * node must have a hardware driver, or NVIDIA's driver must be loaded.
 */
export async function webGpuSoftwareOnly(host: HostEnv): Promise<string | null> {
  if (host.platform !== 'linux') return null;
  if ((await nvidiaDriverVersion(host)) !== null) return null;
  const nodes = (await host.list('/dev/dri')).filter((n) => n.startsWith('renderD'));
  const drivers: string[] = [];
  for (const node of nodes) {
    const driver = await host.realpath(`/sys/class/drm/${node}/device/driver`);
    if (driver !== null) drivers.push(path.basename(driver));
  }
  if (drivers.some((d) => !NOT_A_GPU.has(d))) return null;
  const seen = drivers.length ? ` (render nodes: ${[...new Set(drivers)].join(', ')})` : '';
  return `no GPU${seen}, only a software rasteriser`;
}
