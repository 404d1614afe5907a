import type { PlanLayerView, PlanNode } from '../../../../src-shared/plan';
import { layerTitle, linksTitle, plural, storeName } from '../../../../src-shared/layer-name';
import { formatBytes } from '../../format';
import { layerColour, layerName } from './graph-layout';

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The plan's layers as the image will have them, the links layer last: each
 * named by what it holds, with its size, whether the store has it (reused) and
 * why the plan made it so; a row opens to its store paths, largest first.
 */
export function LayerLegend({ layers, nodes, roots }: { layers: readonly PlanLayerView[]; nodes: readonly PlanNode[]; roots: readonly string[] }) {
  const byPath = new Map(nodes.map((n) => [n.path, n]));
  const sized = (paths: readonly string[]) => paths.map((path) => ({ path, size: byPath.get(path)?.narSize ?? 0 })).sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
  return (
    <ol className="layer-legend" aria-label="Layers">
      {layers.map((layer) => {
        const paths = sized(layer.paths);
        return (
          <li key={layer.index}>
            <details>
              <summary>
                <span className="swatch" style={{ background: layerColour(layer.index) }} aria-hidden="true" />
                <span className="grow layer-legend-name">
                  {layerName(layer.index)}: <strong>{layerTitle(paths, roots)}</strong>
                </span>
                <span className="muted">{formatBytes(layer.narSize)}</span>
                {layer.cached ? <span className="badge badge-succeeded">reused</span> : <span className="badge badge-queued">new</span>}
                <span className="layer-legend-why muted">{capitalise(layer.why)}.</span>
              </summary>
              <ul className="layer-legend-paths" aria-label={`Store paths in ${layerName(layer.index)}`}>
                {paths.map((p) => (
                  <li key={p.path}>
                    <code className="grow" title={p.path}>
                      {storeName(p.path)}
                    </code>
                    <span className="muted">{formatBytes(p.size)}</span>
                  </li>
                ))}
              </ul>
            </details>
          </li>
        );
      })}
      <li className="layer-legend-links">
        <div className="layer-legend-row">
            <span className="swatch swatch-links" aria-hidden="true" />
            <span className="grow layer-legend-name">
              {layerName(layers.length)}: <strong>{linksTitle(roots)}</strong>
            </span>
            <span className="muted">{plural(roots.length, 'package')}</span>
            <span className="layer-legend-why muted">
              Always the last layer: /bin, /lib, /share… at the image root, linking into the top-level packages, and an empty /tmp.
            </span>
        </div>
      </li>
    </ol>
  );
}
