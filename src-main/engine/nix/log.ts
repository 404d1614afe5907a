/**
 * Reads Nix's `--log-format internal-json` stderr. That format names the derivation
 * (and the remote machine, if any) of every build and tags each builder output line
 * with its build's activity id, so lines are attributed correctly even when several
 * builds run at once and interleave.
 */
import { stripVTControlCharacters } from 'node:util';
import { storePathName } from '../closure/graph.js';
import { redactCredentials } from './redact.js';

/** One line of Nix output for a person, with the derivation it belongs to when Nix says so. */
export interface NixLogLine {
  readonly text: string;
  /** The `.drv` being built, for `building '…'` lines and that build's output. */
  readonly drv?: string;
  /** The remote builder (e.g. `ssh://host`) when the build did not run locally. */
  readonly host?: string;
}

/**
 * The line as one line for a person: `[hello] text`, `[hello@builder1] text` for
 * a remote build (the machine without scheme or user), or bare when Nix did not
 * say which derivation it came from.
 */
export function formatNixLogLine(line: NixLogLine): string {
  if (!line.drv) return line.text;
  const name = storePathName(line.drv.replace(/\.drv$/, ''));
  const host = line.host?.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '');
  return `[${host ? `${name}@${host}` : name}] ${line.text}`;
}

// Numbers from Nix's logging.hh (stable since Nix 2.0).
const ACT_BUILD = 105;
const RES_BUILD_LOG_LINE = 101;
const RES_POST_BUILD_LOG_LINE = 107;
const LEVEL_ERROR = 0;
/** Nix shows messages and activities up to this level by default; the rest is debug noise. */
const LEVEL_INFO = 3;

interface JsonLogEntry {
  action?: unknown;
  id?: unknown;
  level?: unknown;
  type?: unknown;
  text?: unknown;
  msg?: unknown;
  fields?: unknown;
}

interface Build {
  readonly drv: string;
  readonly host?: string;
}

export class NixLogReader {
  /** Error messages (ANSI codes removed), in the order Nix printed them. */
  readonly errors: string[] = [];
  private readonly builds = new Map<number, Build>();
  private readonly lastLines = new Map<string, string>();

  private readonly onLog: ((line: NixLogLine) => void) | undefined;

  constructor(onLog?: (line: NixLogLine) => void) {
    // Nix echoes the source it fetches, credentials and all; lines go on to logs and the database.
    this.onLog = onLog && ((line) => onLog({ ...line, text: redactCredentials(line.text) }));
  }

  /** Feeds one stderr line. */
  read(line: string): void {
    const entry = line.startsWith('@nix ') ? parseEntry(line.slice(5)) : undefined;
    if (!entry) return this.readPlain(line);
    switch (entry.action) {
      case 'msg':
        return this.readMessage(entry);
      case 'start':
        return this.readStart(entry);
      case 'result':
        return this.readResult(entry);
      case 'stop':
        if (typeof entry.id === 'number') this.builds.delete(entry.id);
    }
  }

  /** The last line the builder of `drv` printed, if it printed any. */
  lastLogLine(drv: string): string | undefined {
    return this.lastLines.get(drv);
  }

  // Before Nix sets up its logger (bad flags, for one) it prints plain text.
  private readPlain(line: string): void {
    const text = stripVTControlCharacters(line);
    if (text.startsWith('error:')) this.errors.push(text);
    this.onLog?.({ text });
  }

  private readMessage(entry: JsonLogEntry): void {
    if (typeof entry.msg !== 'string' || typeof entry.level !== 'number') return;
    const text = stripVTControlCharacters(entry.msg);
    if (entry.level === LEVEL_ERROR) this.errors.push(text);
    if (entry.level > LEVEL_INFO) return;
    for (const part of text.split('\n')) this.onLog?.({ text: part });
  }

  private readStart(entry: JsonLogEntry): void {
    const text = typeof entry.text === 'string' ? stripVTControlCharacters(entry.text) : '';
    if (entry.type === ACT_BUILD && typeof entry.id === 'number' && Array.isArray(entry.fields)) {
      const [drv, host] = entry.fields as unknown[];
      if (typeof drv !== 'string') return;
      const build: Build = typeof host === 'string' && host !== '' ? { drv, host } : { drv };
      this.builds.set(entry.id, build);
      this.onLog?.({ text: text || `building '${drv}'`, ...build });
      return;
    }
    if (text !== '' && typeof entry.level === 'number' && entry.level <= LEVEL_INFO) this.onLog?.({ text });
  }

  private readResult(entry: JsonLogEntry): void {
    if (entry.type !== RES_BUILD_LOG_LINE && entry.type !== RES_POST_BUILD_LOG_LINE) return;
    const build = typeof entry.id === 'number' ? this.builds.get(entry.id) : undefined;
    const [raw] = Array.isArray(entry.fields) ? (entry.fields as unknown[]) : [];
    if (!build || typeof raw !== 'string') return;
    const text = stripVTControlCharacters(raw);
    if (text.trim() !== '') this.lastLines.set(build.drv, text);
    this.onLog?.({ text, ...build });
  }
}

function parseEntry(json: string): JsonLogEntry | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null ? (value as JsonLogEntry) : undefined;
  } catch {
    return undefined;
  }
}
