/**
 * Tiny Nix package sets written for one test: each derivation's name carries a
 * fresh unique string, so Nix really builds it instead of finding it in the store.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Attribute -> shell script run as the builder (`$out` must be created by it). */
export type Scripts = Record<string, string>;

/** `extra` holds more attributes, as Nix source, for tests that need something other than a package. */
export function writeThrowawaySet(scripts: Scripts, extra = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-nix-test-'));
  const unique = randomUUID().slice(0, 8);
  const system = nixSystem();
  const attrs = Object.entries(scripts).map(
    ([attr, script]) =>
      `  ${attr} = derivation { name = "${attr}-${unique}"; system = "${system}"; ` +
      `builder = "/bin/sh"; PATH = "/usr/bin:/bin"; args = [ "-c" ${JSON.stringify(script)} ]; };`,
  );
  writeFileSync(join(dir, 'default.nix'), `{\n${attrs.join('\n')}\n${extra}\n}\n`);
  return dir;
}

/** A flake in a fresh folder whose `packages.<system>` are the given builder scripts. */
export function writeThrowawayFlake(scripts: Scripts): string {
  const dir = writeThrowawaySet(scripts);
  const system = nixSystem();
  const first = Object.keys(scripts)[0]!;
  // Flakes evaluate purely: no builtins.currentSystem, hence the system spelt out.
  writeFileSync(
    join(dir, 'flake.nix'),
    `{ outputs = { self }: { packages.${system} = import ./default.nix; ` +
      `legacyPackages.${system}.nested.inner = (import ./default.nix).${first}; }; }\n`,
  );
  return dir;
}

let system: string | undefined;
/** The platform Nix builds for here, e.g. x86_64-linux. */
export function nixSystem(): string {
  system ??= JSON.parse(execFileSync('nix-instantiate', ['--eval', '--json', '--expr', 'builtins.currentSystem'], { encoding: 'utf8' })) as string;
  return system;
}

/**
 * These machines have no network: without this, Nix spends seconds retrying
 * cache.nixos.org before every build of something new.
 */
export function useNixOffline(): void {
  process.env.NIX_CONFIG = 'substituters =';
}

/** `link -> store path` for every GC root Nix knows whose link lies under `dir`. */
export function gcRootsUnder(dir: string): Map<string, string> {
  const lines = execFileSync('nix-store', ['--gc', '--print-roots'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n');
  return new Map(lines.filter((l) => l.startsWith(`${dir}/`)).map((l) => l.split(' -> ') as [string, string]));
}

/** A folder with Nix's own `programs`, each wrapped to note its runs: `runs()` lists them by program name, in order. */
export function wrappedNix(programs: readonly string[]): { dir: string; runs: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-nix-wrap-'));
  const log = join(dir, 'runs.log');
  writeFileSync(log, '');
  for (const program of programs) {
    const real = execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim();
    writeFileSync(join(dir, program), `#!/bin/sh\necho ${program} >> '${log}'\nexec '${real}' "$@"\n`);
    chmodSync(join(dir, program), 0o755);
  }
  return { dir, runs: () => readFileSync(log, 'utf8').split('\n').filter(Boolean) };
}

/**
 * A builder script that sleeps `seconds` and a fraction of its own, and whether
 * such a builder runs now: pgrep then finds only this test's builder (the
 * bracket keeps it from finding its own command line).
 */
export function sleepingBuilder(seconds: number): { script: string; running: () => boolean } {
  const naptime = `${seconds}.${randomUUID().replace(/\D/g, '').slice(0, 6)}`;
  return {
    script: `sleep ${naptime}; mkdir $out`,
    running: () => execFileSync('sh', ['-c', `pgrep -f 'slee[p] ${naptime}' || true`], { encoding: 'utf8' }).trim() !== '',
  };
}

/** Waits (up to 20 s) for `done` to hold: for a process to have started, or to have gone. */
export async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 50));
}
