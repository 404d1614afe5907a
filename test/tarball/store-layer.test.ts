import { lstatSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extract } from 'tar-stream';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { writeStorePathsLayer, type LayerBlob } from '../../src-main/engine/tarball/index.js';
import { shell, sha256Of, tempDir } from './helpers.js';

const paths = Object.values(inject('testbedOutPaths'));
const dir = tempDir('store');
const file = (name: string): string => join(dir, name);
const blobs: Record<string, LayerBlob> = {};

beforeAll(async () => {
  blobs.gzip = await writeStorePathsLayer(paths, 'gzip', file('layer.tar.gz'));
  blobs.again = await writeStorePathsLayer([...paths].reverse(), 'gzip', file('again.tar.gz'));
  blobs.zstd = await writeStorePathsLayer(paths, 'zstd', file('layer.tar.zst'));
  blobs.none = await writeStorePathsLayer(paths, 'none', file('layer.tar'));
});

interface ReadEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  gname: string;
  mtime: number;
  linkname: string | null;
  pax: boolean;
}

async function readWithTarStream(tar: string): Promise<ReadEntry[]> {
  const entries: ReadEntry[] = [];
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      const h = entry.header;
      entries.push({
        name: h.name,
        type: h.type ?? '',
        mode: h.mode ?? -1,
        uid: h.uid ?? -1,
        gid: h.gid ?? -1,
        uname: h.uname ?? '',
        gname: h.gname ?? '',
        mtime: h.mtime?.getTime() ?? -1,
        linkname: h.linkname ?? null,
        pax: h.pax !== null && h.pax !== undefined,
      });
      entry.resume();
    }
  })();
  reader.end(readFileSync(tar));
  await done;
  return entries;
}

