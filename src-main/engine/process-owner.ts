import { hostname } from 'node:os';

// When this process started, to the millisecond: with the pid, it names this
// process apart from an earlier one that had the same pid (containers reuse pids).
const STARTED = Math.round(performance.timeOrigin);

/** `host:pid:started` of this process: who runs a job or holds a blob lease, recorded with it. */
export function ownerOfThisProcess(): string {
  return `${hostname()}:${process.pid}:${STARTED}`;
}

function parseOwner(owner: string): { host: string; pid: number; started: number } {
  const parts = owner.split(':');
  const started = Number(parts.pop());
  const pid = Number(parts.pop());
  return { host: parts.join(':'), pid, started };
}

/**
 * Whether the process that owns a job is gone, so the job can never finish.
 * Only answerable for processes on this host; a job owned elsewhere (a data dir
 * on a shared disk) is taken to be alive.
 */
export function ownerIsGone(owner: string): boolean {
  const them = parseOwner(owner);
  if (them.host !== hostname()) return false;
  if (them.pid === process.pid) return them.started !== STARTED;
  try {
    process.kill(them.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
