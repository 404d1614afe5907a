import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { imageTreemap } from '../../src-main/engine/inspect/treemap.js';
import type { TreemapNode } from '../../src-shared/images.js';
import type { LayerFile } from '../../src-shared/layer-file.js';
import type { ImageReport } from '../../src-shared/image-report.js';

const HASHES = ['0'.repeat(32), '1'.repeat(32), 'a'.repeat(32)];

const layerFile: fc.Arbitrary<LayerFile> = fc.record({
  path: fc.oneof(
    fc.tuple(fc.constantFrom(...HASHES), fc.constantFrom('bash', 'libc'), fc.constantFrom('bin/x', 'lib/y.so', 'share/z')).map(([h, n, rest]) => `nix/store/${h}-${n}/${rest}`),
    fc.tuple(fc.constantFrom('etc', 'bin', 'usr'), fc.stringMatching(/^[a-z]{1,6}$/)).map(([dir, name]) => `${dir}/${name}`),
  ),
  kind: fc.constantFrom('file', 'file', 'directory', 'symlink'),
  size: fc.nat({ max: 1_000_000 }),
  mode: fc.constant(0o644),
});

/** A report with just what the treemap reads: layers, their files and file bytes. */
function reportOf(layers: LayerFile[][]): ImageReport {
  return {
    reference: 'oci:test',
    layers: layers.map((files, index) => ({ index, files, fileBytes: files.reduce((sum, f) => sum + (f.kind === 'file' ? f.size : 0), 0) })),
  } as unknown as ImageReport;
}

function leaves(node: TreemapNode): TreemapNode[] {
  return node.children ? node.children.flatMap(leaves) : [node];
}

describe('image treemap', () => {
  it('gives each layer exactly its regular-file bytes, and each group the sum of its boxes', () => {
    fc.assert(
      fc.property(fc.array(fc.array(layerFile, { maxLength: 80 }), { minLength: 1, maxLength: 5 }), (layers) => {
        const map = imageTreemap(reportOf(layers));
        expect(map.children).toHaveLength(layers.length);
        map.children!.forEach((layer, i) => {
          const bytes = layers[i]!.filter((f) => f.kind === 'file').reduce((sum, f) => sum + f.size, 0);
          expect(layer.size).toBe(bytes);
          expect(leaves(layer).reduce((sum, leaf) => sum + leaf.size, 0)).toBe(bytes);
          for (const group of layer.children ?? []) {
            if (group.children) expect(group.children.reduce((sum, c) => sum + c.size, 0)).toBe(group.size);
            // A store path is one box, not one per file below it.
            expect(group.name).toMatch(/^(\/nix\/store\/[0-9a-z]{32}-(bash|libc)|\/(etc|bin|usr))$/);
          }
        });
        expect(map.size).toBe(map.children!.reduce((sum, l) => sum + l.size, 0));
      }),
    );
  });
});
