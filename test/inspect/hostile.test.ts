/**
 * Hostile layers and images, each crafted here byte by byte: every one gets a
 * one-line LaminaError or a safe, marked listing; nothing is ever written outside
 * the data dir, and a layer that fails leaves no index behind.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compress as zstdCompress } from 'zstd-napi';
import { openDatabase, type Db } from '../../src-main/engine/db/database.js';
import { LaminaError } from '../../src-shared/errors.js';
import { DEFAULT_LIMITS, inspectImage, type LayerFile } from '../../src-main/engine/inspect/index.js';
import { gzipLayer, plainLayer, rawHeader, sha256, tarOf, writeLayout, GZIP_LAYER, type CraftedEntry } from './fixtures/crafted-layout.js';

let db: Db;
let work: string;
beforeEach(() => {
  db = openDatabase(':memory:');
  work = mkdtempSync(join(tmpdir(), 'lamina-hostile-'));
});
afterEach(() => db.close());

const inspect = (ref: string, limits = DEFAULT_LIMITS) => inspectImage(ref, { db, limits, useLocalNixStore: false });

async function layoutOf(...layers: CraftedEntry[][]): Promise<string> {
  return writeLayout(join(work, 'layout'), await Promise.all(layers.map(async (entries) => gzipLayer(await tarOf(entries)))));
}

/** The error a promise fails with, checked to be a one-line LaminaError. */
async function refusal(promise: Promise<unknown>, code: string): Promise<string> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LaminaError);
  expect((err as LaminaError).code).toBe(code);
  expect((err as Error).message).not.toContain('\n');
  return (err as Error).message;
}

function indexedLayers(): number {
  return (db.prepare('SELECT count(*) AS n FROM layer_indexes').get() as { n: number }).n;
}

const ZSTD_LAYER = 'application/vnd.oci.image.layer.v1.tar+zstd';

const byPath = (files: readonly LayerFile[]) => new Map(files.map((f) => [f.path, f]));

describe('hostile entry names and links', () => {
  it('lists ../ and absolute names inside the root, marked, and writes nothing where they point', async () => {
    const canary = join(tmpdir(), `lamina-escape-${process.pid}-${Date.now()}`);
    const climb = '../'.repeat(20) + canary.slice(1);
    const ref = await layoutOf([
      { name: climb, body: 'pwned' },
      { name: '/etc/shadow', body: 'root::0:0' },
      { name: 'ok/../../../etc/hosts', body: '127.0.0.1 evil' },
    ]);
    const report = await inspect(ref);
    const files = byPath(report.layers[0]!.files);
    expect(files.get(canary.slice(1))?.flags).toContain('escapes-root');
    expect(files.get('etc/shadow')?.flags).toEqual(['absolute-name']);
    expect(files.get('etc/hosts')?.flags).toEqual(['escapes-root']);
    expect(report.layers[0]!.warnings.join(' ')).toMatch(/climb above the root.*: 2 entries/);
    expect(existsSync(canary)).toBe(false);
    expect(readdirSync(work)).toEqual(['layout']);
  });

  it('marks symlinks and hardlinks that escape, and files written through a symlink', async () => {
    const ref = await layoutOf([
      { name: 'a/', type: 'directory' },
      { name: 'a/up', type: 'symlink', linkname: '../../../../etc' },
      { name: 'a/up/passwd', body: 'through the link' },
      { name: 'a/abs', type: 'symlink', linkname: '/etc/passwd' },
      { name: 'a/hard', type: 'link', linkname: '../../outside' },
      { name: 'a/fine', type: 'link', linkname: 'a/up/passwd' },
    ]);
    const files = byPath((await inspect(ref)).layers[0]!.files);
    expect(files.get('a/up')).toMatchObject({ kind: 'symlink', link: '../../../../etc', flags: ['link-escapes-root'] });
    expect(files.get('a/up/passwd')?.flags).toEqual(['through-symlink']);
    // An absolute target is resolved inside the container's root: not an escape.
    expect(files.get('a/abs')).toMatchObject({ kind: 'symlink', link: '/etc/passwd' });
    expect(files.get('a/abs')?.flags).toBeUndefined();
    expect(files.get('a/hard')).toMatchObject({ kind: 'hardlink', link: 'outside', flags: ['link-escapes-root'] });
    expect(files.get('a/fine')).toMatchObject({ kind: 'hardlink', link: 'a/up/passwd' });
  });

  it('lists device files and fifos without opening anything', async () => {
    const ref = await layoutOf([
      { name: 'dev/', type: 'directory' },
      { name: 'dev/sda', type: 'block-device', devmajor: 8, devminor: 0 },
      { name: 'dev/mem', type: 'character-device', devmajor: 1, devminor: 1 },
      { name: 'dev/pipe', type: 'fifo' },
    ]);
    const layer = (await inspect(ref)).layers[0]!;
    expect(layer.files.map((f) => [f.path, f.kind])).toEqual([
      ['dev', 'directory'],
      ['dev/mem', 'device'],
      ['dev/pipe', 'fifo'],
      ['dev/sda', 'device'],
    ]);
    expect(layer.warnings).toContain('device files: 2 entries');
  });
});

