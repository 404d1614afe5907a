/**
 * How the CLI shows things to a person: sizes, ages, aligned tables, and build
 * progress (bars on a terminal, one line per step otherwise). Machines get
 * `--json` instead, and none of this.
 */
import { createRequire } from 'node:module';
import type { MultiBar as MultiBarClass, Presets as PresetsValue, SingleBar } from 'cli-progress';
import { conflictLine } from '../engine/builder/conflicts.js';
import type { BuildEvent, BuildEventListener } from '../../src-shared/build-events.js';
import { formatBytes } from '../../src-shared/format-bytes.js';
import { formatNixLogLine } from '../engine/nix/log.js';

export function formatAge(timeMs: number, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - timeMs) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}

/** `sha256:0123456789ab…` -> `0123456789ab`. */
export function shortDigest(digest: string): string {
  return digest.replace(/^sha256:/, '').slice(0, 12);
}

/** Columns padded to the widest cell; numbers (cells starting with a digit and a size or count) right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d.]+( [KMGTP]?B)?$/.test(r[i] ?? '')));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export interface BuildProgress {
  readonly onEvent: (event: BuildEvent) => void;
  stop(): void;
}

/** Conflicts in the customisation layer and what the build worked around, one `lamina: …` line each: shown even with --json, on stderr. */
export function conflictWarnings(write: (text: string) => void): BuildEventListener {
  return (event) => {
    if (event.type === 'conflicts') for (const conflict of event.conflicts) write(`lamina: ${conflictLine(conflict)}\n`);
    if (event.type === 'warning') write(`lamina: warning: ${event.text}\n`);
  };
}

const LAYER_SOURCE_WORDS = { local: 'cached', team: 'from the team cache', built: 'written' } as const;

/** Progress for a person: bars on a terminal, plain lines on stderr otherwise. */
export function buildProgress(stream: NodeJS.WriteStream = process.stderr): BuildProgress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}

function lineProgress(stream: NodeJS.WriteStream): BuildProgress {
  let total = 0;
  const warn = conflictWarnings((text) => stream.write(text));
  return {
    onEvent: (event) => {
      warn(event);
      if (event.type === 'phase' && event.phase !== 'done') stream.write(`lamina: ${event.phase}\n`);
      else if (event.type === 'nix-log') stream.write(`  ${formatNixLogLine(event)}\n`);
      else if (event.type === 'plan') {
        total = event.layers.length;
        stream.write(`lamina: ${event.closurePaths} store paths (${formatBytes(event.closureNarSize)}) in ${total} layers\n`);
      } else if (event.type === 'layer-done') {
        const how = LAYER_SOURCE_WORDS[event.source];
        stream.write(`  layer ${event.index + 1}/${total} ${how} ${shortDigest(event.digest)} ${formatBytes(event.size)}\n`);
      }
    },
    stop: () => undefined,
  };
}

function barProgress(stream: NodeJS.WriteStream): BuildProgress {
  // Loaded only for a terminal: commands that merely use this file's helpers need none of its 20 files.
  const { MultiBar, Presets } = createRequire(import.meta.url)('cli-progress') as { MultiBar: typeof MultiBarClass; Presets: typeof PresetsValue };
  const multi = new MultiBar(
    { stream, format: ' {label} [{bar}] {percentage}% {status}', hideCursor: true, clearOnComplete: false, autopadding: true },
    Presets.shades_classic,
  );
  const bars = new Map<number, SingleBar>();
  let total = 0;
  let stopped = false;
  const warn = conflictWarnings((text) => multi.log(text));
  return {
    onEvent: (event) => {
      warn(event);
      if (event.type === 'phase' && event.phase !== 'layers' && event.phase !== 'done') {
        multi.log(`lamina: ${event.phase}\n`);
      } else if (event.type === 'nix-log') {
        multi.log(`  ${formatNixLogLine(event)}\n`);
      } else if (event.type === 'plan') {
        total = event.layers.length;
        multi.log(`lamina: ${event.closurePaths} store paths (${formatBytes(event.closureNarSize)}) in ${total} layers\n`);
        for (const layer of event.layers) {
          const label = `layer ${String(layer.index + 1).padStart(String(total).length)}/${total}`;
          bars.set(layer.index, multi.create(Math.max(1, layer.narSize), 0, { label, status: 'waiting' }));
        }
      } else if (event.type === 'layer-started') {
        bars.get(event.index)?.update({ status: 'working' });
      } else if (event.type === 'layer-progress') {
        bars.get(event.index)?.update(Math.min(event.tarBytes, Math.max(1, event.narSize)));
      } else if (event.type === 'layer-done') {
        const bar = bars.get(event.index);
        bar?.update(bar.getTotal(), { status: `${LAYER_SOURCE_WORDS[event.source]} ${shortDigest(event.digest)} ${formatBytes(event.size)}` });
      }
    },
    // Stopping twice would redraw the bars over what was printed after them.
    stop: () => {
      if (stopped) return;
      stopped = true;
      multi.stop();
    },
  };
}
