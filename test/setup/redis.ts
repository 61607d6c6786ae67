/**
 * vitest globalSetup: a throwaway Redis for the queue tests, from the installed redis-server
 * (Debian's package; scripts/install-redis.sh), on a free loopback port, without persistence, and
 * stopped after the run. Without redis-server the queue tests are skipped with the reason printed,
 * except in CI (CI set), where that is an error.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** redis://127.0.0.1:PORT, or '' when no redis-server is installed. */
    redisUrl: string;
    redisMissing: string;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function startRedis(bin: string, port: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`redis-server did not start within 10 s: ${log}`)), 10_000);
    child.stdout!.on('data', (d) => {
      log += d;
      if (log.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}: ${log}`));
    });
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (!bin) {
    const reason = 'redis-server is not installed (scripts/install-redis.sh installs it): the queue worker tests are skipped';
    if (process.env.CI) throw new Error(`CI: ${reason.replace(': the queue worker tests are skipped', '')}; the queue tests must run in CI`);
    console.warn(`deep-prior tests: ${reason}`);
    project.provide('redisUrl', '');
    project.provide('redisMissing', reason);
    return async () => {};
  }
  let child: ChildProcess | undefined;
  let port = 0;
  for (let attempt = 0; attempt < 3 && !child; attempt++) {
    port = await freePort();
    child = await startRedis(bin, port).catch((e) => {
      if (attempt === 2) throw e;
      return undefined; // the port was taken in between: try another
    });
  }
  project.provide('redisUrl', `redis://127.0.0.1:${port}`);
  project.provide('redisMissing', '');
  return async () => {
    child?.kill('SIGTERM');
  };
}
