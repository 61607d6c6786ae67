/**
 * `deep-prior setup cuda [--check]`: makes ONNX Runtime's CUDA provider available. deep-prior
 * installs with `ignore-scripts` (.npmrc), so onnxruntime-node's postinstall never fetched the
 * provider's libraries; this runs that same installer (script/install.js with
 * --onnxruntime-node-install=cuda12, which downloads them from NuGet into the package's binary
 * folder), then checks the driver, CUDA 12 and cuDNN 9 and starts a CUDA session. `--check` only
 * reports. Exit code: 0 when CUDA works, or (without --check) when the provider was installed;
 * 1 otherwise.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { missingCudaProvider } from '../runtime/host-gpu.js';
import { InputError, RunError, isDeepPriorError, oneLine } from '../util/errors.js';
import { examples } from './command-options.js';
import { cudaChecks, type CudaCheck } from './cuda-checks.js';
import type { CudaSetupEnv } from './cuda-setup-env.js';
import type { CliDeps } from './deps.js';
import { probeWritable } from './writable.js';

/** The installer and its arguments: onnxruntime-node's own postinstall, asked for the CUDA 12 provider. */
export function installerCommand(env: CudaSetupEnv): { command: string; args: string[] } {
  return { command: process.execPath, args: [path.join(env.ortDir, 'script', 'install.js'), '--onnxruntime-node-install=cuda12'] };
}

export async function runSetupCuda(opts: { check?: boolean }, deps: CliDeps): Promise<number> {
  const env = deps.cudaSetup();
  const out = (line: string) => deps.stdout.write(`${line}\n`);
  let checks = await cudaChecks(env.host, env.binDir);
  const installable = checks[0].ok && (await missingCudaProvider(env.host, env.binDir)).length > 0;
  if (!opts.check && installable) {
    await install(env, out);
    checks = await cudaChecks(env.host, env.binDir);
  }
  for (const c of checks) out(formatCheck(c));
  const ready = checks.every((c) => c.ok) && (await sessionCheck(env, out));
  if (ready) out('CUDA is ready: --backend auto will use it.');
  else out(`CUDA is not ready: fix what is missing above, then run deep-prior setup cuda --check.`);
  return ready || (!opts.check && checks.at(-1)?.ok) ? 0 : 1;
}

export function formatCheck(c: CudaCheck): string {
  const head = `${c.ok ? 'ok     ' : 'MISSING'}  ${c.what}: ${c.detail}`;
  return c.fix && !c.ok ? `${head}\n         → ${c.fix}` : head;
}

async function install(env: CudaSetupEnv, out: (line: string) => void): Promise<void> {
  try {
    await probeWritable(env.binDir);
  } catch (e) {
    const why = isDeepPriorError(e) ? oneLine(e).replace(/^.*?: (?=[^:]+$)/, '') : oneLine(e);
    throw new InputError(
      `cannot write onnxruntime-node's folder ${env.binDir} (${why}): run deep-prior setup cuda as the user that installed deep-prior, or with sudo for a global install`,
      { code: 'OUTPUT_NOT_WRITABLE', cause: e },
    );
  }
  const { command, args } = installerCommand(env);
  out(`installing ONNX Runtime's CUDA 12 provider with onnxruntime-node's installer (downloads from NuGet): ${[command, ...args].join(' ')}`);
  const code = await env.runInstaller(command, args, env.ortDir);
  if (code !== 0)
    throw new RunError(`onnxruntime-node's installer failed (exit code ${code}; its output is above): it needs to reach api.nuget.org`, {
      code: 'SETUP_FAILED',
    });
}

/** Starts a CUDA session (when every check passed). */
async function sessionCheck(env: CudaSetupEnv, out: (line: string) => void): Promise<boolean> {
  const why = await env.probe();
  out(formatCheck(why === null ? { what: 'CUDA session', ok: true, detail: 'a test graph ran on the GPU' } : { what: 'CUDA session', ok: false, detail: why }));
  return why === null;
}

export function addSetupCommand(program: Command, deps: CliDeps, setExitCode: (code: number) => void): void {
  const setup = program.command('setup').description('set up optional parts of deep-prior (a GPU backend)');
  setup
    .command('cuda')
    .description("install ONNX Runtime's CUDA 12 provider (npm install skips it) and check the driver, CUDA 12 and cuDNN 9")
    .option('--check', 'only check and report; install nothing')
    .addHelpText('after', examples(['deep-prior setup cuda', 'deep-prior setup cuda --check']))
    .action(async (opts: { check?: boolean }) => setExitCode(await runSetupCuda(opts, deps)));
}
