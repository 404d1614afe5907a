/**
 * Reads the installed Debian packages: the raw material of the test package set.
 * Each package becomes one Nix derivation holding its files, with its Depends as
 * store references, so Nix sees real files, real sizes and a real reference graph.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface DebianPackage {
  readonly name: string;
  /** Installed dependencies (Pre-Depends and Depends; first installed alternative). */
  readonly depends: readonly string[];
}

export function installedPackages(): Map<string, DebianPackage> {
  const out = execFileSync(
    'dpkg-query',
    ['-W', '-f', '${Package}\t${db:Status-Abbrev}\t${Pre-Depends}\t${Depends}\t${Provides}\n'],
    { encoding: 'utf8', maxBuffer: 64 << 20 },
  );
  const rows = out.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
  const installed = rows.filter((r) => r[1]?.startsWith('ii'));
  const names = new Set(installed.map((r) => r[0]!));
  const providers = new Map<string, string>();
  for (const r of installed) {
    for (const p of splitList(r[4] ?? '')) if (!providers.has(p)) providers.set(p, r[0]!);
  }
  const resolve = (alternatives: string[]): string | undefined => {
    for (const alt of alternatives) {
      if (names.has(alt)) return alt;
      const provider = providers.get(alt);
      if (provider) return provider;
    }
    return undefined;
  };
  const packages = new Map<string, DebianPackage>();
  for (const r of installed) {
    const deps = new Set<string>();
    for (const clause of [...(r[2] ?? '').split(','), ...(r[3] ?? '').split(',')]) {
      if (clause.trim() === '') continue;
      const dep = resolve(clause.split('|').map(bareName));
      if (dep && dep !== r[0]) deps.add(dep);
    }
    packages.set(r[0]!, { name: r[0]!, depends: [...deps].sort() });
  }
  return packages;
}

/**
 * The regular files and symlinks a package installed, by their real location,
 * sorted. On merged-/usr systems dpkg lists `/lib/x` while the file lives at
 * `/usr/lib/x`, and `/lib` itself is a symlink (to dpkg, a directory): such links
 * are left out.
 */
export function packageFiles(name: string): string[] {
  const arch = execFileSync('dpkg', ['--print-architecture'], { encoding: 'utf8' }).trim();
  const list = [`/var/lib/dpkg/info/${name}.list`, `/var/lib/dpkg/info/${name}:${arch}.list`].find((f) => existsSync(f));
  if (!list) return [];
  const listed = readFileSync(list, 'utf8').split('\n').filter((f) => f.startsWith('/') && f !== '/.');
  const directories = new Set(listed.map((f) => dirname(f)));
  const files = new Set<string>();
  for (const path of listed) {
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue; // listed but gone (a removed conffile, a diversion)
    }
    const mergedUsrLink = stat.isSymbolicLink() && (directories.has(path) || dirname(path) === '/');
    if (stat.isDirectory() || mergedUsrLink) continue;
    files.add(join(realpathSync(dirname(path)), basename(path)));
  }
  return [...files].sort();
}

function splitList(field: string): string[] {
  return field.split(',').map(bareName).filter((n) => n.length > 0);
}

/** `libc6 (>= 2.35)` or `perl:any` -> the package name. */
function bareName(spec: string): string {
  return spec.trim().split(/[\s(]/)[0]!.replace(/:any$|:native$/, '');
}
