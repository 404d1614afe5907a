/**
 * The closure graph laid out by dagre (top-level packages at the top, their
 * dependencies below), as plain numbers for an SVG. Framework-free, so the
 * layout is computed once per plan and panning never touches it.
 */
import dagre from '@dagrejs/dagre';
import type { PlanNode } from '../../../../src-main/engine/compose/types';

export interface PlacedNode {
  readonly node: PlanNode;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface GraphLayout {
  readonly nodes: readonly PlacedNode[];
  /** One SVG path `d` per reference edge. */
  readonly edges: readonly string[];
  readonly width: number;
  readonly height: number;
}

export const NODE_HEIGHT = 34;
/** Above this many paths a graph is drawn the fast way: quicker ranking, no arrowheads. */
export const LARGE = 300;
const CHAR_WIDTH = 6.6;

/** A node's width fits its name (long Nix names are cut to 28 characters). */
export function nodeLabel(node: PlanNode): string {
  return node.name.length > 28 ? `${node.name.slice(0, 27)}…` : node.name;
}

export function layoutGraph(nodes: readonly PlanNode[]): GraphLayout {
  const graph = new dagre.graphlib.Graph();
  // network-simplex (dagre's default ranker) takes tens of seconds on a 1,000-path closure;
  // longest-path ranks it in well under a second and reads the same for a dependency tree.
  graph.setGraph({ rankdir: 'TB', nodesep: 14, ranksep: 46, marginx: 20, marginy: 20, ranker: nodes.length > LARGE ? 'longest-path' : 'network-simplex' });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of nodes) graph.setNode(node.path, { width: Math.max(90, nodeLabel(node).length * CHAR_WIDTH + 20), height: NODE_HEIGHT });
  for (const node of nodes) for (const ref of node.references) if (graph.hasNode(ref)) graph.setEdge(node.path, ref);
  dagre.layout(graph);

  const placed = nodes.map((node): PlacedNode => {
    const at = graph.node(node.path);
    return { node, x: at.x - at.width / 2, y: at.y - at.height / 2, width: at.width, height: at.height };
  });
  const edges = graph.edges().map((edge) => {
    const points: readonly { x: number; y: number }[] = graph.edge(edge).points ?? [];
    return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join('');
  });
  const size = graph.graph();
  return { nodes: placed, edges, width: size.width ?? 0, height: size.height ?? 0 };
}

/** A layer's colour: hues spread by the golden angle, so neighbours differ. -1 (no layer) is grey. */
export function layerColour(layer: number): string {
  return layer < 0 ? 'hsl(220 8% 60%)' : `hsl(${Math.round((layer * 137.508) % 360)} 62% 58%)`;
}
