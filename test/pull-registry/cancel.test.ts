/**
 * An on-demand build cancelled from the Jobs view (here: the runner's cancel, as
 * the view calls it) ends the pull with a registry error and records nothing; the
 * next pull builds the image whole. The registry runs in this process, as it does
 * in the app.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openEngineServices, type EngineServices } from '../../src-main/ipc/engine-services.js';
import { freshHome } from '../cli/run-cli.js';

const run = promisify(execFile);

async function skopeoInspect(reference: string): Promise<{ ok: boolean; text: string }> {
  try {
    return { ok: true, text: (await run('skopeo', ['inspect', '--tls-verify=false', reference])).stdout };
  } catch (err) {
    return { ok: false, text: (err as { stderr: string }).stderr };
  }
}

describe('cancelling an on-demand build', () => {
  let services: EngineServices;
  let address: string;
  beforeAll(async () => {
    services = openEngineServices({ home: freshHome() });
    address = (await services.pullRegistry.start({ source: inject('testbedDir') })).address!;
  });
  afterAll(async () => {
    await services?.close();
  });

  it('fails the pull with the job named, leaves no cache entry, and the next pull builds it whole', async () => {
    const stop = services.runner.subscribe((event) => {
      if (event.type === 'state' && event.job.kind === 'image-build' && event.job.state === 'running') services.runner.cancel(event.job.id);
    });
    const cancelled = await skopeoInspect(`docker://${address}/gzip/sed:latest`);
    stop();
    expect(cancelled.ok).toBe(false);
    expect(cancelled.text).toMatch(/manifest unknown: could not build gzip\/sed:latest \(job 1\): it was cancelled/);
    const rows = (): unknown[] => services.db.prepare('SELECT repository FROM pull_images').all();
    expect(rows()).toEqual([]);

    const pulled = await skopeoInspect(`docker://${address}/gzip/sed:latest`);
    expect(pulled.ok, pulled.text).toBe(true);
    expect(services.runner.list().map((j) => j.state)).toEqual(['succeeded', 'cancelled']);
    expect(rows()).toEqual([{ repository: 'gzip/sed' }]);
  });
});
