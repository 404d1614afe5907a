/**
 * Why a planned layer holds what it holds, as plain data (no Node imports: the
 * IPC contract and the renderer use it), and the one sentence each reason reads as.
 */
import { plural, storeName } from './layer-name.js';

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

export function describeReason(reason: LayerReason): string {
  switch (reason.kind) {
    case 'reused': {
      if (reason.from !== undefined) return `in the team cache ${reason.from}: fetched, not built`;
      const [first, ...others] = reason.images;
      if (first === undefined) return 'reused from the store: no image holds it now, but its blob is kept';
      return `reused from image ${first}${others.length > 0 ? ` and ${others.length} more` : ''}: nothing to write`;
    }
    case 'path':
      return `${storeName(reason.path)} alone${reason.sharedBy > 0 ? `, also in ${`${reason.sharedBy} of your images`}` : ''}: a path of its own is reused by every image that needs it`;
    case 'group':
      return `group of ${storeName(reason.head)}: it and ${plural(reason.paths - 1, 'path')} it leads to, merged to fit the layer budget${reason.sharedBy > 0 ? ` (${storeName(reason.head)} is in ${`${reason.sharedBy} of your images`})` : ''}`;
    case 'small':
      return `${plural(reason.paths, 'path')} of the smallest, together to fit the layer budget`;
    case 'rest':
      return `${plural(reason.paths, 'path')} not in a reused layer, together in the one layer the budget had left`;
    case 'strategy':
      return `grouped by the ${reason.strategy} strategy`;
  }
}
