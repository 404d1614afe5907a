/** Shared by the build tests: fresh stores, the small test package set as a recipe, and command runners. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Recipe } from '../../src-main/engine/builder/recipe.js';
import { openStore, type Store } from '../../src-main/engine/store/store.js';

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `lamina-${prefix}-`));
}

export async function freshStore(): Promise<Store> {
  return openStore(tempDir('home'));
}

export function smallRecipe(source: string, roots: readonly string[], overrides: Partial<Recipe> = {}): Recipe {
  return { source, attrs: roots, strategy: 'nixery', maxLayers: 6, compression: 'gzip', config: { cmd: ['/bin/bash'] }, ...overrides };
}

export function run(command: string, args: readonly string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

export function skopeoInspect(location: string, config = false): Record<string, unknown> {
  return JSON.parse(run('skopeo', ['inspect', ...(config ? ['--config'] : []), location])) as Record<string, unknown>;
}

/** Every store path of the closure of `roots`, as Nix sees it. */
export function nixClosure(roots: readonly string[]): string[] {
  return run('nix-store', ['--query', '--requisites', ...roots]).split('\n').filter(Boolean).sort();
}
