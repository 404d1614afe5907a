/**
 * An image as nested sizes for a treemap: layers, then in each layer its store
 * paths (by their bytes in that layer) and, outside the store, its top-level
 * folders; then the largest files of each. Small files are gathered into one
 * "other files" node so the page gets hundreds of boxes, not a whole file list.
 */
import { storeBaseOf } from './store-refs.js';
import type { ImageReport } from '../../../src-shared/image-report.js';
import type { TreemapNode } from '../../../src-shared/images.js';

const FILES_PER_GROUP = 12;
const GROUPS_PER_LAYER = 60;

/** `prefixLength` drops the group's own path (and the slash after it) from the file names. */
function topFiles(files: readonly { path: string; size: number }[], prefixLength: number): TreemapNode[] {
  const sorted = [...files].sort((a, b) => b.size - a.size);
  const shown: TreemapNode[] = sorted.slice(0, FILES_PER_GROUP).map((f) => ({ name: f.path.slice(prefixLength) || f.path, size: f.size }));
  const rest = sorted.slice(FILES_PER_GROUP).reduce((sum, f) => sum + f.size, 0);
  if (rest > 0) shown.push({ name: `${sorted.length - FILES_PER_GROUP} other files`, size: rest });
  return shown;
}

export function imageTreemap(report: ImageReport): TreemapNode {
  const layers = report.layers.map((layer): TreemapNode => {
    const groups = new Map<string, { path: string; size: number }[]>();
    for (const file of layer.files) {
      if (file.kind !== 'file' || file.size === 0) continue;
      const base = storeBaseOf(file.path);
      const group = base ? `/nix/store/${base}` : `/${file.path.split('/')[0]}`;
      const members = groups.get(group) ?? [];
      members.push({ path: file.path, size: file.size });
      groups.set(group, members);
    }
    const nodes = [...groups].map(([name, files]): TreemapNode => ({ name, size: files.reduce((s, f) => s + f.size, 0), children: topFiles(files, name.length) }));
    nodes.sort((a, b) => b.size - a.size);
    const kept = nodes.slice(0, GROUPS_PER_LAYER);
    const rest = nodes.slice(GROUPS_PER_LAYER).reduce((sum, n) => sum + n.size, 0);
    if (rest > 0) kept.push({ name: `${nodes.length - GROUPS_PER_LAYER} other paths`, size: rest });
    return { name: `Layer ${layer.index + 1}`, size: layer.fileBytes, children: kept };
  });
  return { name: report.reference, size: layers.reduce((sum, l) => sum + l.size, 0), children: layers };
}
