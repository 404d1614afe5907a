/**
 * The closure graph laid out by dagre (top-level packages at the top, their
 * dependencies below), as plain numbers for an SVG. Framework-free, so the
 * layout is computed once per plan and panning never touches it.
 */
import dagre from '@dagrejs/dagre';
import type { PlanNode } from '../../../../src-shared/plan';

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

/** Where the laid-out graph sits in its box: a translation, then a scale. */
export interface GraphView {
  x: number;
  y: number;
  scale: number;
}

/** All of the graph in a box of this size, centred, never enlarged. */
export function fitView(layout: GraphLayout, width: number, height: number): GraphView {
  const scale = Math.min(1, width / layout.width, height / layout.height);
  return { scale, x: (width - layout.width * scale) / 2, y: Math.max(0, (height - layout.height * scale) / 2) };
}

/** A layer as people count them: from 1, as dive and `docker history` readers do; the data keeps 0-based indexes. */
export function layerName(layer: number): string {
  return layer < 0 ? 'no layer' : `Layer ${layer + 1}`;
}

/** A layer's colour: hues spread by the golden angle, so neighbours differ. -1 (no layer) is grey. */
export function layerColour(layer: number): string {
  return layer < 0 ? 'hsl(220 8% 60%)' : `hsl(${Math.round((layer * 137.508) % 360)} 62% 58%)`;
}

/** A label drawn over the graph when it is too small for every node's own. */
export interface FarLabel {
  readonly path: string;
  readonly text: string;
  /** Where the label starts, in layout units (the node's top left). */
  readonly x: number;
  readonly y: number;
}

/** On-screen size of a far label: 11 px text and its padding. */
const FAR_FONT = 11;
const FAR_CHAR = 6.4;
/** Enough to read the graph's shape; more would cover it. */
const MAX_FAR_LABELS = 120;

/**
 * The labels worth showing at `scale`, most important first, none overlapping
 * on screen: the selected path, then the top rank (the packages picked), then the
 * largest paths. Any zoom shows some names, never a pile of unreadable ones.
 */
export function farLabels(layout: GraphLayout, scale: number, selected: string | null): FarLabel[] {
  let top = Infinity;
  for (const n of layout.nodes) top = Math.min(top, n.y);
  const rank = (n: PlacedNode): number => (n.node.path === selected ? 0 : n.y === top ? 1 : 2);
  const ordered = [...layout.nodes].sort((a, b) => rank(a) - rank(b) || b.node.narSize - a.node.narSize || a.node.path.localeCompare(b.node.path));
  const placed: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const labels: FarLabel[] = [];
  for (const n of ordered) {
    if (labels.length >= MAX_FAR_LABELS) break;
    const text = nodeLabel(n.node);
    const box = { x0: n.x, y0: n.y, x1: n.x + (text.length * FAR_CHAR + 8) / scale, y1: n.y + (FAR_FONT + 6) / scale };
    if (placed.some((p) => box.x0 < p.x1 && p.x0 < box.x1 && box.y0 < p.y1 && p.y0 < box.y1)) continue;
    placed.push(box);
    labels.push({ path: n.node.path, text, x: n.x, y: n.y });
  }
  return labels;
}
