/**
 * A GPU a user can get: `deep-prior setup cuda` (checks on a fake machine, the installer a fake
 * that records how it was called), and `--backend auto` taking CUDA, then WebGPU only on a real
 * GPU, then the CPU. This machine has no GPU; the checks read everything through a HostEnv.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { promises as fs } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CudaSetupEnv } from '../src/cli/cuda-setup-env.js';
import { cudaUnavailable } from '../src/runtime/platform-node.js';
import { chooseBackend, type Platform } from '../src/runtime/engine.js';
import { CUDA_PROVIDER_FILES, ortBinaryDir, ortPackageDir, webGpuSoftwareOnly, type CommandResult, type HostEnv } from '../src/runtime/host-gpu.js';
import { runCli, tempDir } from './helpers/cli.js';

interface FakeMachine {
  platform?: string;
  arch?: string;
  env?: Record<string, string>;
  /** Files and their text ('' for a library). */
  files?: Record<string, string>;
  /** Symbolic links: path → target. */
  links?: Record<string, string>;
  /** Programs: name → result, per argument line. */
  programs?: Record<string, CommandResult>;
}

function fakeHost(m: FakeMachine): HostEnv & { files: Record<string, string> } {
  const files = { ...m.files };
  return {
    platform: m.platform ?? 'linux',
    arch: m.arch ?? 'x64',
    env: m.env ?? {},
    files,
    readFile: async (f) => files[f] ?? null,
    exists: async (f) => f in files || Object.keys(files).some((k) => k.startsWith(`${f}/`)),
    // A folder's entries: the next part of every path under it.
    list: async (dir) => [
      ...new Set(
        Object.keys({ ...files, ...m.links })
          .filter((k) => k.startsWith(`${dir}/`))
          .map((k) => k.slice(dir.length + 1).split('/')[0]),
      ),
    ],
    realpath: async (f) => m.links?.[f] ?? (f in files ? f : null),
    run: async (cmd) => m.programs?.[cmd] ?? null,
  };
}

const DRIVER = '/proc/driver/nvidia/version';
const driverText = (v: string) => `NVRM version: NVIDIA UNIX x86_64 Kernel Module  ${v}  Tue Jan 16 00:00:00 UTC 2024\nGCC version:  gcc version 12.2.0\n`;
const LIBS = ['libcudart.so.12', 'libcublas.so.12', 'libcublasLt.so.12', 'libcufft.so.11', 'libcurand.so.10', 'libcudnn.so.9'];
const ldconfig = (libs: string[], dir = '/usr/lib/x86_64-linux-gnu'): CommandResult => ({
  code: 0,
  stdout: `${libs.length + 1} libs found in cache \`/etc/ld.so.cache'\n${libs.map((l) => `\t${l} (libc6,x86-64) => ${dir}/${l}`).join('\n')}\n\tlibz.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libz.so.1\n`,
  stderr: '',
});

let binDir: string;
beforeAll(async () => {
  binDir = await tempDir('deep-prior-ortbin-'); // a real folder: the installer's write probe runs there
});
afterAll(async () => {
  await fs.rm(binDir, { recursive: true, force: true });
});

const providerFiles = () => Object.fromEntries(CUDA_PROVIDER_FILES.map((f) => [path.join(binDir, f), '']));
const GPU_MACHINE: FakeMachine = {
  files: { [DRIVER]: driverText('550.54.14') },
  programs: { 'nvidia-smi': { code: 0, stdout: 'NVIDIA H100 80GB HBM3, 81559 MiB\n', stderr: '' }, ldconfig: ldconfig(LIBS) },
};

