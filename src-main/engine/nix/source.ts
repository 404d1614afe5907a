/**
 * Where packages come from: a local Nix file or folder, a channel / NIX_PATH entry
 * (`<nixpkgs>`), or a flake reference. Parsing checks what can be checked here
 * (a local path exists) and makes relative paths absolute, so a source means the
 * same thing whichever process or folder uses it later.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';
import { redactCredentials } from './redact.js';

export type PackageSource =
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'channel'; readonly name: string }
  | { readonly kind: 'flake'; readonly ref: string };

const CHANNEL = /^<([^<>\s]+)>$/;
// `github:`, `path:`, `git+https:`, `https:`, `flake:`…: anything with a URL scheme.
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

const SOURCE_HINT = 'give a .nix file, a folder with default.nix, a channel like <nixpkgs>, or a flake like github:owner/repo';

export function parseSource(spec: string, cwd: string = process.cwd()): PackageSource {
  const text = spec.trim();
  if (text === '') throw new LaminaError(`No package source given: ${SOURCE_HINT}`, 'bad-source');
  const channel = CHANNEL.exec(text);
  if (channel) return { kind: 'channel', name: channel[1]! };
  if (URL_SCHEME.test(text)) return { kind: 'flake', ref: absoluteFlakeRef(text, cwd) };
  // A `#` only appears in flake references (`.#`, `./dir#pkgs`, `nixpkgs#`).
  if (text.includes('#')) return { kind: 'flake', ref: absoluteFlakeRef(text, cwd) };
  return { kind: 'path', path: localNixPath(text, cwd) };
}

/** How a person would write the source, without the user name or password a URL may carry. */
export function describeSource(source: PackageSource): string {
  switch (source.kind) {
    case 'path':
      return source.path;
    case 'channel':
      return `<${source.name}>`;
    case 'flake':
      return redactCredentials(source.ref);
  }
}

function localNixPath(text: string, cwd: string): string {
  const path = resolve(cwd, text);
  if (!existsSync(path)) {
    throw new LaminaError(`Package source ${text} does not exist (${path}): ${SOURCE_HINT}`, 'bad-source');
  }
  if (statSync(path).isDirectory() && !existsSync(join(path, 'default.nix'))) {
    throw new LaminaError(`Package source ${path} is a folder without default.nix: ${SOURCE_HINT}`, 'bad-source');
  }
  return path;
}

// Nix resolves `.`, `./dir` and `path:./dir` against its own working directory;
// fixing them now keeps the reference valid wherever Nix runs later.
function absoluteFlakeRef(ref: string, cwd: string): string {
  const hash = ref.indexOf('#');
  const base = hash === -1 ? ref : ref.slice(0, hash);
  const fragment = hash === -1 ? '' : ref.slice(hash);
  if (base.startsWith('.') || base.startsWith('/')) return resolve(cwd, base) + fragment;
  if (/^path:\.\.?(\/|$|\?)/.test(base)) {
    const query = base.indexOf('?');
    const pathPart = query === -1 ? base.slice(5) : base.slice(5, query);
    return `path:${resolve(cwd, pathPart)}${query === -1 ? '' : base.slice(query)}${fragment}`;
  }
  return ref;
}
