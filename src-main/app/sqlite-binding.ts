/**
 * Which better-sqlite3 binary the Electron main process loads. node_modules keeps
 * the build for Node (the CLI, tests, benchmarks); Electron has another ABI, so
 * `npm run native:electron` builds a second copy into resources/native/, and the
 * packaged app carries it in its resources folder.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LaminaError } from '../../src-shared/errors.js';

export interface NativeBuildInfo {
  /** The Electron version the binary was built against. */
  readonly electron: string;
}

const FIX = 'run `npm run native:electron` in the Lamina checkout (see README), then start the app again';

/** The folder of this platform's build: `<resources>/native/<platform>-<arch>`. */
export function nativeDir(resourcesRoot: string): string {
  return join(resourcesRoot, 'native', `${process.platform}-${process.arch}`);
}

/**
 * The binding's path, checked against the running Electron: a binary for another
 * major version would crash on load, so it is refused here with what to do.
 */
export function electronSqliteBinding(resourcesRoot: string, electronVersion: string): string {
  const dir = nativeDir(resourcesRoot);
  const binding = join(dir, 'better_sqlite3.node');
  const infoFile = join(dir, 'build.json');
  if (!existsSync(binding) || !existsSync(infoFile)) {
    throw new LaminaError(`better-sqlite3 is not built for Electron (${binding} is missing): ${FIX}`, 'sqlite-binding-missing');
  }
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as NativeBuildInfo;
  const major = (version: string): string => version.split('.')[0] ?? version;
  if (major(info.electron) !== major(electronVersion)) {
    throw new LaminaError(
      `better-sqlite3 was built for Electron ${info.electron} but this is Electron ${electronVersion}: ${FIX}`,
      'sqlite-binding-stale',
    );
  }
  return binding;
}
