/**
 * One batch at a time per output folder: OUT/.deep-prior/lock holds the running batch's process
 * id. A lock left by a process that no longer exists (killed, crashed) is taken over.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ensureDir } from '../cli/writable.js';
import { InputError } from '../util/errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock; returns its release. */
export async function lockFolder(file: string, outDir: string): Promise<() => Promise<void>> {
  await ensureDir(path.dirname(file), '-o'); // level by level: a recursive mkdir never returns under /proc
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, `${process.pid}\n`, { flag: 'wx' });
      return () => fs.rm(file, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number.parseInt(await fs.readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
      throw new InputError(`another deep-prior batch (process ${pid}) is writing to ${outDir}: wait for it, or choose another -o folder`, {
        code: 'BATCH_LOCKED',
      });
    }
    await fs.rm(file, { force: true }); // a stale lock
  }
  throw new InputError(`cannot lock ${outDir} (${file} keeps reappearing): is another batch starting there?`, { code: 'BATCH_LOCKED' });
}
