import fc from 'fast-check';
import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { ftsQuery, PackageIndex } from '../../src-main/engine/package-index/package-index.js';
import type { LoadProgress } from '../../src-shared/packages.js';
import { useNixOffline, writeThrowawaySet } from '../nix/throwaway-set.js';

beforeAll(useNixOffline);

describe('the package index', () => {
  it('indexes the test package set once, then searches it by prefix without Nix', async () => {
    const index = new PackageIndex(openDatabase(':memory:'));
    const dir = inject('testbedDir');
    expect(index.current(dir)).toBeNull();
    expect(() => index.search(dir, 'bash')).toThrow(/not indexed yet; load the package index first/);

    const progress: LoadProgress[] = [];
    const loaded = await index.load(dir, { onProgress: (p) => progress.push(p) });
    const attrs = Object.keys(inject('testbedOutPaths'));
    expect(loaded.packages).toBe(attrs.length);
    expect(progress[0]).toEqual({ phase: 'listing', done: 0, total: 0 });
    expect(progress.at(-1)).toEqual({ phase: 'indexing', done: attrs.length, total: attrs.length });
    expect(index.current(dir)).toEqual(loaded);

    expect(index.search(dir, 'bash')[0]?.attrPath).toBe('bash');
    expect(index.search(dir, 'bas').map((h) => h.attrPath)).toEqual(expect.arrayContaining(['bash', 'base-files']));
    expect(index.search(dir, 'GZIP')[0]).toMatchObject({ attrPath: 'gzip', description: 'Debian package gzip' });
    expect(index.search(dir, '').map((h) => h.attrPath)).toEqual([...attrs].sort());
    expect(index.search(dir, 'no-such-package-anywhere')).toEqual([]);
    // A second load of the same revision is the stored index, not another Nix run.
    expect(await index.load(dir)).toEqual(loaded);
  });

  it('takes a changed folder as a new revision and replaces the old index', async () => {
    const index = new PackageIndex(openDatabase(':memory:'));
    const dir = writeThrowawaySet({ alpha: 'mkdir $out' });
    await index.load(dir);
    expect(index.search(dir, 'alpha')).toHaveLength(1);

    writeFileSync(join(dir, 'default.nix'), '{ beta = derivation { name = "beta-1.0"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "mkdir $out" ]; }; }\n');
    utimesSync(join(dir, 'default.nix'), new Date(), new Date(Date.now() + 5000));
    expect(index.current(dir)).toBeNull();
    await index.load(dir);
    expect(index.search(dir, 'alpha')).toEqual([]);
    expect(index.search(dir, 'beta')).toEqual([{ attrPath: 'beta', pname: 'beta', version: '1.0', description: '' }]);
  });

  it('leaves no half index behind when a load is cancelled', async () => {
    const index = new PackageIndex(openDatabase(':memory:'));
    const dir = writeThrowawaySet({ gamma: 'mkdir $out' });
    const controller = new AbortController();
    controller.abort();
    await expect(index.load(dir, { signal: controller.signal })).rejects.toThrow();
    expect(index.current(dir)).toBeNull();
  });

  it('turns any typed text into a query FTS5 accepts', () => {
    const db = openDatabase(':memory:');
    const index = new PackageIndex(db);
    db.prepare("INSERT INTO package_sources (source, revision, packages, loaded_at) VALUES ('x', 'as-named', 0, 0)").run();
    fc.assert(
      fc.property(fc.string(), (text) => {
        const query = ftsQuery(text);
        if (query === null) {
          expect(text.replace(/["\s]/g, '')).toBe('');
          return;
        }
        // Throws on a query FTS5 cannot parse.
        db.prepare('SELECT count(*) FROM package_index WHERE package_index MATCH ?').get(query);
      }),
    );
    expect(index).toBeDefined();
  });
});
