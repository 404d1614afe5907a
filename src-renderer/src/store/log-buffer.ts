import type { LogLine } from '../../../src-shared/jobs';

/**
 * One job's log as the page holds it: dense by seq (line n at index n-1), fed
 * from two sources that overlap and race, the stored history (paged) and live
 * events. Lines ahead of a gap wait until the gap is filled; repeats are dropped.
 */
export class LogBuffer {
  readonly lines: LogLine[] = [];
  private readonly early = new Map<number, LogLine>();

  /** Adds lines from either source; returns whether any became visible. */
  add(incoming: readonly LogLine[]): boolean {
    const before = this.lines.length;
    for (const line of incoming) {
      if (line.seq > this.lines.length) this.early.set(line.seq, line);
    }
    let next: LogLine | undefined;
    while ((next = this.early.get(this.lines.length + 1))) {
      this.early.delete(next.seq);
      this.lines.push(next);
    }
    return this.lines.length > before;
  }
}
