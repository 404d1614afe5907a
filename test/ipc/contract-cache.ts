/**
 * The Cache view's channels after real builds: the store's size and hits, each
 * image build's use of the cache, a plan that finds its layers stored, and gc
 * previewed and then run to the same result. Runs after the images tests: gc to
 * a zero budget drops every image but the newest.
 */
import { describe, expect, inject, it } from 'vitest';
import { BUILT_IMAGE, type ContractSession } from './contract-session.js';

export function cacheContract(s: ContractSession): void {
  describe('cache', () => {
    it('counts a rebuild (a retried job) as all cache hits, and plans bash in the stored layers', async () => {
      const { job, result } = await s.image();
      const first = (await s.ok('cache:history', {})).find((p) => p.jobId === job.id);
      expect(first).toMatchObject({ image: BUILT_IMAGE, layers: result.layers.length });

      const retried = await s.ok('jobs:retry', { id: job.id });
      expect((await s.finished(retried.id)).state).toBe('succeeded');
      const history = await s.ok('cache:history', { limit: 5 });
      expect(history.at(-1)).toMatchObject({ jobId: retried.id, image: BUILT_IMAGE, layers: result.layers.length, cachedLayers: result.layers.length });

      const summary = await s.ok('cache:summary', {});
      expect(summary.images).toBeGreaterThanOrEqual(1);
      expect(summary.layers).toBeGreaterThanOrEqual(result.layers.length);
      expect(summary.lifetimeHits).toBeGreaterThanOrEqual(result.layers.length);
      expect(summary.layerBytes).toBeGreaterThan(0);
      expect(summary.totalBytes).toBeGreaterThanOrEqual(summary.layerBytes);

      // The same plan as the build: every layer is in the store already, nothing new to write.
      const plan = await s.ok('plan:view', { source: inject('testbedDir'), attrs: ['bash'], maxLayers: 3 });
      expect(plan.layers.every((l) => l.cached)).toBe(true);
      expect(plan.newBytes).toBe(0);
    });

    it('previews gc to a size budget, then collects exactly what it previewed', async () => {
      expect(await s.error('cache:gc-preview', { maxSize: 'big' })).toEqual({ code: 'invalid-input', message: 'maxSize: the size budget is a number of bytes' });
      await s.image();
      // A newer (and tiny) image, so a zero budget has an older one to drop.
      await s.succeeded({ kind: 'image-build', input: { source: inject('testbedDir'), attrs: ['gcc-12-base'], maxLayers: 2, name: 'ipc-newest' } });
      const before = await s.ok('cache:summary', {});

      const preview = await s.ok('cache:gc-preview', { maxSize: 0 });
      expect(preview.newestKept).toBe('ipc-newest');
      expect(preview.images).toContain(BUILT_IMAGE);
      expect(preview.images).toHaveLength(before.images - 1);
      expect(preview).toMatchObject({ sizeBefore: before.totalBytes, sizeAfter: before.totalBytes - preview.freedBytes });
      expect(preview.freedBytes).toBeGreaterThan(0);
      // A preview removes nothing.
      expect(await s.ok('cache:summary', {})).toEqual(before);

      const report = await s.ok('cache:gc', { maxSize: 0 });
      expect(report).toMatchObject({ removedImages: preview.images, freedBytes: preview.freedBytes, removedBlobs: preview.blobs.length, sizeBefore: before.totalBytes });
      expect((await s.ok('images:store', {})).map((i) => i.name)).toEqual(['ipc-newest']);
      expect(await s.ok('cache:gc-preview', {})).toMatchObject({ blobs: [], images: [], freedBytes: 0 });
    });
  });
}
