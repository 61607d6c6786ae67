/**
 * The batch's journal: one JSON record per line in OUT/.deep-prior/journal.jsonl, appended (one
 * write per record, O_APPEND) and flushed to disk for finished files, so a crash loses at most the
 * files in progress. Reading takes each file's last record; a line cut short by a crash is ignored.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';

export type JournalEvent = 'start' | 'done' | 'failed';

export interface JournalRecord {
  event: JournalEvent;
  /** The input's path relative to the batch root. */
  file: string;
  /** SHA-256 of the input (and its mask, flash photo, reference). */
  input: string;
  /** SHA-256 of the settings that shape the result. */
  settings: string;
  time: string;
  /** done: the output's path relative to the output folder, its SHA-256, the fit's figures. */
  output?: string;
  outputSha256?: string;
  seconds?: number;
  iterations?: number;
  psnr?: number;
  /** failed: the one-line message and its code. */
  error?: string;
  code?: string;
}

export class Journal {
  private constructor(
    readonly file: string,
    private readonly handle: fs.FileHandle,
    /** The last record of every file, as read at open and updated by every append. */
    readonly last: Map<string, JournalRecord>,
  ) {}

  static async open(file: string): Promise<Journal> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    const text = await fs.readFile(file, 'utf8').catch(() => '');
    const handle = await fs.open(file, 'a');
    // A crash may have cut the last line: start on a fresh one so the next record stays whole.
    if (text.length > 0 && !text.endsWith('\n')) await handle.write('\n');
    return new Journal(file, handle, lastRecords(text));
  }

  async append(record: Omit<JournalRecord, 'time'>): Promise<void> {
    const full: JournalRecord = { ...record, time: new Date().toISOString() };
    await this.handle.write(`${JSON.stringify(full)}\n`);
    if (record.event !== 'start') await this.handle.datasync();
    this.last.set(record.file, full);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/** Every complete record of a journal's text, in order. */
export function parseJournal(text: string): JournalRecord[] {
  const out: JournalRecord[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      const r = JSON.parse(line) as JournalRecord;
      if (typeof r?.file === 'string' && typeof r.event === 'string') out.push(r);
    } catch {
      // a line cut short by a crash
    }
  }
  return out;
}

function lastRecords(text: string): Map<string, JournalRecord> {
  const last = new Map<string, JournalRecord>();
  for (const r of parseJournal(text)) last.set(r.file, r);
  return last;
}
