/**
 * `mkdir -p` that always ends. Node's recursive mkdir loops forever where a
 * parent exists but refuses children with ENOENT (/proc, some FUSE mounts), so
 * a bad LAMINA_HOME or --out would hang Lamina. This makes one level at a time
 * and gives up with the real error.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

function notDirectory(dir: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: 'ENOTDIR', path: dir });
}

/** Creates `dir` and its missing parents (synchronous: a few syscalls). */
export function makeDirs(dir: string): void {
  try {
    mkdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      if (!statSync(dir).isDirectory()) throw notDirectory(dir);
      return;
    }
    if (code !== 'ENOENT' || dirname(dir) === dir) throw err;
    makeDirs(dirname(dir));
    try {
      mkdirSync(dir);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'EEXIST') throw again;
    }
  }
}
