import { readdirSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { buildImage } from '../../src-main/engine/builder/pipeline.js';
import { gcRootsUnder } from '../nix/throwaway-set.js';
import { freshStore, smallRecipe } from './helpers.js';

describe('Nix GC roots during a build', () => {
  it('hold the packages while their layers are written, and are gone afterwards', async () => {
    const store = await freshStore();
    const roots = inject('testbedRoots');
    const outPaths = inject('testbedOutPaths');
    let during = new Map<string, string>();
    await buildImage(store, smallRecipe(inject('testbedDir'), roots), {
      onEvent: (event) => {
        if (event.type === 'phase' && event.phase === 'layers') during = gcRootsUnder(store.layout.ingestDir);
      },
    });
    // A `nix-store --gc` now would keep every package of the image, and so its closure.
    expect([...during.values()].sort()).toEqual(roots.map((r) => outPaths[r]!).sort());
    expect(gcRootsUnder(store.layout.ingestDir).size).toBe(0);
    expect(readdirSync(store.layout.ingestDir).filter((name) => name.includes('nix-roots'))).toEqual([]);
    store.close();
  });
});
