/**
 * An image build's live per-layer state, folded from the pipeline's events: what
 * the Build view draws as one progress bar and one cache badge per layer. No Node
 * imports: the renderer reads these types.
 */
import type { BuildEvent } from './build-events.js';

/** `cached`: taken from the local layer cache; `team`: fetched from a team cache in a registry; `written`: tarred, compressed and committed now. */
export type LayerState = 'waiting' | 'writing' | 'cached' | 'team' | 'written';

export interface LayerProgress {
  readonly index: number;
  readonly kind: 'store-paths' | 'customisation';
  readonly paths: number;
  /** What the layer holds, in words (absent in jobs recorded before layers had names). */
  readonly title?: string;
  /** Why the plan made the layer what it is, one sentence (absent in older jobs). */
  readonly why?: string;
  /** The layer's store paths' NAR size: about its tar size, what `tarBytes` counts towards. */
  readonly narSize: number;
  readonly state: LayerState;
  readonly tarBytes: number;
  readonly digest: string | null;
  /** The blob's size, once there is one. */
  readonly size: number | null;
}

export interface ImageBuildDetail {
  readonly layers: readonly LayerProgress[];
}

function update(detail: ImageBuildDetail, index: number, change: Partial<LayerProgress>): ImageBuildDetail {
  return { layers: detail.layers.map((layer) => (layer.index === index ? { ...layer, ...change } : layer)) };
}

/** The detail after `event`; the same object when the event does not touch the layers. */
export function nextDetail(detail: ImageBuildDetail | null, event: BuildEvent): ImageBuildDetail | null {
  switch (event.type) {
    case 'plan':
      return {
        layers: event.layers.map(({ index, kind, paths, narSize, title, why }) => ({
          index,
          kind,
          paths,
          narSize,
          ...(title !== undefined ? { title } : {}),
          why,
          state: 'waiting',
          tarBytes: 0,
          digest: null,
          size: null,
        })),
      };
    case 'layer-started':
      return detail && update(detail, event.index, { state: 'writing' });
    case 'layer-progress':
      return detail && update(detail, event.index, { tarBytes: event.tarBytes });
    case 'layer-done':
      return detail && update(detail, event.index, { state: event.source === 'team' ? 'team' : event.source === 'local' ? 'cached' : 'written', digest: event.digest, size: event.size });
    default:
      return detail;
  }
}
