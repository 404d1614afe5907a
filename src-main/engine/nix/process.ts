/**
 * The one place that starts Nix. Every Nix program runs in its own process group,
 * its output is read line by line as it comes, and an AbortSignal stops it: SIGTERM
 * to the group first (Nix then stops its builders itself), SIGKILL to the group and
 * to every builder group below it if Nix has not exited after a grace period.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { LaminaError } from '../../../src-shared/errors.js';
import { nixSearchPath } from './locate.js';
import { descendantGroups } from './process-tree.js';

export type NixProgram = 'nix' | 'nix-build' | 'nix-env' | 'nix-instantiate' | 'nix-store';

/** Flags that let Nix 2.4+ run the `nix` command (experimental until 2.19+). */
export const NIX_COMMAND_FLAGS = ['--extra-experimental-features', 'nix-command'];
/** The same for commands that take flake references. */
export const FLAKE_FLAGS = ['--extra-experimental-features', 'nix-command flakes'];

export const NIX_MISSING_MESSAGE =
  "Nix is not installed, or not where Lamina looks: apt-get install nix-bin (or see https://nixos.org/download), or name the folder with Nix's programs in Settings";

/** How long Nix gets to stop its builders after SIGTERM before everything is killed. */
export const KILL_GRACE_MS = 3000;

/** Error messages and the log tail are what callers need from stderr; a long build log is not kept whole. */
const STDERR_LINES_KEPT = 500;

export interface NixRunOptions {
  readonly onStdoutLine?: (line: string) => void;
  readonly onStderrLine?: (line: string) => void;
  readonly signal?: AbortSignal;
  readonly cwd?: string;
}

export interface NixRunResult {
  /** Null when the process ended by a signal. */
  readonly exitCode: number | null;
  readonly stdout: string;
  /** The last lines of stderr. */
  readonly stderr: readonly string[];
}

// Process groups still running, so that quitting Lamina does not leave builds behind.
const running = new Set<number>();
process.on('exit', () => {
  for (const pid of running) killGroup(pid, 'SIGTERM');
});

export function cancelledError(): LaminaError {
  return new LaminaError('Cancelled: Nix was stopped before it finished', 'cancelled');
}

/** Runs a Nix program to completion. A non-zero exit is returned, not thrown: callers know what it means. */
export function runNix(program: NixProgram, args: readonly string[], options: NixRunOptions = {}): Promise<NixRunResult> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(cancelledError());
  return new Promise((resolve, reject) => {
    // Looked up in (and run with) Lamina's Nix search path: Settings' folder, PATH, the usual install places.
    const env = { ...process.env, PATH: nixSearchPath() };
    const child = spawn(program, args, { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: string[] = [];
    let escalation: NodeJS.Timeout | undefined;
    let settled = false;

    const onAbort = (): void => {
      const pid = child.pid;
      if (pid === undefined) return;
      killGroup(pid, 'SIGTERM');
      escalation = setTimeout(() => void killEverything(pid), KILL_GRACE_MS);
    };
    const finish = (): void => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      clearTimeout(escalation);
      if (child.pid !== undefined) running.delete(child.pid);
    };

    child.on('error', (err: NodeJS.ErrnoException) => {
      if (settled) return;
      finish();
      if (err.code === 'ENOENT') reject(new LaminaError(NIX_MISSING_MESSAGE, 'nix-missing', { cause: err }));
      else reject(new LaminaError(`Could not start ${program}: ${err.message}`, 'nix-failed', { cause: err }));
    });
    if (child.pid === undefined) return;
    running.add(child.pid);
    signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    if (options.onStdoutLine) createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', options.onStdoutLine);
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      stderr.push(line);
      if (stderr.length > STDERR_LINES_KEPT) stderr.shift();
      options.onStderrLine?.(line);
    });

    child.on('close', (code) => {
      if (settled) return;
      finish();
      if (signal?.aborted) reject(cancelledError());
      else resolve({ exitCode: code, stdout: Buffer.concat(stdout).toString('utf8'), stderr });
    });
  });
}

async function killEverything(pid: number): Promise<void> {
  const builders = await descendantGroups(pid);
  killGroup(pid, 'SIGKILL');
  for (const group of builders) killGroup(group, 'SIGKILL');
}

function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone: nothing to stop.
  }
}
