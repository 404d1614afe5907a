/**
 * Why a planned layer holds what it holds, as plain data (no Node imports: the
 * IPC contract and the renderer use it), and the one sentence each reason reads as.
 */

export type LayerReason =
  /** Taken as it is from the store (these images hold it) or a team cache (`from`): a build writes nothing for it. */
  | { readonly kind: 'reused'; readonly images: readonly string[]; readonly from?: string }
  /** One store path alone: the budget allows it, and a path alone is reused by every image that needs it. */
  | { readonly kind: 'path'; readonly path: string; readonly sharedBy: number }
  /** A store path with paths only it (or mostly it) leads to, merged to fit the budget. */
  | { readonly kind: 'group'; readonly head: string; readonly paths: number; readonly sharedBy: number }
  /** The smallest paths that had no single referrer to join, together, to fit the budget. */
  | { readonly kind: 'small'; readonly paths: number }
  /** Everything the reused layers do not hold, in the one layer the budget had left. */
  | { readonly kind: 'rest'; readonly paths: number }
  /** Grouped as another strategy groups (nixery, popularity, single), which gives no per-layer reason. */
  | { readonly kind: 'strategy'; readonly strategy: string };

function storeName(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return /^[0-9a-z]{32}-/.test(base) ? base.slice(33) : base;
}

function images(count: number): string {
  return count === 1 ? '1 of your images' : `${count} of your images`;
}

function paths(count: number): string {
  return count === 1 ? '1 path' : `${count} paths`;
}

export function describeReason(reason: LayerReason): string {
  switch (reason.kind) {
    case 'reused': {
      if (reason.from !== undefined) return `in the team cache ${reason.from}: fetched, not built`;
      const [first, ...others] = reason.images;
      if (first === undefined) return 'reused from the store: no image holds it now, but its blob is kept';
      return `reused from image ${first}${others.length > 0 ? ` and ${others.length} more` : ''}: nothing to write`;
    }
    case 'path':
      return `${storeName(reason.path)} alone${reason.sharedBy > 0 ? `, also in ${images(reason.sharedBy)}` : ''}: a path of its own is reused by every image that needs it`;
    case 'group':
      return `group of ${storeName(reason.head)}: it and ${paths(reason.paths - 1)} it leads to, merged to fit the layer budget${reason.sharedBy > 0 ? ` (${storeName(reason.head)} is in ${images(reason.sharedBy)})` : ''}`;
    case 'small':
      return `${paths(reason.paths)} of the smallest, together to fit the layer budget`;
    case 'rest':
      return `${paths(reason.paths)} not in a reused layer, together in the one layer the budget had left`;
    case 'strategy':
      return `grouped by the ${reason.strategy} strategy`;
  }
}