describe('limits', () => {
  it('refuses a name longer than the limit (a PAX path of 5000 bytes)', async () => {
    const ref = await layoutOf([{ name: `${'x'.repeat(5000)}`, body: 'a' }]);
    await refusal(inspect(ref), 'layer-name-too-long');
    expect(indexedLayers()).toBe(0);
  });

  it('refuses a PAX header bigger than any real one', async () => {
    const header = rawHeader('PaxHeaders/huge', 64 * 1024 * 1024, 'x');
    const tar = Buffer.concat([header, Buffer.alloc(8192)]);
    const message = await refusal(inspect(writeLayout(join(work, 'layout'), [plainLayer(tar)])), 'bad-layer');
    expect(message).toMatch(/Header exceeds max size/);
  });

  it('refuses a layer with more entries than allowed', async () => {
    const entries = Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, body: '' }));
    const ref = await layoutOf(entries);
    const message = await refusal(inspect(ref, { ...DEFAULT_LIMITS, maxEntries: 20 }), 'layer-too-many-entries');
    expect(message).toMatch(/more than 20 entries/);
  });

  it('refuses a layer whose names together outgrow what the index may hold', async () => {
    const entries = Array.from({ length: 40 }, (_, i) => ({ name: `${String(i).padStart(3, '0')}-${'n'.repeat(1000)}`, body: '' }));
    const message = await refusal(inspect(await layoutOf(entries), { ...DEFAULT_LIMITS, maxTotalNameBytes: 20_000 }), 'layer-too-many-entries');
    expect(message).toMatch(/names adding up to more than 20000 bytes/);
  });

  it('stops a gzip bomb early, in bounded memory', async () => {
    // One tar header for a 2 GiB file, then gzip members of zeros: 2 GiB from about 2 MB.
    const header = rawHeader('bomb', 2 ** 31, '0');
    const zeros = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    const blob = Buffer.concat([gzipSync(header), ...Array.from({ length: 128 }, () => zeros)]);
    const ref = writeLayout(join(work, 'layout'), [{ blob, mediaType: GZIP_LAYER, diffId: sha256(Buffer.from('unknowable')) }]);
    const before = process.memoryUsage().rss;
    const message = await refusal(inspect(ref), 'layer-too-big');
    expect(message).toMatch(/decompression bomb/);
    expect(process.memoryUsage().rss - before).toBeLessThan(256 * 1024 * 1024);
  });
});

