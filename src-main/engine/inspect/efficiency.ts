/**
 * Wasted space and efficiency, as dive reports them but without dive's double
 * count (dive adds every copy of a repeated path to its waste, the one copy the
 * image keeps included). Over the regular files of all layers:
 *
 * - totalBytes: the bytes of every file entry of every layer (what unpacking the
 *   whole image writes);
 * - keptBytes: the bytes of the files visible in the final filesystem (each
 *   visible path counted once, at the size of the copy that wins);
 * - wastedBytes = totalBytes - keptBytes: for each path, the bytes of all its
 *   copies minus the one that is kept (none, if a later layer removed it). A path
 *   present in one layer and never removed wastes nothing; a file that a later
 *   whiteout removes is wasted whole;
 * - efficiency = keptBytes / totalBytes (1 for an image with no file bytes).
 *
 * So wastedBytes = totalBytes * (1 - efficiency), exactly: the two numbers agree.
 */
import type { LayerFile } from '../../../src-shared/layer-file.js';
import { MergedTree } from './merged-tree.js';
import type { Efficiency, WastedPath } from '../../../src-shared/image-report.js';

export function measureEfficiency(layers: readonly (readonly LayerFile[])[]): Efficiency {
  const tree = new MergedTree();
  const copies = new Map<string, { bytes: number; layers: number[] }>();
  let totalBytes = 0;
  for (const [index, files] of layers.entries()) {
    tree.apply(files);
    for (const file of files) {
      if (file.kind !== 'file') continue;
      totalBytes += file.size;
      const copy = copies.get(file.path) ?? { bytes: 0, layers: [] };
      copy.bytes += file.size;
      copy.layers.push(index);
      copies.set(file.path, copy);
    }
  }
  let keptBytes = 0;
  const wastedPaths: WastedPath[] = [];
  for (const [path, copy] of copies) {
    const visible = tree.get(path);
    const kept = visible?.kind === 'file' ? visible.size : 0;
    keptBytes += kept;
    if (copy.bytes > kept) wastedPaths.push({ path, layers: copy.layers, wastedBytes: copy.bytes - kept });
  }
  wastedPaths.sort((a, b) => b.wastedBytes - a.wastedBytes || (a.path < b.path ? -1 : 1));
  return {
    totalBytes,
    keptBytes,
    wastedBytes: totalBytes - keptBytes,
    efficiency: totalBytes === 0 ? 1 : keptBytes / totalBytes,
    wastedPaths,
  };
}
