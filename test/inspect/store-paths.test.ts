/**
 * Store paths, their references and top-level packages from the image alone
 * (hashes the local Nix store has never seen, so only the layers can tell), and
 * comparisons that pair a rebuilt package with its old self.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src-main/engine/db/database.js';
import { compareImages, inspectImage } from '../../src-main/engine/inspect/index.js';
import { gzipLayer, tarOf, writeLayout, type CraftedEntry } from './fixtures/crafted-layout.js';

const hash = (c: string) => c.repeat(32);
const foo = `/nix/store/${hash('f')}-foo-1.0`;
const fooRebuilt = `/nix/store/${hash('g')}-foo-1.0`;
const lib = `/nix/store/${hash('l')}-libx-2`;
const tool = `/nix/store/${hash('k')}-tool-3`;
const bar = `/nix/store/${hash('b')}-bar-0.1`;

/** Entries for a store path with one file of `size` bytes that mentions `refs`. */
function storePath(path: string, size: number, refs: readonly string[] = []): CraftedEntry[] {
  const base = path.slice(1);
  const text = refs.map((r) => `${r}/lib\n`).join('');
  return [
    { name: `${base}/`, type: 'directory' },
    { name: `${base}/data`, body: Buffer.concat([Buffer.from(text), Buffer.alloc(size - text.length, 1)]) },
  ];
}

let db: Db;
let work: string;
let n = 0;
beforeAll(() => {
  db = openDatabase(':memory:');
  work = mkdtempSync(join(tmpdir(), 'lamina-storepaths-'));
});
afterAll(() => db.close());

async function image(layers: CraftedEntry[][], config: Record<string, unknown> = {}): Promise<string> {
  const crafted = await Promise.all(layers.map(async (entries) => gzipLayer(await tarOf(entries))));
  return writeLayout(join(work, `layout-${n++}`), crafted, config);
}

const links = (root: string): CraftedEntry[] => [{ name: 'bin', type: 'symlink', linkname: `${root}/bin` }];

describe('store paths from the image alone', () => {
  it('takes references from the files and the top-level package from the links, sizes from the layer', async () => {
    const ref = await image([[...storePath(lib, 300), ...storePath(foo, 200, [lib])], links(foo)]);
    const report = await inspectImage(ref, { db });
    expect(report.roots).toEqual([foo]);
    expect(report.rootsSource).toBe('image');
    expect(report.storePaths.map((p) => [p.path, p.references, p.neededBy, p.size, p.sizeSource, p.layers])).toEqual([
      [foo, [lib], [foo], 200, 'layer', [0]],
      [lib, [], [foo], 300, 'layer', [0]],
    ]);
    expect(report.layers[0]!.storePaths).toEqual([foo, lib]);
    expect(report.layers[1]!.storePaths).toEqual([]);
  });

  it('takes top-level packages from the config entrypoint too, each path needed by its own', async () => {
    const ref = await image([[...storePath(lib, 300), ...storePath(foo, 200, [lib]), ...storePath(tool, 50)], links(foo)], {
      config: { Entrypoint: [`${tool}/bin/tool`] },
    });
    const report = await inspectImage(ref, { db });
    expect(report.roots).toEqual([foo, tool].sort());
    expect(Object.fromEntries(report.storePaths.map((p) => [p.path, p.neededBy]))).toEqual({ [foo]: [foo], [lib]: [foo], [tool]: [tool] });
  });

  it('falls back to the paths nothing refers to when the image names no top-level package', async () => {
    const report = await inspectImage(await image([[...storePath(lib, 300), ...storePath(foo, 200, [lib])]]), { db });
    expect(report.roots).toEqual([foo]);
    expect(report.rootsSource).toBe('unreferenced');
  });

  it('counts a store path in two layers as waste once, and lists both layers', async () => {
    const report = await inspectImage(await image([storePath(lib, 300), storePath(lib, 300)]), { db });
    expect(report.storePaths[0]!.layers).toEqual([0, 1]);
    expect(report.efficiency).toMatchObject({ totalBytes: 600, keptBytes: 300, wastedBytes: 300, efficiency: 0.5 });
  });
});

describe('comparing images', () => {
  it('pairs a rebuilt package by name, and lists what is added', async () => {
    const before = await inspectImage(await image([[...storePath(lib, 300), ...storePath(foo, 200, [lib])], links(foo)]), { db });
    const after = await inspectImage(
      await image([[...storePath(lib, 300)], [...storePath(fooRebuilt, 210, [lib]), ...storePath(bar, 10)], links(fooRebuilt)]),
      { db },
    );
    const diff = compareImages(before, after);
    expect(diff.storePaths).toEqual({ added: [bar], removed: [], changed: [{ name: 'foo-1.0', from: foo, to: fooRebuilt }] });
    expect(diff.sharedLayers).toEqual([]);
    expect(compareImages(after, before).storePaths).toEqual({ added: [], removed: [bar], changed: [{ name: 'foo-1.0', from: fooRebuilt, to: foo }] });
  });
});
