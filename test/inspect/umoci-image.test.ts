/**
 * An image made by umoci, one `umoci insert` per layer: files added, one of them
 * replaced, one removed by a whiteout, and the directory made opaque. The file
 * tree marks, the wasted space and the CI verdict are checked against what those
 * commands did.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src-main/engine/db/database.js';
import { evaluateCi, fileTree, inspectImage, type FileTreeNode, type ImageReport } from '../../src-main/engine/inspect/index.js';
import { run, tempDir } from '../builder/helpers.js';
import { noise } from '../registry/fixtures/test-image.js';

let work: string;
let db: Db;
let report: ImageReport;

/** Every leaf below the root as path -> [mark, size]. */
function leaves(node: FileTreeNode, out: Record<string, [string, number]> = {}): Record<string, [string, number]> {
  if (node.children.length === 0 && node.path !== '') out[node.path] = [node.mark, node.size];
  for (const child of node.children) leaves(child, out);
  return out;
}

beforeAll(async () => {
  work = tempDir('inspect-umoci');
  const image = `${join(work, 'layout')}:t`;
  mkdirSync(join(work, 'app'));
  mkdirSync(join(work, 'fresh'));
  writeFileSync(join(work, 'app', 'a'), noise(1000, 1));
  writeFileSync(join(work, 'app', 'b'), noise(500, 2));
  writeFileSync(join(work, 'app', 'keep'), 'keep\n');
  writeFileSync(join(work, 'a2'), noise(1200, 3));
  writeFileSync(join(work, 'fresh', 'new'), 'new\n');
  run('umoci', ['init', '--layout', join(work, 'layout')]);
  run('umoci', ['new', '--image', image]);
  run('umoci', ['insert', '--image', image, join(work, 'app'), '/etc/app']);
  run('umoci', ['insert', '--image', image, join(work, 'a2'), '/etc/app/a']);
  run('umoci', ['insert', '--image', image, '--whiteout', '/etc/app/b']);
  run('umoci', ['insert', '--image', image, '--opaque', join(work, 'fresh'), '/etc/app']);
  db = openDatabase(':memory:');
  report = await inspectImage(`oci:${image}`, { db, useLocalNixStore: false });
});

afterAll(() => {
  db?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('an image made with umoci insert', () => {
  it('has four layers, each with the history entry umoci wrote', () => {
    expect(report.layers).toHaveLength(4);
    for (const layer of report.layers) expect(layer.history?.created_by).toMatch(/umoci insert/);
    expect(report.storePaths).toEqual([]);
  });

  it('marks the first layer added, the replaced file modified, the whiteout and the opaque directory removed', () => {
    expect(leaves(fileTree(report, 0))).toEqual({ 'etc/app/a': ['added', 1000], 'etc/app/b': ['added', 500], 'etc/app/keep': ['added', 5] });
    expect(leaves(fileTree(report, 1))).toEqual({ 'etc/app/a': ['modified', 1200] });
    expect(leaves(fileTree(report, 2))).toEqual({ 'etc/app/b': ['removed', 500] });
    expect(leaves(fileTree(report, 3))).toEqual({ 'etc/app/a': ['removed', 1200], 'etc/app/keep': ['removed', 5], 'etc/app/new': ['added', 4] });
  });

  it('gives directories the size of what they hold, and the unlisted etc/ as unchanged once it exists', () => {
    const second = fileTree(report, 1);
    expect(second.children.map((c) => [c.path, c.mark, c.size])).toEqual([['etc', 'unchanged', 1200]]);
    const first = fileTree(report, 0);
    expect(first.children[0]).toMatchObject({ path: 'etc', mark: 'added', size: 1505 });
  });

  it('counts every byte but the final /etc/app/new as wasted, and fails a strict CI run for it', () => {
    const total = 1000 + 500 + 5 + 1200 + 4;
    expect(report.efficiency).toMatchObject({ totalBytes: total, keptBytes: 4, wastedBytes: total - 4 });
    expect(report.efficiency.wastedPaths.map((p) => [p.path, p.layers, p.wastedBytes])).toEqual([
      ['etc/app/a', [0, 1], 2200],
      ['etc/app/b', [0], 500],
      ['etc/app/keep', [0], 5],
    ]);
    const verdict = evaluateCi(report, { lowestEfficiency: 0.5, highestWastedBytes: 1000 });
    expect(verdict.pass).toBe(false);
    expect(verdict.reasons).toEqual(['efficiency 0.15% is below the lowest allowed, 50.00%', `${total - 4} bytes are wasted, more than the 1000 allowed`]);
    expect(evaluateCi(report, { lowestEfficiency: 0.001, highestWastedBytes: total })).toMatchObject({ pass: true, reasons: [] });
  });

  it('filters the tree by path', () => {
    expect(Object.keys(leaves(fileTree(report, 0, { filter: 'keep' })))).toEqual(['etc/app/keep']);
    expect(fileTree(report, 0, { filter: 'nothing-like-this' }).children).toEqual([]);
  });
});
