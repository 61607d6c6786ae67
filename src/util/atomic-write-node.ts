/**
 * Atomic file writes (Node only): data goes to a temporary file in the destination folder, is
 * flushed, then renamed over the target. A crash or error never leaves a half-written output,
 * and rename within one folder is atomic on POSIX file systems.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { InputError, RunError, oneLine } from './errors.js';

let counter = 0;

export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  // Hidden, unique per process and call, and ending in .tmp (git-ignored) in case we are killed.
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${counter++}.tmp`);
  let handle: fs.FileHandle | undefined;
  try {
    const st = await fs.stat(file).catch(() => undefined);
    if (st?.isDirectory()) throw new InputError(`cannot write ${file}: it is a directory; give a file name`, { code: 'OUTPUT_IS_DIR' });
    handle = await fs.open(tmp, 'wx');
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fs.rename(tmp, file);
  } catch (e) {
    await handle?.close().catch(() => {});
    await fs.unlink(tmp).catch(() => {});
    throw describeWriteError(e, file, dir);
  }
}

function describeWriteError(e: unknown, file: string, dir: string): Error {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new InputError(`cannot write ${file}: the folder ${dir} does not exist; create it first`, { code: 'OUTPUT_DIR_MISSING', cause: e });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new InputError(`cannot write ${file}: permission denied; choose another output folder`, { code: 'OUTPUT_NOT_WRITABLE', cause: e });
  }
  if (code === 'EISDIR') return new InputError(`cannot write ${file}: it is a directory; give a file name`, { code: 'OUTPUT_IS_DIR', cause: e });
  if (code === 'ENOSPC') return new RunError(`cannot write ${file}: the disk is full`, { code: 'DISK_FULL', cause: e });
  return new RunError(`cannot write ${file}: ${oneLine(e)}`, { code: 'WRITE_FAILED', cause: e });
}
