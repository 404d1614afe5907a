/** Shared by the layer tests: real commands, temporary folders, the real Nix store. */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A fresh folder, removed after the test file. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `lamina-layers-${label}-`));
  afterAll(() => {
    // Extracted store trees are read-only; make them writable so they can go.
    execFileSync('chmod', ['-R', 'u+w', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}

export function run(command: string, args: readonly string[], input?: Buffer): Buffer {
  return execFileSync(command, args, { input, maxBuffer: 1 << 30, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Runs a shell pipeline (fixed strings from the tests, paths quoted by the caller). */
export function shell(script: string): string {
  return execFileSync('bash', ['-e', '-o', 'pipefail', '-c', script], { encoding: 'utf8', maxBuffer: 1 << 30 }).trim();
}

export function sha256Of(file: string): string {
  return `sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`;
}

/** Copies a folder into the Nix store (content-addressed): a real store path without a build. */
export function addToStore(dir: string): string {
  return run('nix-store', ['--add', dir]).toString().trim();
}
