/**
 * The files a run wrote, each with the SHA-256 of its content, kept in the run's checkpoint: a
 * --resume may replace exactly those (the interrupted run's best-so-far image, report, snapshots)
 * while they are unchanged; any other existing file, or one edited since, still needs --force.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { canonicalPath } from './files.js';

export interface WrittenFile {
  /** Canonical absolute path. */
  path: string;
  sha256: string;
}

export class WrittenFiles {
  private readonly files = new Map<string, string>();

  constructor(entries: readonly WrittenFile[] = []) {
    for (const e of entries) this.files.set(e.path, e.sha256);
  }

  /** Records `file`, as it is now, as written by this run. */
  async add(file: string): Promise<void> {
    this.files.set(await canonicalPath(file), await sha256Of(file));
  }

  /** True when `file` was written by this run (or the run it continues) and is unchanged since. */
  async unchanged(file: string): Promise<boolean> {
    const recorded = this.files.get(await canonicalPath(file));
    if (recorded === undefined) return false;
    try {
      return (await sha256Of(file)) === recorded;
    } catch {
      return false;
    }
  }

  list(): WrittenFile[] {
    return [...this.files].map(([path, sha256]) => ({ path, sha256 }));
  }
}

async function sha256Of(file: string): Promise<string> {
  return createHash('sha256')
    .update(await fs.readFile(file))
    .digest('hex');
}
