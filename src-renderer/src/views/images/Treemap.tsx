import { hierarchy, treemap, treemapSquarify } from 'd3-hierarchy';
import { useEffect, useMemo, useState } from 'react';
import type { OpenedImage, TreemapNode } from '../../../../src-shared/images';
import { api } from '../../api/api';
import { storeName } from '../../../../src-shared/layer-name';
import { formatBytes } from '../../format';
import { imageLayerTitles } from './image-layer-titles';

const WIDTH = 960;
const HEIGHT = 520;

/** A label cut to a box `width` wide (about 6.5 units a character), with an ellipsis when cut. */
function cut(text: string, width: number): string {
  return text.length * 6.5 > width - 8 ? `${text.slice(0, Math.max(1, Math.floor((width - 8) / 6.5) - 1))}…` : text;
}

/** The image's bytes by layer, then store path or folder, then file (d3-hierarchy's squarified treemap). */
export function TreemapTab({ image }: { readonly image: OpenedImage }) {
  const [data, setData] = useState<TreemapNode | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.request('images:treemap', { id: image.id }).then(setData, (err: unknown) => setError((err as Error).message));
  }, [image.id]);

  const leaves = useMemo(() => {
    if (!data) return [];
    const root = hierarchy<TreemapNode>(data, (d) => (d.children ? [...d.children] : undefined))
      .sum((d) => (d.children ? 0 : d.size))
      .sort((a, b) => (b.value ?? 0) - (a.value ?? 0));
    treemap<TreemapNode>().tile(treemapSquarify).size([WIDTH, HEIGHT]).paddingTop(16).paddingInner(1).round(true)(root);
    return root.descendants().filter((d) => d.depth > 0);
  }, [data]);

  const titles = useMemo(() => imageLayerTitles(image), [image]);
  /** What a box says: a layer by what it holds, a store path by its name (the hash would take all the room). */
  const label = (name: string, depth: number, layerIndex: number): string =>
    depth === 1 ? `${name}: ${titles[layerIndex] ?? ''}` : depth === 2 ? storeName(name) : name;

  if (error)
    return (
      <p className="error" role="alert">
        {error}
      </p>
    );
  if (!data) return <p className="muted">Measuring…</p>;
  return (
    <figure className="images-treemap">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Treemap of ${formatBytes(data.size)} of files in ${image.layers.length} layers`}>
        {leaves.map((node, i) => {
          const { x0, y0, x1, y1 } = node as unknown as { x0: number; y0: number; x1: number; y1: number };
          const w = x1 - x0;
          const h = y1 - y0;
          const layerNode = node.ancestors().find((a) => a.depth === 1);
          const layerIndex = layerNode ? (data.children ?? []).indexOf(layerNode.data) : 0;
          return (
            <g key={i} transform={`translate(${x0},${y0})`}>
              <rect width={w} height={h} className={`tm-depth-${node.depth} tm-layer-${layerIndex % 6}`}>
                <title>{`${node.ancestors().reverse().slice(1).map((a) => a.data.name).join(' › ')}: ${formatBytes(node.value ?? 0)}`}</title>
              </rect>
              {w > 60 && (node.depth < 3 ? true : h > 14) ? (
                <text x={4} y={12} className="tm-label">
                  {cut(label(node.data.name, node.depth, layerIndex), w)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="muted">Box area is bytes of files; hover a box for its path and size.</figcaption>
    </figure>
  );
}
