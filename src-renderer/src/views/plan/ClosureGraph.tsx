import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { PlanNode } from '../../../../src-shared/plan';
import { formatBytes } from '../../format';
import { farLabels, fitView, LARGE, layerColour, layerName, nodeLabel, type FarLabel, type GraphLayout, type GraphView } from './graph-layout';
import './plan.css';

/** Below this scale the nodes' own labels would be under 8 px tall: they go, and the most telling names are drawn at a readable size instead. */
const FAR_SCALE = 0.7;
/** A press that moves less than this (px) is a click on a node, not a drag of the graph. */
const DRAG_THRESHOLD = 4;

/**
 * The closure graph in SVG: drag to pan, wheel (or + and -) to zoom, arrow keys
 * to move; a click, or Tab to a node and Enter, asks why that path is here. The
 * pan/zoom transform is written straight to the SVG group, not through React,
 * so a 1,000-path graph moves at frame rate; only the far labels (which depend
 * on the zoom) re-render, and only when the zoom changes.
 */
export function ClosureGraph({ nodes, selected, onSelect }: { nodes: readonly PlanNode[]; selected: string | null; onSelect: (path: string) => void }) {
  // The layout of these nodes, once the worker has it; a stale one (older nodes) is not drawn.
  const [laidOut, setLaidOut] = useState<{ nodes: readonly PlanNode[]; layout: GraphLayout } | null>(null);
  const layout = laidOut?.nodes === nodes ? laidOut.layout : null;

  useEffect(() => {
    const worker = new Worker(new URL('./graph-layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<GraphLayout>) => {
      setLaidOut({ nodes, layout: event.data });
      worker.terminate();
    };
    worker.postMessage(nodes);
    return () => worker.terminate();
  }, [nodes]);

  // Thousands of arrowheads make every pan frame slow to paint; edges run top-down anyway.
  const large = nodes.length > LARGE;
  const box = useRef<HTMLDivElement>(null);
  const group = useRef<SVGGElement>(null);
  const view = useRef<GraphView>({ x: 0, y: 0, scale: 1 });

  // The scale the far labels were chosen for; null when the nodes' own labels are readable.
  const [farScale, setFarScale] = useState<number | null>(null);
  const labels: FarLabel[] = useMemo(() => (layout && farScale !== null ? farLabels(layout, farScale, selected) : []), [layout, farScale, selected]);
  const apply = (): void => {
    const { x, y, scale } = view.current;
    group.current?.setAttribute('transform', `translate(${x.toFixed(1)} ${y.toFixed(1)}) scale(${scale.toFixed(4)})`);
    // Labels too small to read cost most of a frame's painting: they go below this scale.
    box.current?.toggleAttribute('data-far', scale < FAR_SCALE);
    setFarScale(scale < FAR_SCALE ? scale : null);
  };

  const fit = (): void => {
    const el = box.current;
    if (!el || !layout || layout.width === 0) return;
    view.current = fitView(layout, el.clientWidth, el.clientHeight);
    apply();
  };

  // The whole graph to start with: the far labels keep the important names readable at any size.
  useEffect(fit, [layout]);

  /** Pans so a node reached with the keyboard is in view. */
  const reveal = (x: number, y: number, width: number, height: number): void => {
    const el = box.current;
    if (!el) return;
    const v = view.current;
    const left = x * v.scale + v.x;
    const top = y * v.scale + v.y;
    const margin = 20;
    if (left < margin || left + width * v.scale > el.clientWidth - margin) v.x += el.clientWidth / 2 - (left + (width * v.scale) / 2);
    if (top < margin || top + height * v.scale > el.clientHeight - margin) v.y += el.clientHeight / 2 - (top + (height * v.scale) / 2);
    apply();
  };

  const onNodeKey = (event: KeyboardEvent, path: string): void => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    event.stopPropagation();
    onSelect(path);
  };

  const zoomAt = (factor: number, cx: number, cy: number): void => {
    const v = view.current;
    const scale = Math.min(4, Math.max(0.05, v.scale * factor));
    const k = scale / v.scale;
    view.current = { scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
    apply();
  };

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // A non-passive listener: the wheel zooms the graph instead of scrolling the page.
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault();
      const rect = el.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  });

  // A press on the graph: where it started and whether it has become a drag. The pointer is captured
  // only once it is a drag, so a plain click still reaches the node under it.
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  return (
    <>
      <div
        ref={box}
        className="closure-graph"
        role="application"
        aria-label="Closure graph: drag or use the arrow keys to pan, wheel or + and - to zoom, 0 to fit"
        tabIndex={0}
        onPointerDown={(e) => {
          if (e.button === 0) drag.current = { x: e.clientX, y: e.clientY, moved: false };
        }}
        onPointerMove={(e) => {
          const d = drag.current;
          if (!d) return;
          if (!d.moved) {
            if (Math.hypot(e.clientX - d.x, e.clientY - d.y) < DRAG_THRESHOLD) return;
            d.moved = true;
            e.currentTarget.setPointerCapture(e.pointerId);
          }
          view.current.x += e.clientX - d.x;
          view.current.y += e.clientY - d.y;
          d.x = e.clientX;
          d.y = e.clientY;
          apply();
        }}
        onPointerUp={() => {
          // Cleared after the click that follows a pointerup, so a drag that ends on a node does not select it.
          setTimeout(() => (drag.current = null));
        }}
        onPointerCancel={() => (drag.current = null)}
        onKeyDown={(e) => {
          const el = box.current!;
          const step = 60;
          if (e.key === 'ArrowLeft') view.current.x += step;
          else if (e.key === 'ArrowRight') view.current.x -= step;
          else if (e.key === 'ArrowUp') view.current.y += step;
          else if (e.key === 'ArrowDown') view.current.y -= step;
          else if (e.key === '+' || e.key === '=') return zoomAt(1.25, el.clientWidth / 2, el.clientHeight / 2);
          else if (e.key === '-') return zoomAt(0.8, el.clientWidth / 2, el.clientHeight / 2);
          else if (e.key === '0') return fit();
          else return;
          e.preventDefault();
          apply();
        }}
      >
        {layout ? null : (
          <p className="graph-waiting" role="status">
            Laying out {nodes.length.toLocaleString()} store paths…
          </p>
        )}
        <svg width="100%" height="100%" shapeRendering={large ? 'optimizeSpeed' : undefined}>
          <defs>
            <marker id="closure-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto">
              <path d="M0,0L8,4L0,8z" className="graph-arrow" />
            </marker>
          </defs>
          <g ref={group}>
            {layout?.edges.map((d, i) => (
              <path key={i} d={d} className="graph-edge" markerEnd={large ? undefined : 'url(#closure-arrow)'} />
            ))}
            {layout?.nodes.map(({ node, x, y, width, height }) => (
              <g
                key={node.path}
                transform={`translate(${x} ${y})`}
                className={`graph-node${node.path === selected ? ' is-selected' : ''}`}
                onClick={() => {
                  if (!drag.current?.moved) onSelect(node.path);
                }}
                onKeyDown={(e) => onNodeKey(e, node.path)}
                onFocus={() => reveal(x, y, width, height)}
                tabIndex={0}
                role="button"
                aria-label={`${node.name}, ${formatBytes(node.narSize)}, ${layerName(node.layer)}`}
                aria-pressed={node.path === selected}
                data-path={node.path}
              >
                <title>{`${node.name}\n${formatBytes(node.narSize)}, ${layerName(node.layer)}`}</title>
                <rect width={width} height={height} rx={5} style={{ fill: layerColour(node.layer) }} />
                <text x={8} y={14}>
                  {nodeLabel(node)}
                </text>
                <text x={8} y={27} className="graph-size">
                  {formatBytes(node.narSize)} · {node.layer < 0 ? 'no layer' : `L${node.layer + 1}`}
                </text>
              </g>
            ))}
            {labels.map((label) => (
              <text
                key={label.path}
                className="graph-far-label"
                x={label.x}
                y={label.y}
                dy={`${11 / (farScale ?? 1)}`}
                style={{ fontSize: `${11 / (farScale ?? 1)}px`, strokeWidth: `${3 / (farScale ?? 1)}px` }}
              >
                {label.text}
              </text>
            ))}
          </g>
        </svg>
      </div>
      <p className="graph-hint muted">Click a path (or Tab to it and press Enter) to see why it is here. Drag or use the arrow keys to pan, wheel or + and − to zoom, 0 to see the whole graph.</p>
    </>
  );
}
