import { hostname } from 'node:os';

/** `host:pid` of this process: who runs a job, recorded with it. */
export function ownerOfThisProcess(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * Whether the process that owns a job is gone, so the job can never finish.
 * Only answerable for processes on this host; a job owned elsewhere (a data dir
 * on a shared disk) is taken to be alive.
 */
export function ownerIsGone(owner: string, self: string = ownerOfThisProcess()): boolean {
  if (owner === self) return false;
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host !== self.slice(0, self.lastIndexOf(':'))) return false;
  // Our own pid under an older record means an earlier process that had this pid.
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
