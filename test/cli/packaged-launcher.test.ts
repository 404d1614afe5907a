/**
 * The `lamina` command that ships in the deb and AppImage: a launcher that runs
 * the app's Electron binary as Node on the bundled CLI. Electron cannot be
 * downloaded here, so Node stands in for it (ELECTRON_RUN_AS_NODE=1 is what makes
 * Electron behave as Node); the stand-in refuses to run without that variable.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cliArgv, freshHome } from './run-cli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const LAUNCHER = join(ROOT, 'resources/bin/lamina');

interface BuilderConfig {
  productName: string;
  files: string[];
  extraResources: { from: string; to: string }[];
  linux: { executableName: string };
  deb: { fpm: string[] };
}

describe('the electron-builder config', () => {
  const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

  it('packs the launcher into resources/bin and the bundled CLI into the app', () => {
    expect(config.extraResources).toContainEqual({ from: 'resources/bin/lamina', to: 'bin/lamina' });
    expect(config.files).toContain('out/**');
    expect(statSync(LAUNCHER).mode & 0o111).toBe(0o111);
    // The launcher runs the binary electron-builder names after linux.executableName.
    expect(readFileSync(LAUNCHER, 'utf8')).toContain(`$app/${config.linux.executableName}`);
  });

  it('links /usr/bin/lamina in the deb to where the deb installs the launcher', () => {
    const mapping = config.deb.fpm.find((arg) => arg.endsWith('=/usr/bin/lamina'));
    expect(mapping).toBeDefined();
    const link = join(ROOT, mapping!.split('=')[0]!);
    // electron-builder installs a deb's app in /opt/<productName>.
    expect(readlinkSync(link)).toBe(`/opt/${config.productName}/resources/bin/lamina`);
  });
});

describe('the launcher, with Node standing in for Electron', () => {
  let app: string;
  let onPath: string;
  let seen: string;
  beforeAll(() => {
    cliArgv([]); // fails early, with what to do, when the CLI is not built
    app = mkdtempSync(join(tmpdir(), 'lamina-installed-'));
    seen = join(app, 'seen-env');
    // What electron-builder lays out: the binary, resources/app.asar (a folder here), resources/bin.
    writeFileSync(
      join(app, 'lamina-app'),
      `#!/bin/sh\n[ "$ELECTRON_RUN_AS_NODE" = 1 ] || { echo "started as the app, not as Node" >&2; exit 9; }\nprintf '%s' "\${LAMINA_SQLITE_BINDING:-}" > '${seen}'\nexec '${process.execPath}' "$@"\n`,
    );
    chmodSync(join(app, 'lamina-app'), 0o755);
    mkdirSync(join(app, 'resources/app.asar'), { recursive: true });
    symlinkSync(join(ROOT, 'out'), join(app, 'resources/app.asar/out'));
    symlinkSync(join(ROOT, 'node_modules'), join(app, 'resources/app.asar/node_modules'));
    copyFileSync(join(ROOT, 'package.json'), join(app, 'resources/app.asar/package.json'));
    mkdirSync(join(app, 'resources/bin'));
    copyFileSync(LAUNCHER, join(app, 'resources/bin/lamina'));
    chmodSync(join(app, 'resources/bin/lamina'), 0o755);
    // The deb's /usr/bin/lamina is a symlink: the launcher must find the app through it.
    onPath = join(mkdtempSync(join(tmpdir(), 'lamina-usr-bin-')), 'lamina');
    symlinkSync(join(app, 'resources/bin/lamina'), onPath);
  });

  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(onPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });

  it('runs the bundled CLI through a symlink on PATH', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(run(['--version'])).toMatchObject({ status: 0, stdout: `${version}\n` });
    const images = run(['images', '--json'], { LAMINA_HOME: freshHome() });
    expect(images.stderr).toBe('');
    expect(images.stdout).toBe('[]\n');
  });

  it('hands the CLI the Electron build of better-sqlite3 when the app carries one', () => {
    const arch = { x64: 'x64', arm64: 'arm64', arm: 'armv7l' }[process.arch as string] ?? process.arch;
    const native = join(app, `resources/native/linux-${arch}`);
    mkdirSync(native, { recursive: true });
    // Node stands in for Electron, so Node's build stands in for Electron's.
    copyFileSync(join(ROOT, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'), join(native, 'better_sqlite3.node'));
    const images = run(['images', '--json'], { LAMINA_HOME: freshHome() });
    expect(images.status, images.stderr).toBe(0);
    expect(readFileSync(seen, 'utf8')).toBe(join(native, 'better_sqlite3.node'));
  });

  it('says in one line when the app binary is gone', () => {
    const result = run(['--version'], { LAMINA_ELECTRON: join(app, 'missing') });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`lamina: the app's binary ${join(app, 'missing')} is missing; reinstall Lamina\n`);
  });
});
