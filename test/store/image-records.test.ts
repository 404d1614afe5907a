import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sha256Digest } from '../../src-main/engine/image/sha256.js';
import { openStore, type Store } from '../../src-main/engine/store/store.js';

const opened: Store[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const store of opened.splice(0)) store.close();
});

async function freshStore(): Promise<Store> {
  const store = await openStore(mkdtempSync(join(tmpdir(), 'lamina-images-')));
  opened.push(store);
  return store;
}

function image(n: number): { manifest: { bytes: Buffer }; config: { bytes: Buffer }; layers: string[] } {
  return { manifest: { bytes: Buffer.from(`{"manifest":${n}}`) }, config: { bytes: Buffer.from(`{"config":${n}}`) }, layers: [] };
}

/** index.json as a file: a rewrite replaces it (written aside, then renamed over), so its inode changes. */
function indexFile(store: Store): { inode: number; names: Record<string, string> } {
  const file = store.layout.indexFile;
  const index = JSON.parse(readFileSync(file, 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
  return { inode: statSync(file).ino, names: Object.fromEntries(index.manifests.map((m) => [m.annotations['org.opencontainers.image.ref.name']!, m.digest])) };
}

describe('image records', () => {
  it('commits the same image again under its name without rewriting index.json, and renews its time so gc keeps it', async () => {
    const store = await freshStore();
    const now = vi.spyOn(Date, 'now');
    now.mockReturnValue(1000);
    await store.images.commit('app', image(1));
    now.mockReturnValue(2000);
    await store.images.commit('tool', image(2));
    const before = indexFile(store);
    expect(before.names).toEqual({ app: sha256Digest(image(1).manifest.bytes), tool: sha256Digest(image(2).manifest.bytes) });

    now.mockReturnValue(3000);
    const again = await store.images.commit('app', image(1));
    expect(indexFile(store)).toEqual(before);
    expect(again.createdAt).toBe(3000);
    // gc with a budget takes the oldest image first: now `tool`, not the one just rebuilt.
    const oldest = store.db.prepare('SELECT name FROM images ORDER BY created_at, name LIMIT 1').get() as { name: string };
    expect(oldest.name).toBe('tool');
  });

  it('puts right an index.json that says something else than the rows (left by a crash), even when the image is the same', async () => {
    const store = await freshStore();
    await store.images.commit('app', image(1));
    const right = readFileSync(store.layout.indexFile, 'utf8');
    // As a crash between index.json's rename and the transaction's commit would leave it: naming an image the rows do not have.
    writeFileSync(store.layout.indexFile, right.replace(sha256Digest(image(1).manifest.bytes), sha256Digest(image(2).manifest.bytes)));
    await store.images.commit('app', image(1));
    expect(readFileSync(store.layout.indexFile, 'utf8')).toBe(right);
  });

  it('rewrites index.json when the name gets another image', async () => {
    const store = await freshStore();
    await store.images.commit('app', image(1));
    const before = indexFile(store);
    await store.images.commit('app', image(3));
    const after = indexFile(store);
    expect(after.inode).not.toBe(before.inode);
    expect(after.names).toEqual({ app: sha256Digest(image(3).manifest.bytes) });
    expect(store.images.get('app')?.configDigest).toBe(sha256Digest(image(3).config.bytes));
  });
});
