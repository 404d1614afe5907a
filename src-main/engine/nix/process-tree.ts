/**
 * Which process groups descend from a process. Nix starts each builder with
 * setsid(), so a builder is not in Nix's process group: when Nix itself has to be
 * killed (it ignored SIGTERM), its builders would live on as orphans unless their
 * groups are found while Nix is still their parent.
 */
import { execFile } from 'node:child_process';

interface ProcessRow {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
}

/** Process group ids of every descendant of `pid` (not including `pid`'s own group). */
export async function descendantGroups(pid: number): Promise<number[]> {
  const rows = await listProcesses();
  const children = new Map<number, ProcessRow[]>();
  let ownGroup = pid;
  for (const row of rows) {
    if (row.pid === pid) ownGroup = row.pgid;
    const siblings = children.get(row.ppid) ?? [];
    siblings.push(row);
    children.set(row.ppid, siblings);
  }
  const groups = new Set<number>();
  const stack = [pid];
  while (stack.length > 0) {
    for (const child of children.get(stack.pop()!) ?? []) {
      if (child.pgid !== ownGroup) groups.add(child.pgid);
      stack.push(child.pid);
    }
  }
  return [...groups];
}

// `ps -A -o pid=,ppid=,pgid=` reads the same on Linux (procps) and macOS.
function listProcesses(): Promise<ProcessRow[]> {
  return new Promise((resolve) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,pgid='], { maxBuffer: 16 << 20 }, (err, stdout) => {
      // Without ps there is nothing more to find; killing Nix's own group still happens.
      if (err) return resolve([]);
      const rows: ProcessRow[] = [];
      for (const line of stdout.split('\n')) {
        const [pid, ppid, pgid] = line.trim().split(/\s+/).map(Number);
        if (pid && ppid !== undefined && pgid) rows.push({ pid, ppid, pgid });
      }
      resolve(rows);
    });
  });
}
