import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src-main/engine/db/database.js';
import { readOciLayout } from '../../src-main/engine/image/oci-layout-reader.js';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { sha256Digest } from '../../src-main/engine/image/sha256.js';
import { MediaType } from '../../src-main/engine/image/media-types.js';
import { readRemoteImage } from '../../src-main/engine/registry/remote-image.js';
import { PushRecords } from '../../src-main/engine/registry/push-records.js';
import { pushBlob, pushImage } from '../../src-main/engine/registry/push.js';
import { writeTestLayout } from './fixtures/oci-layout.js';
import { makeTestImage, noise } from './fixtures/test-image.js';
import { startFaultProxy, type FaultProxy } from './servers/fault-proxy.js';
import { startRegistry, type RunningRegistry } from './servers/registry-server.js';

const fastRetry = { attempts: 6, baseDelayMs: 20, maxDelayMs: 200, maxRetryAfterMs: 5_000 };
const CHUNK = 64 * 1024;

describe('push and pull through a faulty network', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  let db: Db;
  let records: PushRecords;

  beforeAll(async () => {
    // Relative Location headers here, absolute ones in push.test.ts: both forms are followed.
    registry = await startRegistry({ kind: 'none' }, { relativeUrls: true });
    proxy = await startFaultProxy(registry.host);
    db = openDatabase(':memory:');
    records = new PushRecords(db);
  });
  afterAll(async () => {
    db?.close();
    await proxy?.stop();
    await registry?.stop();
  });

  const withClient = async <T>(fn: (client: RegistryClient) => Promise<T>): Promise<T> => {
    const client = new RegistryClient({ registry: proxy.host, retry: fastRetry });
    try {
      return await fn(client);
    } finally {
      await client.close();
    }
  };

  const expectOnRegistry = (repository: string, tag: string, digest: string) => {
    const out = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/${repository}:${tag}`]);
    expect(sha256Digest(out)).toBe(digest);
  };

  const expectNoFalseRecords = async () => {
    const rows = db.prepare('SELECT repository, digest FROM registry_blobs').all() as { repository: string; digest: string }[];
    for (const row of rows) {
      const res = await fetch(`http://${registry.host}/v2/${row.repository}/blobs/${row.digest}`, { method: 'HEAD' });
      expect(res.status, `${row.repository} ${row.digest}`).toBe(200);
    }
  };

  it('survives 503, 500 and 429 with Retry-After on every kind of request', async () => {
    const image = await makeTestImage([{ 'a.bin': noise(200_000, 10) }, { 'b.txt': 'b' }]);
    proxy.rules = [
      { method: 'HEAD', path: /\/blobs\//, fault: { kind: 'status', status: 503 }, times: 2 },
      { method: 'POST', path: /\/blobs\/uploads\/$/, fault: { kind: 'status', status: 500 }, times: 1 },
      { method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 429, retryAfter: 1, code: 'TOOMANYREQUESTS' }, times: 1 },
      { method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 503 }, times: 1 },
      { method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 502 }, times: 1 },
      { method: 'PUT', path: /\/manifests\//, fault: { kind: 'status', status: 503 }, times: 1 },
    ];
    const result = await withClient((client) => pushImage(client, { repository: 'faults/status', tag: 'v1' }, image, { locations: records, chunkSize: CHUNK, jobs: 2 }));
    expect(proxy.rules.every((r) => r.times === 0)).toBe(true);
    expect(result.digest).toBe(image.manifestDigest);
    expectOnRegistry('faults/status', 'v1', image.manifestDigest);
    await expectNoFalseRecords();
  });

  it('resumes a chunked upload from the Range the registry reports after a dropped connection or a 503', async () => {
    const image = await makeTestImage([{ 'big.bin': noise(400_000, 11) }]);
    // The first chunk goes through; the next is dropped on the way, the one after answered 503.
    proxy.rules = [
      { method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'drop-request' }, times: 1, skip: 1 },
      { method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'status', status: 503 }, times: 1 },
    ];
    proxy.log.length = 0;
    const result = await withClient((client) => pushImage(client, { repository: 'faults/resume', tag: 'v1' }, image, { locations: records, chunkSize: CHUNK }));
    expect(proxy.rules.every((r) => r.times === 0)).toBe(true);
    expect(result.blobs.map((b) => b.action)).toEqual(['uploaded', 'uploaded']);
    // Resumed, not restarted: one upload session per blob, and the chunk in flight resent once.
    expect(proxy.log.filter((e) => e.method === 'POST').length).toBe(2);
    const forwarded = proxy.log.filter((e) => e.method === 'PATCH' && !e.fault).reduce((sum, e) => sum + e.requestBytes, 0);
    expect(forwarded).toBe(image.blobs[1]!.size);
    expectOnRegistry('faults/resume', 'v1', image.manifestDigest);
    await expectNoFalseRecords();
  });

  it('starts the blob over in a new session when half a chunk reached distribution (which then voids the session)', async () => {
    const image = await makeTestImage([{ 'big.bin': noise(400_000, 14) }]);
    proxy.rules = [{ method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'cut-request' }, times: 2, skip: 1 }];
    const result = await withClient((client) => pushImage(client, { repository: 'faults/cut', tag: 'v1' }, image, { locations: records, chunkSize: CHUNK }));
    expect(proxy.rules[0]!.times).toBe(0);
    expect(result.blobs.map((b) => b.action)).toEqual(['uploaded', 'uploaded']);
    expectOnRegistry('faults/cut', 'v1', image.manifestDigest);
    await expectNoFalseRecords();
  });

  it('starts over cleanly when a monolithic upload is cut', async () => {
    const image = await makeTestImage([{ 'small.bin': noise(30_000, 12) }]);
    proxy.rules = [{ method: 'PUT', path: /\/blobs\/uploads\//, fault: { kind: 'cut-request' }, times: 2 }];
    const result = await withClient((client) => pushImage(client, { repository: 'faults/mono', tag: 'v1' }, image, { locations: records, chunkSize: CHUNK }));
    expect(proxy.rules[0]!.times).toBe(0);
    expect(result.digest).toBe(image.manifestDigest);
    expectOnRegistry('faults/mono', 'v1', image.manifestDigest);
    await expectNoFalseRecords();
  });

  it('starts over when the registry finds the uploaded bytes corrupt (DIGEST_INVALID voids the session)', async () => {
    const image = await makeTestImage([{ 'corrupt.bin': noise(200_000, 16) }]);
    proxy.rules = [{ method: 'PATCH', path: /\/blobs\/uploads\//, fault: { kind: 'corrupt-request' }, times: 1 }];
    proxy.log.length = 0;
    const result = await withClient((client) => pushImage(client, { repository: 'faults/corrupt', tag: 'v1' }, image, { locations: records, chunkSize: CHUNK }));
    expect(proxy.rules[0]!.times).toBe(0);
    expect(result.digest).toBe(image.manifestDigest);
    // The layer needed a second session after the registry refused the first.
    expect(proxy.log.filter((e) => e.method === 'POST').length).toBe(3);
    expectOnRegistry('faults/corrupt', 'v1', image.manifestDigest);
    await expectNoFalseRecords();
  });

  it('refuses to commit a blob whose source does not match its digest', async () => {
    const image = await makeTestImage([{ 'changed.bin': noise(200_000, 17) }]);
    const layer = image.blobs[1]!;
    // A blob that does not vouch for itself (as the team cache pushes store blobs): the push hashes it and refuses.
    const tampered = { ...layer, open: async () => Readable.from([noise(layer.size, 99)]) };
    await expect(withClient((client) => pushBlob(client, 'faults/tampered', tampered, { locations: records, chunkSize: CHUNK }))).rejects.toThrow(
      /the source of blob sha256:[0-9a-f]{12} has changed or is corrupt .*; rebuild or re-export the image/,
    );
    expect((await fetch(`http://${registry.host}/v2/faults/tampered/blobs/${layer.digest}`, { method: 'HEAD' })).status).toBe(404);
    expect(db.prepare('SELECT count(*) AS n FROM registry_blobs WHERE digest = ?').get(layer.digest)).toEqual({ n: 0 });
  });

  it('refuses a changed source in a one-request upload too, with the same line', async () => {
    const image = await makeTestImage([{ 'changed-small.bin': noise(50_000, 18) }]);
    const layer = image.blobs[1]!;
    // A blob that does not vouch for itself (as the team cache pushes store blobs): the push hashes it and refuses.
    const tampered = { ...layer, open: async () => Readable.from([noise(layer.size, 98)]) };
    await expect(withClient((client) => pushBlob(client, 'faults/tampered-small', tampered, { locations: records, chunkSize: 1 << 20 }))).rejects.toThrow(
      /the source of blob sha256:[0-9a-f]{12} has changed or is corrupt .*; rebuild or re-export the image/,
    );
    expect((await fetch(`http://${registry.host}/v2/faults/tampered-small/blobs/${layer.digest}`, { method: 'HEAD' })).status).toBe(404);
  });

  it("refuses a layout blob damaged after it was opened (caught by the layer stream's own check), chunked or in one request", async () => {
    for (const [name, chunkSize] of [['chunked', CHUNK], ['whole', 1 << 20]] as const) {
      const image = await makeTestImage([{ [`damaged-${name}.bin`]: noise(200_000, 21) }]);
      const dir = mkdtempSync(join(tmpdir(), 'lamina-damaged-layout-'));
      try {
        await writeTestLayout(image, dir, 'v1');
        const opened = await readOciLayout(dir, 'v1');
        const layer = image.blobs[1]!;
        // Same size, other bytes: only the digest can tell.
        writeFileSync(join(dir, 'blobs', 'sha256', layer.digest.slice('sha256:'.length)), noise(layer.size, 22));
        const repository = `faults/damaged-${name}`;
        await expect(withClient((client) => pushImage(client, { repository, tag: 'v1' }, opened, { locations: records, chunkSize }))).rejects.toThrow(
          /layer 1 of oci:.* has digest sha256:[0-9a-f]{64} but sha256:[0-9a-f]{64} was promised; it is damaged/,
        );
        expect((await fetch(`http://${registry.host}/v2/${repository}/blobs/${layer.digest}`, { method: 'HEAD' })).status).toBe(404);
        expect(db.prepare('SELECT count(*) AS n FROM registry_blobs WHERE digest = ?').get(layer.digest)).toEqual({ n: 0 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('pulls and verifies an image while downloads are cut and answers fail', async () => {
    const image = await makeTestImage([{ 'pull.bin': noise(150_000, 13) }]);
    await withClient((client) => pushImage(client, { repository: 'faults/pull', tag: 'v1' }, image, { chunkSize: CHUNK }));
    proxy.rules = [
      { method: 'GET', path: /\/manifests\//, fault: { kind: 'status', status: 503 }, times: 1 },
      { method: 'GET', path: /\/blobs\/sha256:/, fault: { kind: 'status', status: 429, retryAfter: 1 }, times: 1 },
    ];
    const pulled = await withClient(async (client) => (await readRemoteImage(client, 'faults/pull', 'v1')).image);
    expect(pulled.manifestDigest).toBe(image.manifestDigest);
    expect(proxy.rules.every((r) => r.times === 0)).toBe(true);

    // A download cut half way goes on from where it stopped, and the whole is verified.
    const layer = image.blobs[1]!;
    proxy.rules = [{ method: 'GET', path: /\/blobs\/sha256:/, fault: { kind: 'cut-response' }, times: 2 }];
    proxy.log.length = 0;
    await withClient(async (client) => {
      const bytes = await client.getBlobBytes('faults/pull', layer.digest, layer.size);
      expect(bytes.length).toBe(layer.size);
      expect(proxy.rules[0]!.times).toBe(0);
      expect(proxy.log.filter((e) => e.method === 'GET' && e.path.includes('/blobs/')).length).toBe(3);
    });

    // A connection that keeps breaking ends in one clear line, never in half a layer.
    proxy.rules = [{ method: 'GET', path: /\/blobs\/sha256:/, fault: { kind: 'cut-response' }, times: 100 }];
    await withClient((client) => expect(client.getBlobBytes('faults/pull', layer.digest, layer.size)).rejects.toThrow(/broke off after \d+ bytes; try again|connection to .* kept breaking/));
    proxy.rules = [];
  });

  it('falls back to Docker schema2 when the registry refuses OCI manifests', async () => {
    const image = await makeTestImage([{ 'oci.txt': 'refused' }]);
    proxy.rules = [{ method: 'PUT', path: /\/manifests\//, contentType: MediaType.ociManifest, fault: { kind: 'status', status: 400, code: 'MANIFEST_INVALID' }, times: 1 }];
    const result = await withClient((client) => pushImage(client, { repository: 'faults/docker', tag: 'v1' }, image, { locations: records }));
    expect(result.mediaType).toBe(MediaType.dockerManifest);
    expect(result.digest).not.toBe(image.manifestDigest);
    expectOnRegistry('faults/docker', 'v1', result.digest);
    const raw = JSON.parse(execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${registry.host}/faults/docker:v1`], { encoding: 'utf8' })) as { layers: { mediaType: string }[] };
    expect(raw.layers[0]!.mediaType).toBe(MediaType.dockerLayerGzip);
  });

  it('stops when cancelled, leaving no record of what the registry did not confirm', async () => {
    const image = await makeTestImage([{ 'cancel.bin': noise(600_000, 15) }]);
    const controller = new AbortController();
    const client = new RegistryClient({ registry: proxy.host, retry: fastRetry, signal: controller.signal });
    const layer = image.blobs[1]!;
    const pushing = pushImage(client, { repository: 'faults/cancel', tag: 'v1' }, image, {
      locations: records,
      chunkSize: CHUNK,
      onEvent: (e) => {
        if (e.kind === 'blob' && e.digest === layer.digest && e.sent >= 2 * CHUNK) controller.abort();
      },
    });
    await expect(pushing).rejects.toThrow(/^cancelled$/);
    await client.close();
    expect(db.prepare('SELECT count(*) AS n FROM registry_blobs WHERE digest = ?').get(layer.digest)).toEqual({ n: 0 });
    expect((await fetch(`http://${registry.host}/v2/faults/cancel/manifests/v1`)).status).toBe(404);
    await expectNoFalseRecords();
  });

  it('gives up after a bounded number of tries with one clear line, recording nothing', async () => {
    const image = await makeTestImage([{ 'never.txt': 'never' }]);
    proxy.rules = [{ method: 'POST', path: /\/blobs\/uploads\/$/, fault: { kind: 'status', status: 503 }, times: 1000 }];
    proxy.log.length = 0;
    const before = db.prepare('SELECT count(*) AS n FROM registry_blobs').get() as { n: number };
    await expect(withClient((client) => pushImage(client, { repository: 'faults/never', tag: 'v1' }, image, { locations: records, jobs: 1 }))).rejects.toThrow(
      /failed \(HTTP 503\) to start an upload, even after retries/,
    );
    expect(proxy.log.filter((e) => e.method === 'POST').length).toBe(fastRetry.attempts);
    expect((db.prepare('SELECT count(*) AS n FROM registry_blobs').get() as { n: number }).n).toBe(before.n);
    proxy.rules = [];
  });
});
