/**
 * A Nix command started before its caller is ready for it: `lamina build` starts
 * the build's Nix command before it loads the rest of the engine, so that Nix
 * works while Node loads code. The command the build then runs is taken up if
 * it is the same program with the same arguments, found on the same search path
 * (a Nix folder chosen in Settings meanwhile means another nix-build); any other
 * is stopped, and has ended, before the build starts its own. One never taken up
 * is stopped by stopEarlyRun (and, failing that, when the process exits: see
 * runNix).
 */
import { nixSearchPath } from './locate.js';
import { runNix, type NixProgram, type NixRunResult } from './process.js';

export interface EarlyRun {
  /** Nix's answer; `onStderrLine` gets the lines printed so far, then the rest as they come. */
  result(signal: AbortSignal | undefined, onStderrLine: (line: string) => void): Promise<NixRunResult>;
}

interface Started extends EarlyRun {
  readonly key: string;
  /** Stops it; settles once the process has ended. */
  stop(): Promise<void>;
}

let started: Started | undefined;

function keyOf(program: NixProgram, args: readonly string[]): string {
  return JSON.stringify([nixSearchPath(), program, args]);
}

/** Starts `program args` now for takeEarlyRun to hand over; one at a time (a second call is ignored). */
export function startEarlyRun(program: NixProgram, args: readonly string[]): void {
  if (started) return;
  const stop = new AbortController();
  const lines: string[] = [];
  let sink: ((line: string) => void) | undefined;
  const running = runNix(program, args, { signal: stop.signal, onStderrLine: (line) => (sink ? sink(line) : lines.push(line)) });
  // Its failure is the taker's to report; runNix settles only once the process has ended.
  const ended = running.then(
    () => undefined,
    () => undefined,
  );
  started = {
    key: keyOf(program, args),
    stop: () => {
      stop.abort();
      return ended;
    },
    result(signal, onStderrLine) {
      for (const line of lines.splice(0)) onStderrLine(line);
      sink = onStderrLine;
      if (signal?.aborted) stop.abort();
      else signal?.addEventListener('abort', () => stop.abort(), { once: true });
      return running;
    },
  };
}

/** The early run of exactly `program args`, once; an early run of anything else is stopped (and has ended) first. */
export async function takeEarlyRun(program: NixProgram, args: readonly string[]): Promise<EarlyRun | undefined> {
  const early = started;
  if (early === undefined) return undefined;
  started = undefined;
  if (early.key === keyOf(program, args)) return early;
  await early.stop();
  return undefined;
}

/** Whether an early run waits to be taken up. */
export function hasEarlyRun(): boolean {
  return started !== undefined;
}

/** Stops the early run nobody took up, if any; settles once it has ended. */
export async function stopEarlyRun(): Promise<void> {
  const early = started;
  started = undefined;
  await early?.stop();
}
