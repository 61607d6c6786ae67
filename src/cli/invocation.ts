/**
 * How this process was started, as words a shell can run again: `deep-prior` when that is what is
 * on the PATH, `npx deep-prior` under npx, else node with its flags (a tsx loader, say) and the
 * script's absolute path. Used to print the command that continues an interrupted run.
 */
import { accessSync, constants, realpathSync } from 'node:fs';
import path from 'node:path';

export interface ProcessInfo {
  argv: readonly string[];
  execArgv: readonly string[];
  execPath: string;
  env: Readonly<Record<string, string | undefined>>;
}

export function invocationOf(p: ProcessInfo, onPath: (name: string) => string | null = (name) => findOnPath(name, p.env.PATH)): string[] {
  const script = p.argv[1];
  if (!script) return ['deep-prior'];
  if (path.basename(script) === 'deep-prior') {
    if (p.env.npm_command === 'exec') return ['npx', 'deep-prior'];
    return sameFile(onPath('deep-prior'), script) ? ['deep-prior'] : [path.resolve(script)];
  }
  const node = sameFile(onPath('node'), p.execPath) ? 'node' : p.execPath;
  return [node, ...p.execArgv, path.resolve(script)];
}

/** The real path of the executable `name` that PATH finds first, or null. */
export function findOnPath(name: string, searchPath = ''): string | null {
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return realpathSync(file);
    } catch {}
  }
  return null;
}

function sameFile(found: string | null, file: string): boolean {
  if (found === null) return false;
  try {
    return realpathSync(found) === realpathSync(file);
  } catch {
    return false;
  }
}
