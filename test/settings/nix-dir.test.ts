/**
 * The folder with Nix's programs, set in Settings: with nothing on PATH, real Nix
 * is found and run from it, by the engine and by the CLI; a folder without Nix
 * is refused in one line.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { buildAttrs } from '../../src-main/engine/nix/build.js';
import { useNixFrom } from '../../src-main/engine/nix/locate.js';
import { parseSource } from '../../src-main/engine/nix/source.js';
import { nixFacts, setNixDirSetting } from '../../src-main/engine/settings/nix-settings.js';
import { runCli } from '../cli/run-cli.js';

const PATH = process.env.PATH;
const realNix = (): string => {
  for (const dir of (PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'nix-build'))) return dir;
  throw new Error('nix-build is not on PATH');
};

afterEach(() => {
  process.env.PATH = PATH;
  useNixFrom(null);
});

describe('the Nix folder setting', () => {
  it('finds and runs Nix from the chosen folder when PATH has none, and refuses a folder without it', async () => {
    const nixDir = realNix();
    const home = mkdtempSync(join(tmpdir(), 'lamina-nix-dir-'));
    const db = openDatabase(join(home, 'lamina.db'));
    try {
      process.env.PATH = mkdtempSync(join(tmpdir(), 'lamina-empty-path-'));
      const missing = await nixFacts(db);
      expect(missing.binary).toBeNull();
      expect(missing.error).toMatch(/^Nix is not on PATH or where Nix installs itself: .*name the folder with Nix's programs below$/);

      const empty = mkdtempSync(join(tmpdir(), 'lamina-no-nix-'));
      await expect(setNixDirSetting(db, empty)).rejects.toThrow(`there is no nix-build in ${empty}; give the folder that holds Nix's programs`);
      await expect(setNixDirSetting(db, 'usr/bin')).rejects.toThrow(/^give the folder as an absolute path/);
      expect((await nixFacts(db)).nixDir).toBeNull();

      await setNixDirSetting(db, `${nixDir}/`);
      const found = await nixFacts(db);
      expect(found).toMatchObject({ binary: join(nixDir, 'nix-build'), error: null, nixDir });
      expect(found.version).toMatch(/^nix \(Nix\) \d/);
      // A real build, with nothing on PATH.
      const built = await buildAttrs(parseSource(inject('testbedDir')), ['sed']);
      expect(built.get('sed')).toBe(inject('testbedOutPaths').sed);

      await setNixDirSetting(db, null);
      expect((await nixFacts(db)).binary).toBeNull();
    } finally {
      db.close();
    }
  });

  it('is used by the CLI too', async () => {
    const home = mkdtempSync(join(tmpdir(), 'lamina-nix-dir-cli-'));
    const db = openDatabase(join(home, 'lamina.db'));
    await setNixDirSetting(db, realNix());
    db.close();
    const emptyPath = mkdtempSync(join(tmpdir(), 'lamina-empty-path-'));
    const plan = await runCli(['plan', 'sed', '--source', inject('testbedDir'), '--json'], { LAMINA_HOME: home, PATH: emptyPath });
    expect(plan.stderr).toBe('');
    expect(JSON.parse(plan.stdout).closure.paths).toBeGreaterThan(1);
    // build starts Nix before it reads Settings (none on PATH here): it must then run the chosen folder's.
    const build = await runCli(['build', 'sed', '--source', inject('testbedDir'), '--allow-missing-entrypoint', '--json'], { LAMINA_HOME: home, PATH: emptyPath });
    expect(build.stderr).toBe('');
    expect(JSON.parse(build.stdout).layers.length).toBeGreaterThan(1);

    const elsewhere = mkdtempSync(join(tmpdir(), 'lamina-nix-dir-none-'));
    const without = await runCli(['plan', 'sed', '--source', inject('testbedDir')], { LAMINA_HOME: elsewhere, PATH: emptyPath });
    expect(without.code).toBe(1);
    expect(without.stderr.trimEnd().split('\n').at(-1)).toMatch(/^lamina: Nix is not installed, or not where Lamina looks: .*Settings$/);
  });
});
