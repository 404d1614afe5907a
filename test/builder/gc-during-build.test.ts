/**
 * `cache gc` run again and again, from another connection to the same data dir
 * (as another process would), while a real build writes its layers: the build
 * still succeeds with every layer it wrote, and gc takes only what no image or
 * running build holds.
 */
import { describe, expect, inject, it } from 'vitest';
import { buildImage } from '../../src-main/engine/builder/pipeline.js';
import { hashFile } from '../../src-main/engine/image/sha256.js';
import { collectGarbage } from '../../src-main/engine/store/gc.js';
import { openStore } from '../../src-main/engine/store/store.js';
import { smallRecipe, tempDir } from './helpers.js';

describe('cache gc during a build', () => {
  it('never takes the layers of a build still running', { timeout: 120_000 }, async () => {
    const home = tempDir('gc-during-build');
    const builder = await openStore(home);
    const collector = await openStore(home);
    try {
      // Left over from an earlier build whose image is gone: the one thing gc may take.
      const leftover = await buildImage(builder, smallRecipe(inject('testbedDir'), ['sed'], { compression: 'none', config: { cmd: ['/bin/sed', '--version'] } }), { name: 'old' });
      builder.images.remove('old');

      let layersPhase = false;
      let building = true;
      let gcRunsInLayers = 0;
      let removed = 0;
      const gcLoop = (async () => {
        while (building) {
          const inLayers = layersPhase;
          removed += (await collectGarbage(collector)).removedBlobs;
          if (inLayers) gcRunsInLayers++;
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const built = await buildImage(builder, smallRecipe(inject('testbedDir'), inject('testbedRoots'), { compression: 'zstd' }), {
        onEvent: (event) => {
          if (event.type === 'phase' && event.phase === 'layers') layersPhase = true;
        },
      }).finally(() => (building = false));
      await gcLoop;

      expect(gcRunsInLayers, 'gc ran while layers were being written').toBeGreaterThan(0);
      expect(removed).toBeGreaterThanOrEqual(leftover.layers.length);
      const image = builder.images.get(built.name)!;
      for (const digest of [image.manifestDigest, image.configDigest, ...image.layers]) {
        const info = builder.content.info(digest)!;
        expect(await hashFile(builder.layout.blobPath(digest))).toEqual({ digest, size: info.size });
      }
    } finally {
      builder.close();
      collector.close();
    }
  });
});
