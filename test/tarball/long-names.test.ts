import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeStorePathsLayer } from '../../src-main/engine/tarball/index.js';
import { addToStore, shell, tempDir } from './helpers.js';

const dir = tempDir('long');
const longName = `${'n'.repeat(120)}.txt`;
const deep = Array.from({ length: 6 }, (_, i) => `${String(i).repeat(40)}`).join('/');
const longTarget = `../${'t'.repeat(150)}`;
let storePath = '';

describe('names ustar cannot hold', () => {
  beforeAll(() => {
    const src = join(dir, 'lamina-test-long-names');
    mkdirSync(join(src, deep), { recursive: true });
    writeFileSync(join(src, longName), 'a file with a 124-byte name\n');
    writeFileSync(join(src, deep, longName), 'deep and long\n');
    writeFileSync(join(src, 'café-ünïcode.txt'), 'utf-8 name\n');
    writeFileSync(join(src, 'block-sized'), Buffer.alloc(512, 7));
    writeFileSync(join(src, 'empty'), '');
    writeFileSync(join(src, 'tool'), '#!/bin/sh\necho hi\n');
    chmodSync(join(src, 'tool'), 0o755);
    symlinkSync(longTarget, join(src, 'long-link'));
    storePath = addToStore(src);
  });

  it('stores long names, deep paths, long link targets and UTF-8 names so GNU tar restores them exactly', async () => {
    const layer = join(dir, 'layer.tar.gz');
    await writeStorePathsLayer([storePath], 'gzip', layer);
    const listing = shell(`tar --numeric-owner -tvzf '${layer}'`);
    expect(listing).toContain(`${storePath.slice(1)}/${longName}`);
    expect(listing).toContain(`${storePath.slice(1)}/${deep}/${longName}`);
    expect(listing).toContain(`long-link -> ${longTarget}`);
    expect(listing).toContain('café-ünïcode.txt');
    const root = join(dir, 'root');
    shell(`mkdir '${root}' && tar -xzf '${layer}' -C '${root}'`);
    shell(`diff -r --no-dereference '${storePath}' '${root}${storePath}'`);
    const modes = (tree: string): string => shell(`cd '${tree}' && find . -printf '%p %m %y %s %l\\n' | LC_ALL=C sort`);
    expect(modes(`${root}${storePath}`)).toBe(modes(storePath));
  });
});
