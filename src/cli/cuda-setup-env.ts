/** What `deep-prior setup cuda` touches on this machine, behind an interface so tests use fakes. */
import { spawn } from 'node:child_process';
import { nodeHost, ortBinaryDir, ortPackageDir, type HostEnv } from '../runtime/host-gpu.js';

/** What setting up CUDA touches (fakes in tests). */
export interface CudaSetupEnv {
  host: HostEnv;
  /** onnxruntime-node's package folder and its folder of native binaries. */
  ortDir: string;
  binDir: string;
  /** Runs a program with its output shown to the user; resolves to its exit code. */
  runInstaller(command: string, args: readonly string[], cwd: string): Promise<number>;
  /** Starts a CUDA session: null when it works, else ONNX Runtime's reason. */
  probe(): Promise<string | null>;
}

export function nodeCudaSetup(): CudaSetupEnv {
  return {
    host: nodeHost,
    ortDir: ortPackageDir(),
    binDir: ortBinaryDir(),
    runInstaller: (command, args, cwd) =>
      new Promise((resolve, reject) => {
        const child = spawn(command, [...args], { cwd, stdio: 'inherit' });
        child.on('error', reject);
        child.on('close', (code) => resolve(code ?? 1));
      }),
    probe: async () => (await import('../runtime/platform-node.js')).sessionProbe('cuda'),
  };
}
