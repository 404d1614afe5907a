/** Each layer of a build named by what it holds, for the Build view and the job's detail. */
import type { ClosureGraph } from '../closure/graph.js';
import { layerTitle, linksTitle } from '../../../src-shared/layer-name.js';
import type { LayerSummary } from '../../../src-shared/build-events.js';

export function buildLayerTitle(kind: LayerSummary['kind'], members: readonly string[], graph: ClosureGraph): string {
  if (kind === 'customisation') return linksTitle(members);
  return layerTitle(
    members.map((path) => ({ path, size: graph.nodes.get(path)?.narSize ?? 0 })),
    graph.roots,
  );
}
