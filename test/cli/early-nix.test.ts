/**
 * `lamina build` and `lamina plan` start their nix-build before they load the
 * rest of their code (see startBuild). Whatever then stops the command before it
 * takes that nix-build up, or while it runs, the nix-build must stop with it and
 * its GC root folder go:
 * a nix-build left behind would keep building (and keep the command waiting),
 * and a root folder left behind would keep the packages from Nix's GC.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sleepingBuilder, until, useNixOffline, wrappedNix, writeThrowawaySet } from '../nix/throwaway-set.js';
import { cliArgv, freshHome, runCli } from './run-cli.js';

beforeAll(useNixOffline);

/** A package that builds for 31 s, its out path, and whether its builder runs now. */
function slowSet(): { dir: string; outPath: string; sleeping: () => boolean } {
  const builder = sleepingBuilder(31);
  const dir = writeThrowawaySet({ slow: builder.script });
  const outPath = JSON.parse(execFileSync('nix-instantiate', ['--eval', '--json', dir, '-A', 'slow.outPath'], { encoding: 'utf8' })) as string;
  return { dir, outPath, sleeping: builder.running };
}

const rootFolders = (home: string): string[] => (existsSync(join(home, 'ingest')) ? readdirSync(join(home, 'ingest')).filter((name) => name.includes('nix-roots')) : []);

describe('the nix-build lamina build and plan start early', () => {
  it.each(['build', 'plan'])('is started by lamina %s, and stopped with no GC root folder left when the command fails before it runs Nix', async (command) => {
    const { dir, outPath, sleeping } = slowSet();
    const home = freshHome();
    const nix = wrappedNix(['nix-build']);
    const run = await runCli([command, 'slow', '--source', dir, '--push', 'not-a-registry'], { LAMINA_HOME: home, PATH: `${nix.dir}:${process.env.PATH}` });
    // The --push check comes after Nix has started: the command started it, and then stopped it.
    expect(nix.runs()).toEqual(['nix-build']);
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('lamina: "not-a-registry" is not a registry location; write docker://HOST[:PORT]/REPOSITORY[:TAG]\n');
    // Left running, it would have finished the build (and kept the command waiting for it).
    expect(existsSync(outPath)).toBe(false);
    expect(sleeping()).toBe(false);
    expect(rootFolders(home)).toEqual([]);
  });

  it('hands a Ctrl-C that came while the command loaded to the command, not to nobody', async () => {
    const { dir, outPath, sleeping } = slowSet();
    const home = freshHome();
    const child = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'handover.child.ts'), dir, 'slow'], {
      env: { ...process.env, LAMINA_HOME: home },
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.stdout).toBe('heard\n');
    await until(() => !sleeping());
    expect(sleeping()).toBe(false);
    expect(existsSync(outPath)).toBe(false);
    expect(rootFolders(home)).toEqual([]);
  });

  it.each([
    ['build', 'SIGINT'],
    ['plan', 'SIGTERM'],
  ] as const)('stops when lamina %s gets %s while Nix builds, with the command', async (command, signal) => {
    const { dir, outPath, sleeping } = slowSet();
    const home = freshHome();
    const child = spawn(process.execPath, cliArgv([command, 'slow', '--source', dir]), { env: { ...process.env, LAMINA_HOME: home }, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await until(sleeping);
    expect(sleeping()).toBe(true);
    child.kill(signal);
    expect(await exited).not.toBe(0);
    await until(() => !sleeping());
    expect(sleeping()).toBe(false);
    expect(existsSync(outPath)).toBe(false);
    expect(rootFolders(home)).toEqual([]);
  });
});
