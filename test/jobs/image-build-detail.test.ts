import { describe, expect, inject, it } from 'vitest';
import type { BuildEvent } from '../../src-shared/build-events.js';
import { buildImage } from '../../src-main/engine/builder/pipeline.js';
import { nextDetail, type ImageBuildDetail } from '../../src-shared/build-detail.js';
import { imageBuildJob } from '../../src-main/engine/jobs/kinds/image-build.js';
import { JobRunner } from '../../src-main/engine/jobs/runner.js';
import { freshStore, smallRecipe } from '../builder/helpers.js';
import { freshDatabase } from './helpers.js';

function fold(events: readonly BuildEvent[]): ImageBuildDetail | null {
  return events.reduce<ImageBuildDetail | null>(nextDetail, null);
}

describe('image build detail: per-layer progress', () => {
  it('ends with every layer of a real build, cache misses first and hits on the rebuild', async () => {
    const store = await freshStore();
    const recipe = smallRecipe(inject('testbedDir'), inject('testbedRoots'));
    for (const expected of ['written', 'cached'] as const) {
      const events: BuildEvent[] = [];
      const result = await buildImage(store, recipe, { onEvent: (e) => events.push(e) });
      const detail = fold(events)!;
      expect(detail.layers.map((l) => l.digest)).toEqual(result.layers.map((l) => l.digest));
      expect(detail.layers.map((l) => l.size)).toEqual(result.layers.map((l) => l.size));
      expect(new Set(detail.layers.map((l) => l.state))).toEqual(new Set([expected]));
      // Written layers were tarred in full: their byte count reached the NAR size of their paths.
      if (expected === 'written') for (const l of detail.layers.filter((l) => l.kind === 'store-paths')) expect(l.tarBytes).toBeGreaterThanOrEqual(l.narSize);
    }
    store.close();
  });

  it('reaches the job summary and is stored with the job', async () => {
    const { db } = freshDatabase();
    const store = await freshStore();
    const runner = new JobRunner(db, { 'image-build': imageBuildJob(async () => store, () => undefined) });
    const seen: unknown[] = [];
    runner.subscribe((event) => {
      if (event.type === 'state' && event.job.detail !== null) seen.push(event.job.detail);
    });
    const input = { ...smallRecipe(inject('testbedDir'), ['bash']), strategy: 'nixery' };
    const job = await runner.wait((await runner.start('image-build', input)).id);
    expect(job.state).toBe('succeeded');
    const final = job.detail as ImageBuildDetail;
    expect(final.layers.length).toBe((job.result as { layers: unknown[] }).layers.length);
    expect(final.layers.every((l) => l.digest !== null)).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
    expect(runner.get(job.id).detail).toEqual(final);
    await runner.close();
    store.close();
  });
});
