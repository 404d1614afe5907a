import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { buildImage } from '../../src-main/engine/builder/pipeline.js';
import { freshStore, smallRecipe } from './helpers.js';

/** `link -> store path` for every GC root Nix knows whose link lies under `dir`. */
function rootsUnder(dir: string): Map<string, string> {
  const lines = execFileSync('nix-store', ['--gc', '--print-roots'], { encoding: 'utf8' }).split('\n');
  return new Map(lines.filter((l) => l.startsWith(dir)).map((l) => l.split(' -> ') as [string, string]));
}

describe('Nix GC roots during a build', () => {
  it('hold the packages while their layers are written, and are gone afterwards', async () => {
    const store = await freshStore();
    const roots = inject('testbedRoots');
    const outPaths = inject('testbedOutPaths');
    let during = new Map<string, string>();
    await buildImage(store, smallRecipe(inject('testbedDir'), roots), {
      onEvent: (event) => {
        if (event.type === 'phase' && event.phase === 'layers') during = rootsUnder(store.layout.ingestDir);
      },
    });
    // A `nix-store --gc` now would keep every package of the image, and so its closure.
    expect([...during.values()].sort()).toEqual(roots.map((r) => outPaths[r]!).sort());
    expect(rootsUnder(store.layout.ingestDir).size).toBe(0);
    expect(readdirSync(store.layout.ingestDir).filter((name) => name.includes('nix-roots'))).toEqual([]);
    store.close();
  });
});
