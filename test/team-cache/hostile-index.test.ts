/**
 * A team cache index is hostile input: whatever the document says, a build
 * with --cache-from gives one warning line and the same image a cold build makes.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RegistryClient } from '../../src-main/engine/registry/client.js';
import { sha256Digest } from '../../src-main/engine/image/sha256.js';
import { MediaType } from '../../src-main/engine/image/media-types.js';
import { uploadBlob } from '../../src-main/engine/registry/upload.js';
import { TEAM_CACHE_MEDIA_TYPE, type TeamCacheEntry } from '../../src-main/engine/team-cache/index-document.js';
import { readIndex } from '../../src-main/engine/team-cache/registry-index.js';
import { freshHome, runCli } from '../cli/run-cli.js';
import { startRegistry, type RunningRegistry } from '../registry/servers/registry-server.js';

interface BuildJson {
  manifestDigest: string;
  layers: { key: string; source: 'local' | 'team' | 'built' }[];
}

describe('a hostile team cache index', () => {
  let registry: RunningRegistry;
  let client: RegistryClient;
  let a: BuildJson;
  let entries: TeamCacheEntry[];
  const build = (args: string[]) => runCli(['build', ...inject('testbedRoots'), '--source', inject('testbedDir'), '--json', ...args], { LAMINA_HOME: freshHome() });

  beforeAll(async () => {
    registry = await startRegistry();
    client = new RegistryClient({ registry: registry.host });
    const result = await build(['--cache-to', `docker://${registry.host}/team/good`, '--push', `docker://${registry.host}/app/a:1`]);
    expect(result.code, result.stderr).toBe(0);
    a = JSON.parse(result.stdout) as BuildJson;
    entries = [...(await readIndex(client, { repository: 'team/good', tag: 'cache' })).entries.values()];
  });
  afterAll(async () => {
    await client?.close();
    await registry?.stop();
  });

  /** Puts a document as the config of a cache manifest under `tag`, as a careless or hostile writer could. */
  async function putIndex(tag: string, doc: Buffer): Promise<void> {
    const digest = sha256Digest(doc);
    await uploadBlob(client, 'team/good', { digest, size: doc.length, mediaType: TEAM_CACHE_MEDIA_TYPE, open: async () => Readable.from([doc]) });
    const manifest = { schemaVersion: 2, mediaType: MediaType.ociManifest, config: { mediaType: TEAM_CACHE_MEDIA_TYPE, digest, size: doc.length }, layers: [] };
    const res = await client.putManifest('team/good', tag, { bytes: Buffer.from(JSON.stringify(manifest)), mediaType: MediaType.ociManifest });
    expect(res.status, await res.body.text()).toBe(201);
  }

  const json = (value: unknown) => Buffer.from(JSON.stringify(value));
  const withFirst = (change: Partial<TeamCacheEntry>) => json({ schemaVersion: 1, entries: [{ ...entries[0]!, ...change }, ...entries.slice(1)] });

  /** Builds from the cache at `tag`: one warning matching `said`, the layers in `built` written, and A's image. */
  async function expectOneWarning(ref: string, said: RegExp, built: (keys: string[]) => string[]): Promise<void> {
    const result = await build(['--cache-from', ref]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stderr.split('\n').filter((l) => l.startsWith('lamina: warning:'));
    expect(lines, result.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(said);
    const b = JSON.parse(result.stdout) as BuildJson;
    expect(b.manifestDigest).toBe(a.manifestDigest);
    expect(b.layers.filter((l) => l.source === 'built').map((l) => l.key).sort()).toEqual(built(b.layers.map((l) => l.key)).sort());
  }

  const all = (keys: string[]) => keys;
  const firstOnly = () => [entries[0]!.key];
  const ref = (tag: string) => `docker://${registry.host}/team/good:${tag}`;

  it('not JSON', async () => {
    await putIndex('not-json', Buffer.from('{"schemaVersion":1,"entries":['));
    await expectOneWarning(ref('not-json'), /is not valid JSON; building without it/, all);
  });

  it('the wrong shape', async () => {
    await putIndex('wrong-shape', json({ schemaVersion: 1, entries: 'all of them' }));
    await expectOneWarning(ref('wrong-shape'), /is not a Lamina cache index/, all);
  });

  it('too big to read', async () => {
    await putIndex('huge', Buffer.alloc(17 * 1024 * 1024, 0x20));
    await expectOneWarning(ref('huge'), /more than a cache index may be; building without it/, all);
  });

  it('malformed entries, and an entry claiming another compression under this key', async () => {
    const doc = json({ schemaVersion: 1, entries: [{ ...entries[0]!, compression: 'zstd' }, { ...entries[1]!, digest: 'sha256:nope' }, 'x', ...entries.slice(2)] });
    await putIndex('bad-entries', doc);
    await expectOneWarning(ref('bad-entries'), /has 3 malformed entries; they are ignored/, () => [entries[0]!.key, entries[1]!.key]);
  });

  it('a wrong diffID', async () => {
    await putIndex('wrong-diffid', withFirst({ diffId: entries[1]!.diffId }));
    await expectOneWarning(ref('wrong-diffid'), /names layer .*, but it could not be used/, firstOnly);
  });

  it("another layer's blob and diffID under this key", async () => {
    const other = entries[1]!;
    await putIndex('swapped', withFirst({ digest: other.digest, size: other.size, diffId: other.diffId, uncompressedSize: other.uncompressedSize }));
    await expectOneWarning(ref('swapped'), /does not hold what its cache entry says/, firstOnly);
  });

  it('a tag that holds an image, not a cache', async () => {
    await expectOneWarning(`docker://${registry.host}/app/a:1`, /not a Lamina cache index; building without it/, all);
  });
});
