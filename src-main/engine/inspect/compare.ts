/**
 * Two images side by side, as a puller and a reviewer see them: the layers they
 * share (by blob digest), the bytes someone who has the first image already has
 * of the second, and the store paths the second adds, removes or changes (the
 * same package name under another hash: a rebuild or another version).
 */
import type { ImageReport } from '../../../src-shared/image-report.js';
import type { ChangedStorePath, ImageComparison, SharedLayer } from '../../../src-shared/image-report.js';

export function compareImages(a: ImageReport, b: ImageReport): ImageComparison {
  const inA = new Map(a.layers.map((l) => [l.digest, l] as const));
  const sharedLayers: SharedLayer[] = [];
  let bytesAlreadyPresent = 0;
  let bytesToPull = 0;
  const counted = new Set<string>();
  for (const layer of b.layers) {
    const there = inA.get(layer.digest);
    if (there && !sharedLayers.some((s) => s.digest === layer.digest)) {
      sharedLayers.push({ digest: layer.digest, indexA: there.index, indexB: layer.index, compressedSize: layer.compressedSize });
    }
    if (counted.has(layer.digest)) continue;
    counted.add(layer.digest);
    if (there) bytesAlreadyPresent += layer.compressedSize;
    else bytesToPull += layer.compressedSize;
  }
  return { sharedLayers, bytesAlreadyPresent, bytesToPull, storePaths: diffStorePaths(a, b) };
}

function diffStorePaths(a: ImageReport, b: ImageReport): ImageComparison['storePaths'] {
  const pathsA = new Set(a.storePaths.map((p) => p.path));
  const pathsB = new Set(b.storePaths.map((p) => p.path));
  const onlyA = a.storePaths.filter((p) => !pathsB.has(p.path));
  const onlyB = b.storePaths.filter((p) => !pathsA.has(p.path));
  const byName = (list: typeof onlyA) => {
    const names = new Map<string, string[]>();
    for (const p of list) names.set(p.name, [...(names.get(p.name) ?? []), p.path]);
    return names;
  };
  const namesA = byName(onlyA);
  const namesB = byName(onlyB);
  const changed: ChangedStorePath[] = [];
  const paired = new Set<string>();
  // Only a name that appears once on each side pairs up unambiguously.
  for (const [name, from] of namesA) {
    const to = namesB.get(name);
    if (from.length === 1 && to?.length === 1) {
      changed.push({ name, from: from[0]!, to: to[0]! });
      paired.add(from[0]!).add(to[0]!);
    }
  }
  return {
    added: onlyB.map((p) => p.path).filter((p) => !paired.has(p)),
    removed: onlyA.map((p) => p.path).filter((p) => !paired.has(p)),
    changed: changed.sort((x, y) => (x.name < y.name ? -1 : 1)),
  };
}
