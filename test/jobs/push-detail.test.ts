import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PushDetail } from '../../src-shared/push-detail.js';
import { pushJob, savedLogins } from '../../src-main/engine/jobs/kinds/push.js';
import { JobRunner } from '../../src-main/engine/jobs/runner.js';
import { buildImage } from '../../src-main/engine/builder/pipeline.js';
import type { Store } from '../../src-main/engine/store/store.js';
import { freshStore, smallRecipe } from '../builder/helpers.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';
import { freshDatabase } from './helpers.js';

describe('push job detail: per-blob state', () => {
  let registry: RunningRegistry;
  let store: Store;
  beforeAll(async () => {
    registry = await startRegistry();
    store = await freshStore();
    await buildImage(store, smallRecipe(inject('testbedDir'), ['bash']), { name: 'bash' });
  });
  afterAll(async () => {
    store?.close();
    await registry?.stop();
  });

  async function push(repository: string): Promise<PushDetail> {
    const { db } = freshDatabase();
    const runner = new JobRunner(db, { push: pushJob(async () => store, savedLogins(async () => undefined)) });
    const job = await runner.wait((await runner.start('push', { image: 'bash', target: `${registry.host}/${repository}:1`, tlsVerify: false, credentials: 'anonymous' })).id);
    expect(job.state, job.error ?? '').toBe('succeeded');
    const result = job.result as { blobs: { digest: string; action: string }[] };
    const detail = job.detail as PushDetail;
    // Every blob the push sent (layers and config) ends in the state the result names, with all its bytes.
    expect(detail.blobs.map((b) => [b.digest, b.state]).sort()).toEqual(result.blobs.map((b) => [b.digest, b.action]).sort());
    for (const blob of detail.blobs) expect(blob.sent).toBe(blob.size);
    await runner.close();
    return detail;
  }

  it('ends with every blob uploaded, then mounted when pushed to another repository', async () => {
    expect(new Set((await push('first')).blobs.map((b) => b.state))).toEqual(new Set(['uploaded']));
    expect(new Set((await push('second')).blobs.map((b) => b.state))).toEqual(new Set(['mounted']));
  });
});
