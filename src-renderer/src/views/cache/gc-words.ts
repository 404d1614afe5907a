/** A gc dry run said in words: what goes, what it frees, what is kept and why. */
import { plural } from '../../../../src-shared/layer-name';
import type { GcPreview } from '../../../../src-shared/gc';
import { formatBytes } from '../../format';

function names(list: readonly string[]): string {
  return list.length <= 1 ? (list[0] ?? '') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`;
}

/** What would be removed and what that frees; `budget` in bytes, undefined for "only what no image uses". */
export function gcSummary(preview: GcPreview): string {
  if (preview.blobs.length === 0) {
    return preview.newestKept
      ? `Nothing to remove: everything left belongs to ${preview.newestKept}, the newest image, which is kept.`
      : 'Nothing to remove: every blob is in use, within the budget.';
  }
  const layers = preview.blobs.filter((b) => b.kind === 'layer').length;
  const others = preview.blobs.length - layers;
  const images = preview.images.length > 0 ? `the ${preview.images.length === 1 ? 'image' : 'images'} ${names(preview.images)} and ` : '';
  const blobs = `${plural(layers, 'layer')} no ${preview.images.length > 0 ? 'remaining ' : ''}image uses${others > 0 ? ` (plus ${plural(others, 'manifest, config or leftover blob', 'manifest, config or leftover blobs')})` : ''}`;
  return `Removes ${images}${blobs}, freeing ${formatBytes(preview.freedBytes)}: the cache goes from ${formatBytes(preview.sizeBefore)} to ${formatBytes(preview.sizeAfter)}.`;
}

/** Why the cache may stay over the budget, or null when it does not. */
export function gcKeptNote(preview: GcPreview, budget: number | undefined): string | null {
  if (!preview.newestKept || budget === undefined) return null;
  return `Keeps ${preview.newestKept}, the newest image, so the cache stays at ${formatBytes(preview.sizeAfter)}, over the ${formatBytes(budget)} asked for. Tick “Also remove the newest image” to go lower.`;
}
