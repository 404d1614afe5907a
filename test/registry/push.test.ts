import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src-main/engine/db/database.js';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { PushRecords } from '../../src-main/engine/registry/push-records.js';
import { pushImage } from '../../src-main/engine/registry/push.js';
import { readRemoteImage } from '../../src-main/engine/registry/remote-image.js';
import { sha256Digest } from '../../src-main/engine/image/sha256.js';
import { MediaType } from '../../src-main/engine/image/media-types.js';
import { makeTestImage, noise } from './fixtures/test-image.js';
import { startFaultProxy, uploadedBytes, type FaultProxy } from './servers/fault-proxy.js';
import { startRegistry, type RunningRegistry } from './servers/registry-server.js';

function skopeoDigest(ref: string): string {
  const out = execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${ref}`], { encoding: 'utf8' });
  return (JSON.parse(out) as { Digest: string }).Digest;
}

function filesUnder(root: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(root, path)] = readFileSync(path);
    }
  };
  walk(root);
  return out;
}

describe('push to distribution 2.8 (anonymous)', () => {
  let registry: RunningRegistry;
  let proxy: FaultProxy;
  let db: Db;
  let records: PushRecords;
  let client: RegistryClient;

  beforeAll(async () => {
    registry = await startRegistry();
    proxy = await startFaultProxy(registry.host);
    db = openDatabase(':memory:');
    records = new PushRecords(db);
    client = new RegistryClient({ registry: proxy.host });
  });
  afterAll(async () => {
    await client?.close();
    db?.close();
    await proxy?.stop();
    await registry?.stop();
  });

  const base = {
    'etc/hello.txt': 'hello from lamina\n',
    'usr/share/big.bin': noise(300_000, 1),
  };
  const app = { 'app/run.sh': '#!/bin/sh\necho run\n', 'app/data.bin': noise(90_000, 2) };

  it('pushes an image that skopeo reads back with the same digest and umoci unpacks to the same tree', async () => {
    const image = await makeTestImage([base, app]);
    const result = await pushImage(client, { repository: 'team/app', tag: 'v1' }, image, { locations: records, chunkSize: 64 * 1024 });
    expect(result.digest).toBe(image.manifestDigest);
    expect(result.blobs.map((b) => b.action)).toEqual(['uploaded', 'uploaded', 'uploaded']);
    expect(skopeoDigest(`${registry.host}/team/app:v1`)).toBe(image.manifestDigest);

    const work = mkdtempSync(join(tmpdir(), 'lamina-umoci-'));
    execFileSync('skopeo', ['copy', '--src-tls-verify=false', `docker://${registry.host}/team/app:v1`, `oci:${join(work, 'layout')}:v1`], { stdio: 'ignore' });
    execFileSync('umoci', ['unpack', '--rootless', '--image', `${join(work, 'layout')}:v1`, join(work, 'bundle')], { stdio: 'ignore' });
    const tree = filesUnder(join(work, 'bundle', 'rootfs'));
    expect(Object.keys(tree).sort()).toEqual(Object.keys(image.tree).sort());
    for (const [path, content] of Object.entries(image.tree)) expect(tree[path]!.equals(content)).toBe(true);
  });

  it('uploads nothing the second time', async () => {
    const image = await makeTestImage([base, app]);
    proxy.log.length = 0;
    const result = await pushImage(client, { repository: 'team/app', tag: 'v1' }, image, { locations: records });
    expect(result.blobs.map((b) => b.action)).toEqual(['exists', 'exists', 'exists']);
    expect(uploadedBytes(proxy.log)).toBe(0);
    // The manifest being there vouches for its blobs: no per-blob checks, no manifest rewrite.
    expect(proxy.log.map((e) => e.method)).toEqual(['HEAD', 'HEAD']);
  });

  it('mounts every blob when the same image goes to another repository', async () => {
    const image = await makeTestImage([base, app]);
    proxy.log.length = 0;
    const result = await pushImage(client, { repository: 'other/app', tag: 'v1' }, image, { locations: records });
    expect(result.blobs.map((b) => b.action)).toEqual(['mounted', 'mounted', 'mounted']);
    expect(uploadedBytes(proxy.log)).toBe(0);
    expect(skopeoDigest(`${registry.host}/other/app:v1`)).toBe(image.manifestDigest);
  });

  it('uploads only the changed layer, the config and the manifest', async () => {
    const changed = await makeTestImage([base, { ...app, 'app/run.sh': '#!/bin/sh\necho run v2\n' }]);
    proxy.log.length = 0;
    const result = await pushImage(client, { repository: 'team/app', tag: 'v2' }, changed, { locations: records });
    const [config, baseLayer, appLayer] = result.blobs;
    expect([config!.action, baseLayer!.action, appLayer!.action]).toEqual(['uploaded', 'exists', 'uploaded']);
    expect(uploadedBytes(proxy.log)).toBe(config!.size + appLayer!.size);
    expect(proxy.log.filter((e) => e.method === 'PUT' && e.path.includes('/manifests/'))).toHaveLength(1);
    expect(skopeoDigest(`${registry.host}/team/app:v2`)).toBe(changed.manifestDigest);
  });

  it('pulls the image for the asked platform from an index, and lists tags and the catalog', async () => {
    const amd = await makeTestImage([{ 'arch.txt': 'amd64' }]);
    const arm = await makeTestImage([{ 'arch.txt': 'arm64' }]);
    for (const image of [amd, arm]) await pushImage(client, { repository: 'multi/app' }, image);
    const index = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociIndex,
        manifests: [
          { mediaType: MediaType.ociManifest, digest: amd.manifestDigest, size: amd.rawManifest.length, platform: { os: 'linux', architecture: 'amd64' } },
          { mediaType: MediaType.ociManifest, digest: arm.manifestDigest, size: arm.rawManifest.length, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
        ],
      }),
    );
    const put = await client.putManifest('multi/app', 'latest', { bytes: index, mediaType: MediaType.ociIndex });
    await put.body.dump();
    expect(put.status).toBe(201);

    const pickedArm = await readRemoteImage(client, 'multi/app', 'latest', { platform: { os: 'linux', architecture: 'arm64' } });
    expect(pickedArm.image.manifestDigest).toBe(arm.manifestDigest);
    expect(sha256Digest(pickedArm.rawIndex!)).toBe(sha256Digest(index));
    expect(pickedArm.indexPlatforms).toEqual([{ os: 'linux', architecture: 'amd64' }, { os: 'linux', architecture: 'arm64', variant: 'v8' }]);
    expect((await readRemoteImage(client, 'multi/app', 'latest', { platform: { os: 'linux', architecture: 'amd64' } })).image.manifestDigest).toBe(amd.manifestDigest);
    await expect(readRemoteImage(client, 'multi/app', 'latest', { platform: { os: 'linux', architecture: 's390x' } })).rejects.toThrow(/has no image for linux\/s390x \(it has linux\/amd64, linux\/arm64\/v8\)/);
    await expect(readRemoteImage(client, 'multi/app', 'latest')).rejects.toThrow(/is a multi-platform index \(linux\/amd64, linux\/arm64\/v8\); choose one with --platform/);
    expect(await client.listTags('multi/app')).toEqual(['latest']);
    expect(await client.catalog()).toEqual(['multi/app', 'other/app', 'team/app']);
  });

  it('records only blobs the registry confirmed', async () => {
    const rows = db.prepare('SELECT repository, digest FROM registry_blobs ORDER BY repository, digest').all() as { repository: string; digest: string }[];
    for (const row of rows) {
      const res = await fetch(`http://${registry.host}/v2/${row.repository}/blobs/${row.digest}`, { method: 'HEAD' });
      expect(res.status).toBe(200);
    }
    expect(rows.length).toBe(3 + 3 + 2);
  });
});
