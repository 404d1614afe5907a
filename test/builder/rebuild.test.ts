import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildImage } from '../../src-main/engine/builder/pipeline.js';
import { gcRootsUnder, useNixOffline, writeThrowawaySet } from '../nix/throwaway-set.js';
import { freshStore, nixClosure, smallRecipe } from './helpers.js';

beforeAll(useNixOffline);

describe('building again into the same store', () => {
  it('follows a changed source to its new packages and closure, and keeps them GC roots while layers are written', async () => {
    // app refers to dep; a new dep makes a new app.
    const dir = writeThrowawaySet({ dep: 'mkdir -p $out/share; echo v1 > $out/share/version' });
    const source = join(dir, 'default.nix');
    writeFileSync(
      source,
      readFileSync(source, 'utf8')
        .replace('{\n', 'rec {\n')
        .replace(/\n}\n$/, '\n  app = derivation { name = "app"; system = builtins.currentSystem; builder = "/bin/sh"; PATH = "/usr/bin:/bin"; args = [ "-c" "mkdir -p $out/bin; ln -s ${dep}/share $out/bin/share" ]; };\n}\n'),
    );
    const store = await freshStore();
    const recipe = smallRecipe(dir, ['app'], { allowMissingEntrypoint: true, maxLayers: 3 });
    const imagePaths = async (): Promise<{ paths: string[]; rootsDuring: string[] }> => {
      let rootsDuring: string[] = [];
      const result = await buildImage(store, recipe, {
        onEvent: (event) => {
          if (event.type === 'phase' && event.phase === 'layers') rootsDuring = [...new Set(gcRootsUnder(store.layout.ingestDir).values())];
        },
      });
      return { paths: result.layers.filter((l) => l.kind === 'store-paths').flatMap((l) => l.paths).sort(), rootsDuring };
    };

    const first = await imagePaths();
    const again = await imagePaths();
    expect(again).toEqual(first);
    expect(first.rootsDuring).toEqual([first.paths.find((p) => p.endsWith('-app'))]);

    writeFileSync(source, readFileSync(source, 'utf8').replace('echo v1', 'echo v2'));
    const changed = await imagePaths();
    const app = changed.paths.find((p) => p.endsWith('-app'))!;
    expect(first.paths).not.toContain(app);
    // The last build's packages may be rooted too, as a guess made while Nix evaluated.
    expect(changed.rootsDuring).toContain(app);
    expect(changed.paths).toEqual(nixClosure([app]));
    expect(changed.paths.filter((p) => first.paths.includes(p))).toEqual([]);
    const dep = changed.paths.find((p) => p.includes('-dep-'))!;
    expect(readFileSync(join(dep, 'share/version'), 'utf8')).toBe('v2\n');
    store.close();
  });
});
