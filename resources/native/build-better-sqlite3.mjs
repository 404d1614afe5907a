#!/usr/bin/env node
/**
 * Builds better-sqlite3 for Electron's ABI into resources/native/<platform>-<arch>/
 * and leaves node_modules/better-sqlite3 alone: that one is built for Node and
 * serves the CLI, the tests and the benchmarks from the same checkout. The
 * Electron main process loads this copy through better-sqlite3's `nativeBinding`.
 *
 * Needs a C++ toolchain and Electron's headers: node-gyp downloads them from
 * electronjs.org, or, offline, ELECTRON_HEADERS_DIR names an unpacked
 * node-v<electron version>-headers.tar.gz from https://electronjs.org/headers.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';

const require = createRequire(import.meta.url);
const electronVersion = require('electron/package.json').version;
const sqlitePackage = require('better-sqlite3/package.json');
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const nodeGyp = require.resolve('node-gyp/bin/node-gyp.js');
const outDir = join(import.meta.dirname, `${process.platform}-${process.arch}`);

/** Runs node-gyp in `dir` for Electron; false when it failed (node-gyp has said why). */
function buildFor(dir) {
  const args = [
    'rebuild',
    '--release',
    '--runtime=electron',
    `--target=${electronVersion}`,
    `--arch=${process.arch}`,
    '--dist-url=https://electronjs.org/headers',
  ];
  if (process.env.ELECTRON_HEADERS_DIR) args.push(`--nodedir=${process.env.ELECTRON_HEADERS_DIR}`);
  // `npm run` exports npm's own nodedir setting; node-gyp would quietly build against Node's headers with it.
  const env = { ...process.env };
  delete env.npm_config_nodedir;
  delete env.NPM_CONFIG_NODEDIR;
  try {
    execFileSync(process.execPath, [nodeGyp, ...args], { cwd: dir, stdio: 'inherit', env });
    return true;
  } catch {
    return false;
  }
}

console.log(`Building better-sqlite3 ${sqlitePackage.version} for Electron ${electronVersion} (${process.platform}-${process.arch})`);
// Build in a copy, so a failure halfway cannot leave node_modules with a binary Node cannot load.
const work = mkdtempSync(join(tmpdir(), 'lamina-sqlite-electron-'));
const oldBuild = join(sqliteDir, 'build') + sep;
cpSync(sqliteDir, work, { recursive: true, filter: (path) => !(path + sep).startsWith(oldBuild) });
if (buildFor(work)) {
  mkdirSync(outDir, { recursive: true });
  copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), join(outDir, 'better_sqlite3.node'));
  // The app compares this with the Electron it runs in and refuses a binary for another one.
  writeFileSync(join(outDir, 'build.json'), `${JSON.stringify({ electron: electronVersion, betterSqlite3: sqlitePackage.version }, null, 2)}\n`);
  console.log(`Wrote ${join(outDir, 'better_sqlite3.node')}`);
} else {
  console.error(
    `native:electron: node-gyp failed (its output is above). Offline, download node-v${electronVersion}-headers.tar.gz ` +
      `from https://electronjs.org/headers/v${electronVersion}/, unpack it and set ELECTRON_HEADERS_DIR to that folder.`,
  );
  process.exitCode = 1;
}
rmSync(work, { recursive: true, force: true });
