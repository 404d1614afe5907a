/**
 * What Settings shows about Nix: which binary runs, its version, the builders
 * Nix itself is configured with (nix.conf), and the two Nix settings of Lamina:
 * the folder with Nix's programs (searched before PATH) and the builders passed
 * to its builds (`--builders`), which win over nix.conf's.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Db } from '../db/database.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { nixSearchPath, useNixFrom } from '../nix/locate.js';
import { NIX_COMMAND_FLAGS, runNix } from '../nix/process.js';
import { readSetting, writeSetting } from './setting-rows.js';
import type { NixFacts } from '../../../src-shared/settings.js';

const BUILDERS_KEY = 'nix.builders';
/** The settings row of the folder with Nix's programs (the CLI reads it too). */
export const NIX_DIR_KEY = 'nix.dir';

async function onPath(program: string, path: string): Promise<string | null> {
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const file = join(dir, program);
    if (await access(file, constants.X_OK).then(() => true, () => false)) return file;
  }
  return null;
}

/** `nix show-config` as key = value lines; only the keys asked for. */
async function nixConfig(keys: readonly string[]): Promise<Map<string, string>> {
  const result = await runNix('nix', [...NIX_COMMAND_FLAGS, 'show-config']);
  if (result.exitCode !== 0) throw new LaminaError(`nix show-config failed: ${result.stderr.at(-1) ?? 'no message'}; check the Nix installation`, 'nix-failed');
  const found = new Map<string, string>();
  for (const line of result.stdout.split('\n')) {
    const eq = line.indexOf(' = ');
    if (eq > 0 && keys.includes(line.slice(0, eq))) found.set(line.slice(0, eq), line.slice(eq + 3).trim());
  }
  return found;
}

export async function nixFacts(db: Db): Promise<NixFacts> {
  const binary = await onPath('nix-build', nixSearchPath());
  const settings = { builders: buildersSetting(db), nixDir: nixDirSetting(db) };
  const unknown = { version: null, configBuilders: null, system: null };
  if (!binary) {
    const error = settings.nixDir
      ? `there is no nix-build in ${settings.nixDir} (set in Settings), on PATH or where Nix installs itself; fix the folder or install Nix`
      : "Nix is not on PATH or where Nix installs itself: apt-get install nix-bin (or see https://nixos.org/download), or name the folder with Nix's programs below";
    return { binary: null, error, ...unknown, ...settings };
  }
  try {
    const version = (await runNix('nix', [...NIX_COMMAND_FLAGS, '--version'])).stdout.trim();
    const config = await nixConfig(['builders', 'system']);
    return { binary, error: null, version, configBuilders: config.get('builders') ?? '', system: config.get('system') ?? null, ...settings };
  } catch (err) {
    return { binary, error: err instanceof LaminaError ? err.message : String(err), ...unknown, ...settings };
  }
}

/** The folder with Nix's programs the user chose, or null to use PATH and the usual install places. */
export function nixDirSetting(db: Db): string | null {
  return readSetting(db, NIX_DIR_KEY);
}

/** Makes this process look for Nix where the data dir's settings say (the app at start, the CLI before a command). */
export function applyNixDirSetting(db: Db): void {
  useNixFrom(nixDirSetting(db));
}

/** Sets (or with null, clears) the folder searched for Nix's programs first; it must hold an executable nix-build. */
export async function setNixDirSetting(db: Db, dir: string | null): Promise<void> {
  const folder = dir === null ? null : await checkedNixDir(dir);
  writeSetting(db, NIX_DIR_KEY, folder);
  useNixFrom(folder);
}

async function checkedNixDir(dir: string): Promise<string> {
  const folder = dir.trim().replace(/\/+$/, '') || '/';
  if (!isAbsolute(folder)) throw new LaminaError(`give the folder as an absolute path, e.g. /nix/var/nix/profiles/default/bin (not ${folder})`, 'bad-nix-dir');
  if (!(await onPath('nix-build', folder))) {
    throw new LaminaError(`there is no nix-build in ${folder}; give the folder that holds Nix's programs, e.g. /nix/var/nix/profiles/default/bin`, 'bad-nix-dir');
  }
  return folder;
}

/** The builders the user set for Lamina's builds, or null to leave Nix's own. */
export function buildersSetting(db: Db): string | null {
  return readSetting(db, BUILDERS_KEY);
}

/** Sets (or with null, clears) the builders passed to Nix as `--builders`; nix.conf syntax, checked by Nix at build time. */
export function setBuildersSetting(db: Db, builders: string | null): void {
  if (builders !== null && /[\n\r]/.test(builders)) throw new LaminaError('give the builders on one line, separated by ";" as in nix.conf', 'bad-builders');
  writeSetting(db, BUILDERS_KEY, builders === null ? null : builders.trim());
}
