import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { hashFile, sha256Digest } from '../../src-main/engine/image/sha256.js';
import { collectGarbage } from '../../src-main/engine/store/gc.js';
import { openStore, type Store } from '../../src-main/engine/store/store.js';

const opened: Store[] = [];
async function freshStore(): Promise<Store> {
  const store = await openStore(mkdtempSync(join(tmpdir(), 'lamina-store-')));
  opened.push(store);
  return store;
}
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

/** Every row's file exists and re-hashes to the row's digest and size. */
async function expectRowsAreWhole(store: Store): Promise<void> {
  for (const blob of store.content.list()) {
    expect(await hashFile(store.layout.blobPath(blob.digest))).toEqual({ digest: blob.digest, size: blob.size });
  }
}

describe('content store', () => {
  it('lays out an OCI image layout and reads back what it wrote', async () => {
    const store = await freshStore();
    const bytes = Buffer.from('{"hello":"world"}');
    const descriptor = await store.content.put(bytes, 'application/json');
    expect(descriptor).toEqual({ mediaType: 'application/json', digest: sha256Digest(bytes), size: bytes.length });
    expect(await store.content.read(descriptor.digest)).toEqual(bytes);
    expect(existsSync(join(store.layout.root, 'oci-layout'))).toBe(true);
    expect(existsSync(join(store.layout.root, 'index.json'))).toBe(true);
    expect(readdirSync(store.layout.ingestDir)).toEqual([]);
  });

  it('refuses a commit whose bytes do not match the promised digest, and records nothing', async () => {
    const store = await freshStore();
    const ingest = await store.content.begin();
    await writeFile(ingest.file, 'actual bytes');
    const promised = sha256Digest('other bytes');
    await expect(ingest.commit({ mediaType: 'x', digest: promised, size: 12 })).rejects.toThrow(/damaged/);
    expect(store.content.has(promised)).toBe(false);
    expect(existsSync(store.layout.blobPath(promised))).toBe(false);
    expect(readdirSync(store.layout.ingestDir)).toEqual([]);
  });

  it('refuses a truncated write by its size', async () => {
    const store = await freshStore();
    const ingest = await store.content.begin();
    await writeFile(ingest.file, 'abc');
    await expect(ingest.commit({ mediaType: 'x', digest: sha256Digest('abc'), size: 4 })).rejects.toThrow(/truncated/);
    expect(store.content.list()).toEqual([]);
  });

  it('commits a blob written through the ingest writer by the digest it hashed, and refuses a promise that differs', async () => {
    const store = await freshStore();
    const bytes = Buffer.from('written in two pieces');
    const ingest = await store.content.begin();
    const writer = await ingest.open();
    await writer.write(bytes.subarray(0, 7));
    await writer.write(bytes.subarray(7));
    expect(await writer.close()).toEqual({ digest: sha256Digest(bytes), size: bytes.length });
    await ingest.commit({ mediaType: 'x', digest: sha256Digest(bytes), size: bytes.length });
    expect(await store.content.read(sha256Digest(bytes))).toEqual(bytes);

    const wrong = await store.content.begin();
    const other = await wrong.open();
    await other.write(Buffer.from('actual bytes'));
    await other.close();
    await expect(wrong.commit({ mediaType: 'x', digest: sha256Digest('other bytes'), size: 12 })).rejects.toThrow(/damaged/);
    expect(store.content.has(sha256Digest('other bytes'))).toBe(false);
    await expectRowsAreWhole(store);
    expect(readdirSync(store.layout.ingestDir)).toEqual([]);
  });

  it('clears ingest files left by dead processes when opened, and keeps live ones', async () => {
    const store = await freshStore();
    const root = store.layout.root;
    store.close();
    opened.pop();
    // pid 2^22+1 is above Linux's pid_max default, so no process has it.
    writeFileSync(join(root, 'ingest', `${2 ** 22 + 1}-deadbeef`), 'partial');
    writeFileSync(join(root, 'ingest', `${process.ppid}-alive`), 'in progress');
    const again = await openStore(root);
    opened.push(again);
    expect(readdirSync(again.layout.ingestDir)).toEqual([`${process.ppid}-alive`]);
  });

  it('refuses a data dir it cannot use with one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'lamina-store-')), 'a-file');
    writeFileSync(file, '');
    await expect(openStore(file)).rejects.toThrow(/cannot use .* as Lamina's data dir \(ENOTDIR\); set LAMINA_HOME/);
  });

  it('keeps every row backed by a whole blob through any sequence of puts, deletes and sweeps', async () => {
    const store = await freshStore();
    const op = fc.oneof(
      fc.record({ kind: fc.constant('put' as const), data: fc.uint8Array({ maxLength: 64 }) }),
      fc.record({ kind: fc.constant('delete' as const), index: fc.nat() }),
      fc.record({ kind: fc.constant('sweep' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
        for (const o of ops) {
          if (o.kind === 'put') await store.content.put(Buffer.from(o.data), 'application/octet-stream');
          else if (o.kind === 'delete') {
            const blobs = store.content.list();
            if (blobs.length) store.content.delete(blobs[o.index % blobs.length]!.digest);
          } else await store.content.sweepOrphanFiles();
        }
        await expectRowsAreWhole(store);
        const files = readdirSync(store.layout.blobsDir).map((hex) => `sha256:${hex}`).sort();
        expect(files).toEqual(store.content.list().map((b) => b.digest).sort());
      }),
      { numRuns: 30 },
    );
  });

  it('never lets a sweep in another process take a blob between its publication and its row', async () => {
    const store = await freshStore();
    // A second store on the same data dir: another process's `cache gc`, sweeping while blobs are committed.
    const other = await openStore(store.layout.root);
    opened.push(other);
    const commits = Array.from({ length: 40 }, (_, i) => store.content.put(Buffer.from(`blob ${i}`), 'application/octet-stream'));
    let sweeping = true;
    const sweeps = (async () => {
      while (sweeping) await other.content.sweepOrphanFiles();
    })();
    const descriptors = await Promise.all(commits);
    sweeping = false;
    await sweeps;
    for (const d of descriptors) expect(store.content.has(d.digest)).toBe(true);
    await expectRowsAreWhole(store);
  });

  it('sweeps the file of a commit that died between its publication and its row', async () => {
    const store = await freshStore();
    const bytes = Buffer.from('published, never recorded');
    const digest = sha256Digest(bytes);
    mkdirSync(store.layout.blobsDir, { recursive: true });
    writeFileSync(store.layout.blobPath(digest), bytes);
    // The dead commit's lease: a process of this host that is gone.
    store.db.prepare('INSERT INTO blob_leases (lease_id, digest, owner, expires_at) VALUES (?, ?, ?, ?)').run('dead', digest, `${hostname()}:${deadPid()}:1`, Date.now() + 3600_000);
    expect(await store.content.sweepOrphanFiles()).toBe(0);
    await collectGarbage(store);
    expect(existsSync(store.layout.blobPath(digest))).toBe(false);
  });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '0']);
  return child.pid!;
}

