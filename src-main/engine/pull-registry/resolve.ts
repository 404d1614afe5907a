/**
 * From the packages a name lists to the attributes to build: the `shell`
 * meta-package becomes a usable shell made of what the source has (bash,
 * coreutils…), and every name is checked in one evaluation, so a pull that
 * names three unknown packages hears about all three.
 */
import { checkAttrs, UnknownAttributesError } from '../nix/attr-check.js';
import type { PackageSource } from '../nix/source.js';
import { DistributionError } from './errors.js';

export const SHELL_PACKAGE = 'shell';

// Each group is one tool; the first attribute the source has is taken (nixpkgs' names first, then plain ones).
const SHELL_GROUPS: readonly (readonly string[])[] = [['bashInteractive', 'bash'], ['coreutils'], ['findutils'], ['gnugrep', 'grep'], ['gnused', 'sed']];

export async function resolvePackages(source: PackageSource, tag: string, packages: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const asked = packages.filter((p) => p !== SHELL_PACKAGE);
  const wantsShell = asked.length < packages.length;
  const candidates = wantsShell ? SHELL_GROUPS.flat() : [];
  const absent = new Set<string>();
  try {
    await checkAttrs(source, [...new Set([...asked, ...candidates])], signal ? { signal } : {});
  } catch (err) {
    if (!(err instanceof UnknownAttributesError)) throw err;
    for (const name of [...err.missing, ...err.notPackages]) absent.add(name);
  }
  const unknown = asked.filter((p) => absent.has(p));
  if (unknown.length > 0) {
    throw new DistributionError(
      'MANIFEST_UNKNOWN',
      `the package source of tag "${tag}" has no package ${unknown.join(', ')}`,
      { packages: unknown, tag },
    );
  }
  const shell = SHELL_GROUPS.map((group) => group.find((attr) => !absent.has(attr))).filter((attr) => attr !== undefined);
  if (wantsShell && !shell.some((attr) => SHELL_GROUPS[0]!.includes(attr))) {
    throw new DistributionError('MANIFEST_UNKNOWN', `the package source of tag "${tag}" has no bash, so "shell" cannot be made from it`, { packages: [SHELL_PACKAGE], tag });
  }
  return [...new Set(packages.flatMap((p) => (p === SHELL_PACKAGE ? shell : [p])))];
}
