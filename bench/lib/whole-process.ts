/**
 * Whole-process measurement for the benchmarks: each run is a command as a user
 * types it, timed by GNU time (wall, CPU, peak RSS of the process tree's largest
 * member), tools taking turns round after round, medians reported. The machine
 * may be shared: the load average is printed beside every table, and CPU seconds
 * (which load inflates far less than wall time) beside wall seconds.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';

export const MB = 1e6;
export const LAMINA = join(import.meta.dirname, '..', '..', 'bin', 'lamina.mjs');

export interface Run {
  /** Wall-clock seconds. */
  wall: number;
  /** User + system CPU seconds. */
  cpu: number;
  /** Peak resident set, MB. */
  rssMb: number;
  stdout: string;
}

/** Runs `command` under /usr/bin/time; throws with its stderr when it fails. */
export function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Run {
  const res = spawnSync('/usr/bin/time', ['-f', 'TIMED %e %U %S %M', command, ...args], { encoding: 'utf8', env, maxBuffer: 1 << 28 });
  const line = (res.stderr ?? '').split('\n').find((l) => l.startsWith('TIMED '));
  if (res.status !== 0 || !line) throw new Error(`${command} ${args.join(' ').slice(0, 200)} failed (${res.status}): ${res.stderr?.slice(-2000)}`);
  const [wall, user, sys, rssKb] = line.slice(6).split(' ').map(Number) as [number, number, number, number];
  return { wall, cpu: user + sys, rssMb: rssKb / 1024, stdout: res.stdout };
}

/** A shell script as one timed process (its children included in CPU; RSS is the largest one's). */
export function timedShell(script: string, env?: NodeJS.ProcessEnv): Run {
  return timed('bash', ['-e', '-o', 'pipefail', '-c', script], env);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function load(): string {
  return `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores`;
}

export interface Summary {
  wall: number;
  cpu: number;
  rssMb: number;
  /** Every run's wall seconds, in order, to show the spread. */
  walls: number[];
}

export function summarise(runs: readonly Run[]): Summary {
  return {
    wall: median(runs.map((r) => r.wall)),
    cpu: median(runs.map((r) => r.cpu)),
    rssMb: Math.max(...runs.map((r) => r.rssMb)),
    walls: runs.map((r) => r.wall),
  };
}

/** One table row: median wall and CPU seconds, peak RSS, the runs, and the ratio to a reference. */
export function row(label: string, s: Summary, reference?: Summary, extra = ''): string {
  const ratio = reference ? `${(s.wall / reference.wall).toFixed(2)}x wall, ${(s.cpu / reference.cpu).toFixed(2)}x CPU` : '';
  return (
    `  ${label.padEnd(30)} ${s.wall.toFixed(2).padStart(7)} s ${s.cpu.toFixed(2).padStart(7)} s CPU ${s.rssMb.toFixed(0).padStart(6)} MB RSS` +
    `  [${s.walls.map((w) => w.toFixed(2)).join(' ')}]  ${ratio}${extra}`
  );
}
