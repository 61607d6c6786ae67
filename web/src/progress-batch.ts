/** Progress entries passed on at most every 100 ms (a tiny image runs hundreds of steps a second). */
import type { Progress } from '../../src/index.js';

export class ProgressBatch {
  private entries: Progress[] = [];
  private last = 0;

  constructor(
    private readonly send: (entries: Progress[], latest: Progress) => void,
    private readonly intervalMs = 100,
  ) {}

  add(p: Progress): void {
    this.entries.push(p);
    if (performance.now() - this.last >= this.intervalMs) this.flush();
  }

  flush(): void {
    const latest = this.entries.at(-1);
    if (!latest) return;
    this.send(this.entries, latest);
    this.entries = [];
    this.last = performance.now();
  }
}
