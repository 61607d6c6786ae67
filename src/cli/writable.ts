/**
 * Can an output folder really take our files? Folders are created level by level (Node's recursive
 * mkdir never returns under /proc: the kernel answers ENOENT for a child of an existing folder, and
 * mkdir retries the parent forever), then a temporary file is created in the folder and removed, so
 * permissions, read-only file systems and full disks show before a long fit, not after it.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, oneLine } from '../util/errors.js';

let probes = 0;

/** Creates `dir` and its missing parents; a one-line InputError naming `flag` when it cannot. */
export async function ensureDir(dir: string, flag?: string): Promise<void> {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let cur = abs;
  while (!(await isDir(cur))) {
    missing.push(cur);
    const up = path.dirname(cur);
    if (up === cur) break;
    cur = up;
  }
  for (const d of missing.reverse()) {
    try {
      await fs.mkdir(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && (await isDir(d))) continue; // made meanwhile
      throw notWritable(e, d, flag, 'create the folder');
    }
  }
}

/** Creates and removes a temporary file in `dir` (which exists). */
export async function probeWritable(dir: string, flag?: string): Promise<void> {
  const probe = path.join(dir, `.deep-prior-probe-${process.pid}-${probes++}.tmp`);
  try {
    const handle = await fs.open(probe, 'wx');
    await handle.close();
  } catch (e) {
    throw notWritable(e, dir, flag, 'write into the folder');
  }
  await fs.unlink(probe).catch(() => {});
}

/** `dir` exists (or is created) and takes new files. */
export async function checkWritableDir(dir: string, flag?: string): Promise<void> {
  await ensureDir(dir, flag);
  await probeWritable(path.resolve(dir), flag);
}

async function isDir(p: string): Promise<boolean> {
  try {
    return (await fs.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Why a folder refused us, in one line: the output's option, the folder and what to do. */
function notWritable(e: unknown, dir: string, flag: string | undefined, doing: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const who = flag ? `${flag}: ` : '';
  const what = `${who}cannot ${doing} ${dir}`;
  const opts = { code: 'OUTPUT_NOT_WRITABLE', cause: e };
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${what}: permission denied; choose a folder you can write to`, opts);
    case 'EROFS':
      return new InputError(`${what}: the file system is read-only; choose another folder`, opts);
    case 'ENOTDIR':
    case 'EEXIST':
      return new InputError(`${what}: a file is in the way (a part of the path is not a folder); choose another path`, opts);
    case 'ENOENT':
      return new InputError(`${what}: the file system does not accept new files there; choose another folder`, opts);
    case 'ENOSPC':
    case 'EDQUOT':
      return new InputError(`${what}: the disk is full`, { code: 'DISK_FULL', cause: e });
    default:
      return new InputError(`${what}: ${oneLine(e)}`, opts);
  }
}
