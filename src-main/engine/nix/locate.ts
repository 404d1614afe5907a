/**
 * Where Lamina finds Nix's programs. A desktop app started from a menu does not
 * get the login shell's PATH, so besides PATH Lamina looks where the Nix
 * installers put Nix, and first of all in the folder the user chose in Settings.
 */
import { homedir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';

let chosen: string | null = null;

/** The folder with nix-build and friends that Settings names, or null for PATH and the usual places. */
export function useNixFrom(dir: string | null): void {
  chosen = dir;
}

/** Where the Nix installers (multi-user, single-user, NixOS, home-manager) put the programs. */
export function wellKnownNixDirs(): string[] {
  const user = (() => {
    try {
      return userInfo().username;
    } catch {
      return null;
    }
  })();
  return [
    '/nix/var/nix/profiles/default/bin',
    join(homedir(), '.nix-profile', 'bin'),
    '/run/current-system/sw/bin',
    ...(user ? [`/etc/profiles/per-user/${user}/bin`] : []),
  ];
}

/** The PATH Nix programs are looked up in (and run with): the chosen folder, then PATH, then the usual places. */
export function nixSearchPath(path: string = process.env.PATH ?? ''): string {
  const dirs = [...(chosen ? [chosen] : []), ...path.split(delimiter).filter(Boolean), ...wellKnownNixDirs()];
  return [...new Set(dirs)].join(delimiter);
}
