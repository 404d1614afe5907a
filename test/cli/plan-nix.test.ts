/**
 * What `lamina plan` asks Nix, as a user runs it again and again while choosing
 * packages: one nix-build, started before the rest of the command loads (as
 * `lamina build` starts it), and the closure from the path infos Lamina kept, so
 * `nix path-info` runs only for paths it has not described before. What Nix tells
 * a plan is kept too, for the build that follows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useNixOffline, wrappedNix, writeThrowawaySet } from '../nix/throwaway-set.js';
import { freshHome, runCli } from './run-cli.js';

beforeAll(useNixOffline);

describe('the Nix that lamina plan runs', () => {
  const source = writeThrowawaySet({ app: 'mkdir -p $out/bin; echo echo hi > $out/bin/app' });
  const nix = wrappedNix(['nix-build', 'nix']);
  const env = (home: string): NodeJS.ProcessEnv => ({ LAMINA_HOME: home, PATH: `${nix.dir}:${process.env.PATH}` });

  /** The Nix programs `args` ran, in order. */
  const nixRuns = async (args: string[], home: string): Promise<string[]> => {
    const before = nix.runs().length;
    const run = await runCli([...args, '--source', source, '--json'], env(home));
    expect(run.code, run.stderr).toBe(0);
    return nix.runs().slice(before);
  };

  it('runs one nix-build and no nix path-info after a build has described the closure', async () => {
    const home = freshHome();
    expect(await nixRuns(['build', 'app'], home)).toEqual(['nix-build', 'nix']);
    expect(await nixRuns(['plan', 'app'], home)).toEqual(['nix-build']);
    expect(await nixRuns(['build', 'app'], home)).toEqual(['nix-build']);
  });

  it('keeps what Nix tells it about the closure, so the build after it asks nothing more', async () => {
    const home = freshHome();
    expect(await nixRuns(['plan', 'app'], home)).toEqual(['nix-build', 'nix']);
    expect(await nixRuns(['plan', 'app'], home)).toEqual(['nix-build']);
    expect(await nixRuns(['build', 'app'], home)).toEqual(['nix-build']);
  });
});
