import { hierarchy, treemap, treemapSquarify } from 'd3-hierarchy';
import { useMemo } from 'react';
import type { PlanLayerView, PlanNode } from '../../../../src-shared/plan';
import { formatBytes } from '../../format';
import { layerTitle, packageName } from '../../../../src-shared/layer-name';
import { layerColour, layerName } from './graph-layout';

interface Leaf {
  readonly name: string;
  readonly path?: string;
  readonly layer?: number;
  readonly size?: number;
  readonly children?: Leaf[];
}

const WIDTH = 1000;
/** About the width of one 10 px label character in the treemap's units. */
const CHAR = 6;

/** The text cut to a box `width` wide, with an ellipsis when cut. */
function fit(text: string, width: number): string {
  const room = Math.floor((width - 6) / CHAR);
  return text.length <= room ? text : `${text.slice(0, Math.max(1, room - 1))}…`;
}

const HEIGHT = 300;

/** Layers as blocks sized by NAR bytes, each split into its store paths; a click asks why a path is there. */
export function LayerTreemap({
  layers,
  nodes,
  roots,
  onSelect,
}: {
  layers: readonly PlanLayerView[];
  nodes: readonly PlanNode[];
  roots: readonly string[];
  onSelect: (path: string) => void;
}) {
  const cells = useMemo(() => {
    const byPath = new Map(nodes.map((n) => [n.path, n]));
    const root = hierarchy<Leaf>({
      name: 'image',
      children: layers.map((layer) => ({
        name: `${layerName(layer.index)} ${layerTitle(
          layer.paths.map((path) => ({ path, size: byPath.get(path)?.narSize ?? 0 })),
          roots,
        )}`,
        layer: layer.index,
        children: layer.paths.map((path) => ({ name: byPath.get(path)?.name ?? path, path, layer: layer.index, size: Math.max(1, byPath.get(path)?.narSize ?? 0) })),
      })),
    })
      .sum((d) => d.size ?? 0)
      .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
    return treemap<Leaf>().tile(treemapSquarify).size([WIDTH, HEIGHT]).paddingInner(1).paddingTop((d) => (d.depth === 1 ? 14 : 0))(root);
  }, [layers, nodes, roots]);

  return (
    <svg className="treemap" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label="Treemap of the layers and their store paths by size">
      {cells.children?.map((layer) => (
        <g key={layer.data.name}>
          <rect x={layer.x0} y={layer.y0} width={layer.x1 - layer.x0} height={layer.y1 - layer.y0} className="treemap-layer" />
          {layer.x1 - layer.x0 > 60 ? (
            <text x={layer.x0 + 3} y={layer.y0 + 11} className="treemap-layer-label">
              {fit(`${layer.data.name} · ${formatBytes(layer.value ?? 0)}`, layer.x1 - layer.x0)}
            </text>
          ) : null}
          {layer.children?.map((leaf) => (
            <rect
              key={leaf.data.path}
              x={leaf.x0}
              y={leaf.y0}
              width={Math.max(0, leaf.x1 - leaf.x0)}
              height={Math.max(0, leaf.y1 - leaf.y0)}
              style={{ fill: layerColour(leaf.data.layer ?? -1) }}
              className="treemap-leaf"
              onClick={() => leaf.data.path && onSelect(leaf.data.path)}
            >
              <title>{`${leaf.data.name}: ${formatBytes(leaf.value ?? 0)} in ${layer.data.name}`}</title>
            </rect>
          ))}
          {layer.children?.map((leaf) =>
            leaf.data.path && leaf.x1 - leaf.x0 > 40 && leaf.y1 - leaf.y0 > 14 ? (
              <text key={`${leaf.data.path}-label`} x={leaf.x0 + 3} y={leaf.y0 + 11} className="treemap-leaf-label">
                {fit(packageName(leaf.data.path), leaf.x1 - leaf.x0)}
              </text>
            ) : null,
          )}
        </g>
      ))}
    </svg>
  );
}
