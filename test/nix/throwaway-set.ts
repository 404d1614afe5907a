/**
 * Tiny Nix package sets written for one test: each derivation's name carries a
 * fresh unique string, so Nix really builds it instead of finding it in the store.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Attribute -> shell script run as the builder (`$out` must be created by it). */
export type Scripts = Record<string, string>;

export function writeThrowawaySet(scripts: Scripts): string {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-nix-test-'));
  const unique = randomUUID().slice(0, 8);
  const attrs = Object.entries(scripts).map(
    ([attr, script]) =>
      `  ${attr} = derivation { name = "${attr}-${unique}"; system = builtins.currentSystem; ` +
      `builder = "/bin/sh"; PATH = "/usr/bin:/bin"; args = [ "-c" ${JSON.stringify(script)} ]; };`,
  );
  writeFileSync(join(dir, 'default.nix'), `{\n${attrs.join('\n')}\n}\n`);
  return dir;
}

/**
 * These machines have no network: without this, Nix spends seconds retrying
 * cache.nixos.org before every build of something new.
 */
export function useNixOffline(): void {
  process.env.NIX_CONFIG = 'substituters =';
}
