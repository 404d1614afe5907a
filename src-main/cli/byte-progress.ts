/**
 * Byte-level progress for long transfers and reads (push, inspect --files, cache
 * verify): one bar per item in flight, removed when it is done, and a total bar.
 * Only for a person at a terminal: undefined when stderr is not a TTY or --json is
 * on, and callers then print their plain lines (or nothing) instead.
 */
import { createRequire } from 'node:module';
import type { MultiBar as MultiBarClass, Presets as PresetsValue, SingleBar } from 'cli-progress';
import { formatBytes } from '../../src-shared/format-bytes.js';

export interface ByteProgress {
  /** Starts or moves an item's bar to `bytes` of `total`. */
  item(id: string, label: string, bytes: number, total: number): void;
  /** Ends an item's bar; `line` is printed above the bars. */
  itemDone(id: string, line?: string): void;
  /** Moves the total bar to `bytes`. */
  total(bytes: number): void;
  log(line: string): void;
  stop(): void;
}

export function byteProgress(label: string, totalBytes: number, options: { json?: boolean | undefined }, stream: NodeJS.WriteStream = process.stderr): ByteProgress | undefined {
  if (options.json || !stream.isTTY) return undefined;
  // Loaded only for a terminal: scripts and --json runs need none of its 20 files.
  const { MultiBar, Presets } = createRequire(import.meta.url)('cli-progress') as { MultiBar: typeof MultiBarClass; Presets: typeof PresetsValue };
  const multi = new MultiBar(
    { stream, format: ' {label} [{bar}] {percentage}% {done} of {size}', hideCursor: true, clearOnComplete: false, autopadding: true, etaBuffer: 50 },
    Presets.shades_classic,
  );
  const payload = (bytes: number, total: number, name: string) => ({ label: name, done: formatBytes(bytes), size: formatBytes(total) });
  const totalBar = multi.create(Math.max(1, totalBytes), 0, payload(0, totalBytes, label));
  const items = new Map<string, SingleBar>();
  let stopped = false;
  return {
    item(id, name, bytes, total) {
      let bar = items.get(id);
      if (!bar) {
        bar = multi.create(Math.max(1, total), 0, payload(0, total, name));
        items.set(id, bar);
      }
      bar.update(Math.min(bytes, Math.max(1, total)), payload(bytes, total, name));
    },
    itemDone(id, line) {
      const bar = items.get(id);
      if (bar) multi.remove(bar);
      items.delete(id);
      if (line) multi.log(`${line}\n`);
    },
    total(bytes) {
      totalBar.update(Math.min(bytes, Math.max(1, totalBytes)), payload(bytes, totalBytes, label));
    },
    log(line) {
      multi.log(`${line}\n`);
    },
    // Stopping twice would redraw the bars over what was printed after them.
    stop() {
      if (stopped) return;
      stopped = true;
      // Lines logged since the last redraw wait in cli-progress's buffer: draw once more so none is lost.
      multi.update();
      multi.stop();
    },
  };
}
