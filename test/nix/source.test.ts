import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeSource, parseSource } from '../../src-main/engine/nix/source.js';

describe('package sources', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'lamina-source-'));
  mkdirSync(join(cwd, 'pkgs'));
  writeFileSync(join(cwd, 'pkgs', 'default.nix'), '{ }');
  writeFileSync(join(cwd, 'one.nix'), '{ }');
  mkdirSync(join(cwd, 'empty'));

  it('reads local folders and files, relative or absolute, as absolute paths', () => {
    expect(parseSource('./pkgs', cwd)).toEqual({ kind: 'path', path: join(cwd, 'pkgs') });
    expect(parseSource('one.nix', cwd)).toEqual({ kind: 'path', path: join(cwd, 'one.nix') });
    expect(parseSource(join(cwd, 'pkgs'), '/')).toEqual({ kind: 'path', path: join(cwd, 'pkgs') });
  });

  it('names the missing path, and a folder without default.nix', () => {
    expect(() => parseSource('./nowhere', cwd)).toThrow(`Package source ./nowhere does not exist (${join(cwd, 'nowhere')})`);
    expect(() => parseSource('empty', cwd)).toThrow(/is a folder without default\.nix/);
    expect(() => parseSource('  ', cwd)).toThrow(expect.objectContaining({ code: 'bad-source', message: expect.stringMatching(/^No package source given/) }));
  });

  it('reads channels and NIX_PATH entries', () => {
    expect(parseSource('<nixpkgs>')).toEqual({ kind: 'channel', name: 'nixpkgs' });
    expect(parseSource('<nixos-23.11/pkgs>')).toEqual({ kind: 'channel', name: 'nixos-23.11/pkgs' });
  });

  it('reads flake references, making local ones absolute', () => {
    expect(parseSource('github:NixOS/nixpkgs/nixos-24.05')).toEqual({ kind: 'flake', ref: 'github:NixOS/nixpkgs/nixos-24.05' });
    expect(parseSource('git+https://example.org/repo.git?rev=abc')).toEqual({ kind: 'flake', ref: 'git+https://example.org/repo.git?rev=abc' });
    expect(parseSource('nixpkgs#')).toEqual({ kind: 'flake', ref: 'nixpkgs#' });
    expect(parseSource('.#', cwd)).toEqual({ kind: 'flake', ref: `${cwd}#` });
    expect(parseSource('./pkgs#legacyPackages.x86_64-linux', cwd)).toEqual({ kind: 'flake', ref: `${cwd}/pkgs#legacyPackages.x86_64-linux` });
    expect(parseSource('path:./pkgs?narHash=x', cwd)).toEqual({ kind: 'flake', ref: `path:${cwd}/pkgs?narHash=x` });
  });

  it('describes sources the way a person writes them', () => {
    expect(describeSource({ kind: 'channel', name: 'nixpkgs' })).toBe('<nixpkgs>');
    expect(describeSource({ kind: 'path', path: '/src/pkgs' })).toBe('/src/pkgs');
    expect(describeSource({ kind: 'flake', ref: 'github:o/r' })).toBe('github:o/r');
  });
});