/** A setup environment on a fake machine; the installer "installs" the provider files when it succeeds. */
function setupEnv(m: FakeMachine, opts: { installerExit?: number; probe?: string | null; dir?: string } = {}) {
  const host = fakeHost(m);
  const calls: { command: string; args: readonly string[]; cwd: string }[] = [];
  const dir = opts.dir ?? binDir;
  const env: CudaSetupEnv = {
    host,
    ortDir: '/opt/app/node_modules/onnxruntime-node',
    binDir: dir,
    runInstaller: async (command, args, cwd) => {
      calls.push({ command, args, cwd });
      if ((opts.installerExit ?? 0) === 0) for (const f of CUDA_PROVIDER_FILES) host.files[path.join(dir, f)] = '';
      return opts.installerExit ?? 0;
    },
    probe: async () => opts.probe ?? null,
  };
  return { env, calls };
}

const setup = (args: string[], env: CudaSetupEnv) => runCli(['setup', 'cuda', ...args], { cudaSetup: () => env });

describe('deep-prior setup cuda --check', () => {
  it('a machine without a GPU: each missing part named with how to get it; nothing installed; exit 1', async () => {
    const { env, calls } = setupEnv({ programs: { ldconfig: ldconfig([]) } });
    const r = await setup(['--check'], env);
    expect(r.code).toBe(1);
    expect(calls).toEqual([]);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('ok       platform: linux x64');
    expect(r.stdout).toMatch(/^MISSING {2}NVIDIA driver: not loaded \(no \/proc\/driver\/nvidia\/version\)\n {9}→ install NVIDIA's driver, 525 or newer/m);
    expect(r.stdout).toMatch(/^ok {7}GPU: nvidia-smi not found/m);
    expect(r.stdout).toMatch(
      /^MISSING {2}CUDA 12 runtime: libcudart\.so\.12, libcublas\.so\.12, libcublasLt\.so\.12, libcufft\.so\.11, libcurand\.so\.10 not found by the dynamic loader\n {9}→ install CUDA 12's libraries/m,
    );
    expect(r.stdout).toMatch(
      /^MISSING {2}cuDNN 9: libcudnn\.so\.9 not found by the dynamic loader\n {9}→ install cuDNN 9 for CUDA 12: apt install libcudnn9-cuda-12/m,
    );
    expect(r.stdout).toMatch(
      /^MISSING {2}ONNX Runtime CUDA provider: libonnxruntime_providers_cuda\.so, libonnxruntime_providers_shared\.so missing from .*\n {9}→ run deep-prior setup cuda \(without --check\)/m,
    );
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe('CUDA is not ready: fix what is missing above, then run deep-prior setup cuda --check.');
  });

  it('everything in place: every check ok, a CUDA session starts, exit 0', async () => {
    const { env, calls } = setupEnv({ ...GPU_MACHINE, files: { ...GPU_MACHINE.files, ...providerFiles() } });
    const r = await setup(['--check'], env);
    expect(r.code, r.stdout).toBe(0);
    expect(calls).toEqual([]);
    expect(r.stdout).toMatch(/^ok {7}NVIDIA driver: 550\.54\.14$/m);
    expect(r.stdout).toMatch(/^ok {7}GPU: NVIDIA H100 80GB HBM3, 81559 MiB$/m);
    expect(r.stdout).toMatch(/^ok {7}CUDA 12 runtime: \/usr\/lib\/x86_64-linux-gnu\/libcudart\.so\.12, /m);
    expect(r.stdout).toMatch(/^ok {7}CUDA session: a test graph ran on the GPU$/m);
    expect(r.stdout).toMatch(/CUDA is ready: --backend auto will use it\.\n$/);
    expect(r.stdout).not.toMatch(/MISSING/);
  });

  it("a session that does not start is reported with ONNX Runtime's reason", async () => {
    const { env } = setupEnv(
      { ...GPU_MACHINE, files: { ...GPU_MACHINE.files, ...providerFiles() } },
      { probe: 'CUDA failure 35: CUDA driver version is insufficient' },
    );
    const r = await setup(['--check'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^MISSING {2}CUDA session: CUDA failure 35: CUDA driver version is insufficient$/m);
  });

  it('an old driver, nvidia-smi failing, libraries outside the loader path, cuDNN through LD_LIBRARY_PATH', async () => {
    const toolkit = '/usr/local/cuda-12.4/targets/x86_64-linux/lib';
    const { env } = setupEnv({
      env: { LD_LIBRARY_PATH: '/opt/cudnn/lib' },
      files: {
        [DRIVER]: driverText('470.223.02'),
        '/opt/cudnn/lib/libcudnn.so.9': '',
        ...Object.fromEntries(LIBS.slice(0, 5).map((l) => [`${toolkit}/${l}`, ''])),
      },
      programs: {
        'nvidia-smi': { code: 9, stdout: '', stderr: "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.\n" },
        ldconfig: ldconfig([]),
      },
    });
    const r = await setup(['--check'], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^MISSING {2}NVIDIA driver: 470\.223\.02, older than CUDA 12 needs \(525\.60\.13\)/m);
    expect(r.stdout).toMatch(/^MISSING {2}GPU: nvidia-smi: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver\.$/m);
    expect(r.stdout).toMatch(
      new RegExp(`^MISSING  CUDA 12 runtime: .* not found by the dynamic loader \\(found in ${toolkit}\\)\\n {9}→ export LD_LIBRARY_PATH=${toolkit}`, 'm'),
    );
    expect(r.stdout).toMatch(/^ok {7}cuDNN 9: \/opt\/cudnn\/lib\/libcudnn\.so\.9$/m);
  });

  it('not Linux x64: the provider does not exist there, and nothing is installed', async () => {
    const { env, calls } = setupEnv({ platform: 'darwin', arch: 'arm64' });
    const r = await setup([], env);
    expect(r.code).toBe(1);
    expect(calls).toEqual([]);
    expect(r.stdout).toMatch(/^MISSING {2}platform: darwin arm64: onnxruntime-node publishes its CUDA provider for Linux x64 only/m);
  });
});

describe('deep-prior setup cuda (installs)', () => {
  it("runs onnxruntime-node's own installer for the CUDA 12 provider in its package folder, then checks again", async () => {
    const { env, calls } = setupEnv({ programs: { ldconfig: ldconfig([]) } });
    const r = await setup([], env);
    expect(calls).toEqual([
      { command: process.execPath, args: ['/opt/app/node_modules/onnxruntime-node/script/install.js', '--onnxruntime-node-install=cuda12'], cwd: env.ortDir },
    ]);
    expect(r.stdout).toMatch(/^installing ONNX Runtime's CUDA 12 provider with onnxruntime-node's installer/m);
    expect(r.stdout).toMatch(/^ok {7}ONNX Runtime CUDA provider: /m);
    expect(r.stdout).toMatch(/^MISSING {2}NVIDIA driver/m); // the provider is in place for when the GPU is (a container image, say)
    expect(r.code).toBe(0);
    expect(await fs.readdir(binDir)).toEqual([]); // the write probe left nothing
  });

  it('a failing installer: exit 1 with what it needs', async () => {
    const { env } = setupEnv({}, { installerExit: 1 });
    const r = await setup([], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("deep-prior: onnxruntime-node's installer failed (exit code 1; its output is above): it needs to reach api.nuget.org\n");
  });

  it("onnxruntime-node's folder not writable: exit 2 before running the installer", async () => {
    const { env, calls } = setupEnv({}, { dir: '/proc' });
    const r = await setup([], env);
    expect(r.code).toBe(2);
    expect(calls).toEqual([]);
    expect(r.stderr).toMatch(
      /^deep-prior: cannot write onnxruntime-node's folder \/proc \(.*\): run deep-prior setup cuda as the user that installed deep-prior, or with sudo/,
    );
  });

  it('the installer, its flag and the provider files are those of the installed onnxruntime-node', async () => {
    const dir = ortPackageDir();
    const script = await fs.readFile(path.join(dir, 'script', 'install.js'), 'utf8');
    expect(script).toContain('--onnxruntime-node-install=cuda12');
    const metadata = createRequire(import.meta.url)(path.join(dir, 'script', 'install-metadata.js')) as {
      requirements: Record<string, string[]>;
      manifests: Record<string, Record<string, unknown>>;
    };
    expect(metadata.requirements['linux/x64']).toContain('cuda12');
    const files = Object.keys(metadata.manifests['linux/x64:cuda12']).map((f) => path.basename(f));
    for (const f of CUDA_PROVIDER_FILES) expect(files).toContain(f);
    expect(await fs.readdir(ortBinaryDir())).toContain('onnxruntime_binding.node');
  });

  it('on this machine (no NVIDIA driver): --check reports and exits 1', async () => {
    const r = await runCli(['setup', 'cuda', '--check']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^MISSING {2}NVIDIA driver: not loaded/m);
  });
});

describe('--backend auto', () => {
  it("WebGPU only on a real GPU: a hardware render node or NVIDIA's driver; not a software rasteriser", async () => {
    expect(await webGpuSoftwareOnly(fakeHost({}))).toBe('no GPU, only a software rasteriser');
    const virtualOnly = fakeHost({
      files: { '/dev/dri/renderD128': '' },
      links: { '/sys/class/drm/renderD128/device/driver': '/sys/bus/platform/drivers/vgem' },
    });
    expect(await webGpuSoftwareOnly(virtualOnly)).toBe('no GPU (render nodes: vgem), only a software rasteriser');
    const amd = fakeHost({ files: { '/dev/dri/renderD128': '' }, links: { '/sys/class/drm/renderD128/device/driver': '/sys/bus/pci/drivers/amdgpu' } });
    expect(await webGpuSoftwareOnly(amd)).toBeNull();
    expect(await webGpuSoftwareOnly(fakeHost({ files: { [DRIVER]: driverText('550.54.14') } }))).toBeNull();
    expect(await webGpuSoftwareOnly(fakeHost({ platform: 'darwin' }))).toBeNull();
  });

  it('CUDA: no driver, no provider, or a session that fails, each in a few words; else it is taken', async () => {
    const never = async () => {
      throw new Error('must not be probed');
    };
    expect(await cudaUnavailable(fakeHost({}), never)).toBe('no NVIDIA driver');
    const driverOnly = fakeHost({ files: { [DRIVER]: driverText('550.54.14') } });
    expect(await cudaUnavailable({ ...driverOnly, exists: async () => false }, never)).toBe(
      'its ONNX Runtime provider is not installed (deep-prior setup cuda)',
    );
    const installed = { ...driverOnly, exists: async () => true };
    expect(await cudaUnavailable(installed, async () => 'libcudnn.so.9: cannot open shared object file')).toBe(
      'did not start (libcudnn.so.9: cannot open shared object file; deep-prior setup cuda --check tells why)',
    );
    expect(await cudaUnavailable(installed, async () => null)).toBeNull();
  });

  function platform(unavailable: Record<string, string>, skip: Record<string, string>): Platform {
    return {
      name: 'node',
      loadOrt: () => Promise.reject(new Error('not used')),
      candidates: () => ['cuda', 'webgpu', 'cpu'],
      probe: async (b) => unavailable[b] ?? null,
      autoSkip: async (b) => skip[b] ?? null,
      defaultThreads: () => 2,
    };
  }

  it('takes CUDA, else WebGPU on a real GPU, else the CPU, saying why in one line; a request still gets what it asks for', async () => {
    expect(await chooseBackend(platform({}, {}), 'auto')).toEqual({ backend: 'cuda', reason: 'auto' });
    expect((await chooseBackend(platform({ cuda: 'no NVIDIA driver' }, {}), 'auto')).backend).toBe('webgpu');
    const cpu = await chooseBackend(platform({ cuda: 'no NVIDIA driver' }, { webgpu: 'no GPU, only a software rasteriser' }), 'auto');
    expect(cpu).toEqual({ backend: 'cpu', reason: 'auto, skipped: cuda: no NVIDIA driver; webgpu: no GPU, only a software rasteriser' });
    expect(cpu.reason).not.toMatch(/\n/);
    expect((await chooseBackend(platform({}, { webgpu: 'software' }), 'webgpu')).backend).toBe('webgpu');
  });
});