describe('compression', () => {
  it('reads a zstd layer like a gzip one, and stops a zstd bomb too', async () => {
    const tar = await tarOf([{ name: 'etc/', type: 'directory' }, { name: 'etc/motd', body: 'hello\n' }]);
    const zstdLayer = { blob: zstdCompress(tar), mediaType: ZSTD_LAYER, diffId: sha256(tar) };
    const report = await inspect(writeLayout(join(work, 'zstd'), [zstdLayer]));
    expect(report.layers[0]!.files.map((f) => f.path)).toEqual(['etc', 'etc/motd']);

    // zstd frames concatenate like gzip members: a header, then 1 GiB of zeros from 64 copies of one small frame.
    const zeros = zstdCompress(Buffer.alloc(16 * 1024 * 1024));
    const bomb = Buffer.concat([zstdCompress(rawHeader('bomb', 2 ** 30, '0')), ...Array.from({ length: 64 }, () => zeros)]);
    const ref = writeLayout(join(work, 'zstd-bomb'), [{ blob: bomb, mediaType: ZSTD_LAYER, diffId: sha256(Buffer.from('x')) }]);
    await refusal(inspect(ref, { ...DEFAULT_LIMITS, expansionAllowance: 16 * 1024 * 1024 }), 'layer-too-big');
  });
});

describe('cancellation', () => {
  it('stops reading a layer when cancelled, with one line and no index kept', async () => {
    const header = rawHeader('big', 2 ** 31, '0');
    const zeros = gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 });
    const blob = Buffer.concat([gzipSync(header), ...Array.from({ length: 128 }, () => zeros)]);
    const ref = writeLayout(join(work, 'layout'), [{ blob, mediaType: GZIP_LAYER, diffId: sha256(Buffer.from('unknowable')) }]);
    const controller = new AbortController();
    const limits = { ...DEFAULT_LIMITS, expansionAllowance: 2 ** 32 };
    const running = inspectImage(ref, { db, limits, useLocalNixStore: false, signal: controller.signal, onEvent: (e) => e.type === 'opened' && setTimeout(() => controller.abort(), 50) });
    const message = await refusal(running, 'cancelled');
    expect(message).toBe('inspection cancelled; no partial layer index was kept');
    expect(indexedLayers()).toBe(0);
  });
});

describe('damaged and malformed layers', () => {
  it('refuses a truncated tar', async () => {
    const tar = await tarOf([{ name: 'big', body: Buffer.alloc(100_000, 7) }]);
    const cut = tar.subarray(0, 40_000);
    const message = await refusal(inspect(writeLayout(join(work, 'layout'), [plainLayer(cut)])), 'bad-layer');
    expect(message).toMatch(/not a readable tar/);
    expect(indexedLayers()).toBe(0);
  });

  it('accepts a tar that ends right after its last file, as umoci writes them', async () => {
    const tar = await tarOf([{ name: 'a', body: 'first' }, { name: 'b', body: 'last file' }]);
    const unended = tar.subarray(0, 512 * 3 + 'last file'.length);
    const report = await inspect(writeLayout(join(work, 'layout'), [plainLayer(unended)]));
    expect(report.layers[0]!.files.map((f) => [f.path, f.size])).toEqual([
      ['a', 5],
      ['b', 9],
    ]);
  });

  it('refuses a tar whose last file is cut short, even by less than the end it lacks', async () => {
    const tar = await tarOf([{ name: 'big', body: Buffer.alloc(5000, 7) }]);
    const cut = tar.subarray(0, 512 + 5000 - 100);
    const message = await refusal(inspect(writeLayout(join(work, 'layout'), [plainLayer(cut)])), 'bad-layer');
    expect(message).toMatch(/truncated/);
    expect(indexedLayers()).toBe(0);
  });

  it('refuses bytes that are not a tar', async () => {
    const garbage = Buffer.from('this is not a tar archive at all, just text. '.repeat(40));
    await refusal(inspect(writeLayout(join(work, 'layout'), [plainLayer(garbage)])), 'bad-layer');
  });

  it('refuses a gzip layer that is not gzip', async () => {
    const tar = await tarOf([{ name: 'a', body: 'a' }]);
    const ref = writeLayout(join(work, 'layout'), [{ blob: tar, mediaType: GZIP_LAYER, diffId: sha256(tar) }]);
    const message = await refusal(inspect(ref), 'bad-layer');
    expect(message).toMatch(/gzip-compressed tar/);
  });
});

