import { homedir } from 'node:os';
import { join } from 'node:path';
import { LaminaError } from '../../src-shared/errors.js';
import { makeDirs } from './make-dirs.js';

/**
 * Lamina's data dir, shared by the CLI and the app so they share one cache:
 * LAMINA_HOME if set, else the folder Electron's `app.getPath('userData')` gives
 * for an app named Lamina on this platform.
 */
export function laminaHome(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.LAMINA_HOME) return env.LAMINA_HOME;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Lamina');
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Lamina');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Lamina');
}

/** Makes `dirs` (folders of the data dir `root`, by default `root` itself), or says in one line why `root` cannot be used. */
export function makeDataDirs(root: string, dirs: readonly string[] = [root]): void {
  try {
    for (const dir of dirs) makeDirs(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new LaminaError(`cannot use ${root} as Lamina's data dir (${code}); set LAMINA_HOME to a writable folder`, 'data-dir', { cause: err });
  }
}
