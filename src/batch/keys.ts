/**
 * What makes a result: the bytes of the input and its companions, and the settings. A finished
 * file is skipped only when both hashes match its journal record and its output is still the file
 * that was written (same SHA-256), so an edited photo, a changed option or a damaged output is redone.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 over the files, in order (a missing file hashes as its absence: the fit will report it). */
export async function contentHash(files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    const data = await fs.readFile(f).catch(() => null);
    h.update(data === null ? `missing:${f}\0` : `${data.length}:`);
    if (data) h.update(data);
  }
  return h.digest('hex');
}

export async function fileSha256(file: string): Promise<string | null> {
  const data = await fs.readFile(file).catch(() => null);
  return data === null ? null : sha256(data);
}

/** A stable JSON text: keys sorted at every level. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function settingsHash(settings: Record<string, unknown>): string {
  return sha256(canonicalJson(settings));
}