describe('hostile docker-archives', () => {
  async function archiveOf(members: CraftedEntry[]): Promise<string> {
    const file = join(work, 'image.tar');
    writeFileSync(file, await tarOf(members));
    return `docker-archive:${file}`;
  }

  it('refuses an archive whose manifest points outside it', async () => {
    const manifest = JSON.stringify([{ Config: 'config.json', RepoTags: ['evil:1'], Layers: ['../../../etc/passwd'] }]);
    const ref = await archiveOf([{ name: 'manifest.json', body: manifest }, { name: 'config.json', body: '{}' }]);
    await refusal(inspect(ref), 'bad-image');
    expect(readdirSync(work)).toEqual(['image.tar']);
  });

  it('lists a hostile layer inside an archive safely, like one from a layout', async () => {
    const layer = await tarOf([{ name: '../../../../root/.ssh/authorized_keys', body: 'ssh-ed25519 AAAA' }]);
    const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } });
    const manifest = JSON.stringify([{ Config: 'config.json', RepoTags: ['evil:1'], Layers: ['layer/layer.tar'] }]);
    const ref = await archiveOf([
      { name: 'manifest.json', body: manifest },
      { name: 'config.json', body: config },
      { name: 'layer/layer.tar', body: layer },
    ]);
    const files = (await inspect(ref)).layers[0]!.files;
    expect(files).toEqual([{ path: 'root/.ssh/authorized_keys', kind: 'file', size: 16, mode: 0o644, flags: ['escapes-root'] }]);
    expect(existsSync('/root/.ssh/authorized_keys') && readFileSync('/root/.ssh/authorized_keys', 'utf8').includes('AAAA')).toBe(false);
  });
});

describe('manifests and configs that lie', () => {
  it('refuses a blob whose bytes do not match the manifest digest, and keeps no index', async () => {
    const real = gzipLayer(await tarOf([{ name: 'a', body: 'real' }]));
    const other = gzipLayer(await tarOf([{ name: 'a', body: 'fake' }]));
    const ref = writeLayout(join(work, 'layout'), [{ ...other, declaredDigest: sha256(real.blob), diffId: other.diffId }]);
    const message = await refusal(inspect(ref), 'bad-blob');
    expect(message).toMatch(/promised; it is damaged/);
    expect(indexedLayers()).toBe(0);
  });

  it('refuses a manifest that lies about a layer size', async () => {
    const layer = gzipLayer(await tarOf([{ name: 'a', body: 'a' }]));
    await refusal(inspect(writeLayout(join(work, 'layout'), [{ ...layer, declaredSize: layer.blob.length + 10 }])), 'bad-image');
  });

  it('refuses a config that lies about the diff_id of a layer indexed before', async () => {
    const layer = gzipLayer(await tarOf([{ name: 'a', body: 'a' }]));
    await inspect(writeLayout(join(work, 'honest'), [layer]));
    const message = await refusal(inspect(writeLayout(join(work, 'liar'), [{ ...layer, diffId: sha256(Buffer.from('other')) }])), 'bad-image');
    expect(message).toMatch(/the config claims sha256:/);
  });

  it('refuses a config whose diff_id is not the tar it names, and keeps no index', async () => {
    const layer = gzipLayer(await tarOf([{ name: 'a', body: 'a' }]));
    const message = await refusal(inspect(writeLayout(join(work, 'layout'), [{ ...layer, diffId: sha256(Buffer.from('other')) }])), 'bad-blob');
    expect(message).toMatch(/diff_id/);
    expect(indexedLayers()).toBe(0);
  });
});
