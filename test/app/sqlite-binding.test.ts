import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronSqliteBinding, nativeDir } from '../../src-main/app/sqlite-binding.js';
import { openEngineServices } from '../../src-main/ipc/engine-services.js';

/** A resources folder as `npm run native:electron` leaves it, for the given Electron version. */
function resourcesWith(electron: string | null, binary: string | null): string {
  const root = mkdtempSync(join(tmpdir(), 'lamina-resources-'));
  const dir = nativeDir(root);
  mkdirSync(dir, { recursive: true });
  if (binary) copyFileSync(binary, join(dir, 'better_sqlite3.node'));
  if (electron) writeFileSync(join(dir, 'build.json'), JSON.stringify({ electron, betterSqlite3: '12.11.1' }));
  return root;
}

// Node's own build stands in for Electron's (Electron cannot run here): what is
// checked is that the engine opens its database through a binding found outside node_modules.
const nodeBuild = join(dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

describe("the Electron main process's better-sqlite3", () => {
  it('opens the database through the binding in resources/native', async () => {
    const binding = electronSqliteBinding(resourcesWith('39.8.10', nodeBuild), '39.8.10');
    expect(binding).toMatch(/native\/linux-x64\/better_sqlite3\.node$/);
    const services = openEngineServices({ home: mkdtempSync(join(tmpdir(), 'lamina-home-')), nativeBinding: binding });
    expect(services.runner.list()).toEqual([]);
    await services.close();
  });

  it('refuses a missing build with the command that makes it', () => {
    expect(() => electronSqliteBinding(resourcesWith(null, null), '39.8.10')).toThrow(
      /^better-sqlite3 is not built for Electron \(.*better_sqlite3\.node is missing\): run `npm run native:electron`/,
    );
  });

  it('refuses a build for another Electron major, which would crash on load', () => {
    expect(() => electronSqliteBinding(resourcesWith('38.2.0', nodeBuild), '39.8.10')).toThrow(
      'better-sqlite3 was built for Electron 38.2.0 but this is Electron 39.8.10: run `npm run native:electron`',
    );
  });
});