describe('store path layers', () => {
  it('gives the same bytes for the same store paths, in whatever order they are given', () => {
    expect(readFileSync(file('again.tar.gz')).equals(readFileSync(file('layer.tar.gz')))).toBe(true);
    expect(blobs.again).toEqual(blobs.gzip);
    // The tar is the same whatever the compression.
    expect(blobs.zstd!.diffId).toBe(blobs.gzip!.diffId);
    expect(blobs.none!.diffId).toBe(blobs.gzip!.diffId);
  });

  it('gives the same blobs when several layers are written at once, sharing the cores', async () => {
    const groups = [0, 1, 2].map((g) => [...paths].sort().filter((_, i) => i % 3 === g));
    const kinds = ['gzip', 'zstd'] as const;
    const alone: LayerBlob[] = [];
    for (const kind of kinds) for (const [g, group] of groups.entries()) alone.push(await writeStorePathsLayer(group, kind, file(`alone-${kind}-${g}`)));
    const together = await Promise.all(
      kinds.flatMap((kind) => groups.map((group, g) => writeStorePathsLayer(group, kind, file(`together-${kind}-${g}`)))),
    );
    expect(together).toEqual(alone);
  });

  it('writes a gzip blob that gzip accepts, with the digests and sizes it reports', () => {
    const blob = blobs.gzip!;
    shell(`gzip -t '${file('layer.tar.gz')}'`);
    expect(`sha256:${shell(`gunzip -c '${file('layer.tar.gz')}' | sha256sum | cut -d' ' -f1`)}`).toBe(blob.diffId);
    expect(sha256Of(file('layer.tar.gz'))).toBe(blob.digest);
    expect(statSync(file('layer.tar.gz')).size).toBe(blob.size);
    expect(Number(shell(`gunzip -c '${file('layer.tar.gz')}' | wc -c`))).toBe(blob.uncompressedSize);
    expect(blob.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    // No name, no mtime, and a fixed OS byte, so the digest is the same on every platform.
    const header = readFileSync(file('layer.tar.gz')).subarray(0, 10);
    expect([...header]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255]);
  });

  it('writes a zstd blob that the zstd tool reads back to the same tar', () => {
    const blob = blobs.zstd!;
    shell(`zstd -q -t '${file('layer.tar.zst')}'`);
    expect(`sha256:${shell(`zstd -q -dc '${file('layer.tar.zst')}' | sha256sum | cut -d' ' -f1`)}`).toBe(blob.diffId);
    expect(sha256Of(file('layer.tar.zst'))).toBe(blob.digest);
    expect(statSync(file('layer.tar.zst')).size).toBe(blob.size);
    expect(blob.mediaType).toBe('application/vnd.oci.image.layer.v1.tar+zstd');
  });

  it('writes an uncompressed tar whose digest is its diffID', () => {
    const blob = blobs.none!;
    expect(blob.digest).toBe(blob.diffId);
    expect(sha256Of(file('layer.tar'))).toBe(blob.diffId);
    expect(blob.size).toBe(blob.uncompressedSize);
  });

  it('lists nix/ and nix/store/ first, then the paths in the order GNU tar --sort=name gives', () => {
    // Compared without trailing slashes: a directory name split into ustar's prefix and name fields loses
    // its slash (the type flag says it is a directory), while GNU tar writes such names in a long-name record.
    const list = (script: string): string[] => shell(script).split('\n').map((name) => name.replace(/\/$/, ''));
    const ours = list(`tar -tf '${file('layer.tar')}'`);
    expect(ours.slice(0, 2)).toEqual(['nix', 'nix/store']);
    const sorted = [...paths].sort().map((p) => `'${p.slice(1)}'`);
    expect(ours.slice(2)).toEqual(list(`LC_ALL=C tar --sort=name -C / -cf - ${sorted.join(' ')} | tar -tf -`));
  });

  it('gives every entry owner 0:0, mtime 1 and no user or group names (GNU tar)', () => {
    const lines = shell(`tar --numeric-owner --full-time -tvf '${file('layer.tar')}'`).split('\n');
    expect(lines.length).toBeGreaterThan(1000);
    for (const line of lines) expect(line).toMatch(/^\S+ 0\/0 +\d+ 1970-01-01 00:00:01 /);
  });

  it('keeps the store modes and link targets, stores no hard links, and uses PAX only where ustar cannot hold the name', async () => {
    const entries = await readWithTarStream(file('layer.tar'));
    expect(entries.length).toBeGreaterThan(1000);
    for (const entry of entries) {
      expect({ uid: entry.uid, gid: entry.gid, uname: entry.uname, gname: entry.gname, mtime: entry.mtime }).toEqual({
        uid: 0,
        gid: 0,
        uname: '',
        gname: '',
        mtime: 1000,
      });
      expect(entry.type).not.toBe('link');
      expect(entry.pax).toBe(!fitsUstar(entry.name, entry.linkname));
      if (entry.name === 'nix/' || entry.name === 'nix/store/') continue;
      const inStore = lstatSync(`/${entry.name}`);
      if (entry.type === 'symlink') expect(entry.linkname).toBe(readlinkSync(`/${entry.name}`));
      else expect(entry.mode.toString(8)).toBe((inStore.mode & 0o7777).toString(8));
      expect(entry.type).toBe(inStore.isSymbolicLink() ? 'symlink' : inStore.isDirectory() ? 'directory' : 'file');
    }
  });

  it('extracts with GNU tar to a tree equal to the store, byte for byte and mode for mode', () => {
    const root = file('extracted');
    shell(`mkdir '${root}' && tar -xzf '${file('layer.tar.gz')}' -C '${root}'`);
    for (const path of paths) {
      shell(`diff -r --no-dereference '${path}' '${root}${path}'`);
      const listing = (tree: string): string => shell(`cd '${tree}' && find . -printf '%p %m %y %s %l\\n' | LC_ALL=C sort`);
      expect(listing(`${root}${path}`)).toBe(listing(path));
    }
  });
});

/** Whether ustar alone holds the name: ASCII, and a split into prefix (<= 155) / name (<= 100) exists. */
function fitsUstar(name: string, linkname: string | null): boolean {
  const ascii = (s: string): boolean => Buffer.byteLength(s) === s.length;
  if (!ascii(name) || (linkname !== null && (!ascii(linkname) || linkname.length > 100))) return false;
  if (name.length <= 100) return true;
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    if (i <= 155 && name.length - i - 1 <= 100 && name.length - i - 1 > 0) return true;
  }
  return false;
}
