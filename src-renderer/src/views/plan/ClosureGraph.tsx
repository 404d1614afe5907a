import { useEffect, useRef, useState } from 'react';
import type { PlanNode } from '../../../../src-main/engine/compose/types';
import { formatBytes } from '../../format';
import { fitView, LARGE, layerColour, layerName, nodeLabel, openingView, type GraphLayout, type GraphView } from './graph-layout';
import './plan.css';

/** Below this scale the labels would be under 5 px tall: unreadable, and most of a frame's painting, so they are hidden. */
const FAR_SCALE = 0.45;
/**
 * The graph opens at least this large (labels about 9 px tall): a closure too
 * big to fit at this size opens on its top-level packages, and the person pans
 * from there or presses 0 to see all of it.
 */
const READABLE_SCALE = 0.8;

/**
 * The closure graph in SVG: drag to pan, wheel (or + and -) to zoom, arrow keys
 * to move. The pan/zoom transform is written straight to the SVG group, not
 * through React, so a 1,000-path graph moves at frame rate.
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

  const apply = (): void => {
    const { x, y, scale } = view.current;
    group.current?.setAttribute('transform', `translate(${x.toFixed(1)} ${y.toFixed(1)}) scale(${scale.toFixed(4)})`);
    // Labels too small to read cost most of a frame's painting: they go below this scale.
    box.current?.toggleAttribute('data-far', scale < FAR_SCALE);
  };

  const fit = (): void => {
    const el = box.current;
    if (!el || !layout || layout.width === 0) return;
    view.current = fitView(layout, el.clientWidth, el.clientHeight);
    apply();
  };

  const open = (): void => {
    const el = box.current;
    if (!el || !layout || layout.width === 0) return;
    view.current = openingView(layout, el.clientWidth, el.clientHeight, READABLE_SCALE);
    apply();
  };

  useEffect(open, [layout]);

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

  const drag = useRef<{ x: number; y: number } | null>(null);

  return (
    <>
      <div
        ref={box}
        className="closure-graph"
        role="application"
        aria-label="Closure graph: drag or use the arrow keys to pan, wheel or + and - to zoom, 0 to fit"
        tabIndex={0}
        onPointerDown={(e) => {
          drag.current = { x: e.clientX, y: e.clientY };
          e.currentTarget.setPointerCapture(e.pointerId);
        }}
        onPointerMove={(e) => {
          if (!drag.current) return;
          view.current.x += e.clientX - drag.current.x;
          view.current.y += e.clientY - drag.current.y;
          drag.current = { x: e.clientX, y: e.clientY };
          apply();
        }}
        onPointerUp={() => (drag.current = null)}
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
                onClick={() => onSelect(node.path)}
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
          </g>
        </svg>
      </div>
      <p className="graph-hint muted">Drag or use the arrow keys to pan, wheel or + and − to zoom, 0 to see the whole graph.</p>
    </>
  );
}
