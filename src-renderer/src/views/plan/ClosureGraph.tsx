import { useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type MouseEvent } from 'react';
import type { PlanNode } from '../../../../src-shared/plan';
import { formatBytes } from '../../format';
import { farLabels, fitView, LARGE, layerColour, layerName, nodeLabel, type FarLabel, type GraphLayout, type GraphView, type PlacedNode } from './graph-layout';
import './plan.css';

/** Below this scale the nodes' own labels would be under 8 px tall: they go, and the most telling names are drawn at a readable size instead. */
const FAR_SCALE = 0.7;
/** A press that moves less than this (px) is a click on a node, not a drag of the graph. */
const DRAG_THRESHOLD = 4;
/** How long (ms) the zoom must rest before the graph is drawn again at its new scale. */
const SETTLE_MS = 200;

/**
 * The closure graph in SVG: drag to pan, wheel (or + and -) to zoom, arrow keys
 * to move; a click, or Tab to a node and Enter, asks why that path is here.
 *
 * A 1,000-path graph costs tens of milliseconds to paint, so moving it never
 * repaints it: the whole graph is drawn once, at the scale it was last zoomed to,
 * in an <svg> of its own that the compositor moves as one layer (a CSS transform,
 * written straight to the element once per animation frame, not through React).
 * A pan needs nothing more. A zoom scales that layer too, and only when the
 * graph has come to rest is it drawn again at the new scale (crisp, and with the
 * far labels chosen for it): the one React render, and the one full repaint, that
 * a gesture costs, in a frame where nothing moves.
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
  const canvas = useRef<SVGSVGElement>(null);
  /** Where the graph is on screen now: layout units times `scale`, then shifted by x and y. */
  const view = useRef<GraphView>({ x: 0, y: 0, scale: 1 });
  // The scale the SVG is drawn at (null until the graph is first fitted); the layer's CSS transform covers the rest.
  const [drawn, setDrawn] = useState<{ layout: GraphLayout; scale: number } | null>(null);
  const drawnScale = drawn?.layout === layout ? drawn.scale : null;
  const drawnRef = useRef(1);
  const frame = useRef(0);
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  /** Moves the drawn layer to the current view: a compositor-only change, nothing is laid out or painted again. */
  const place = (): void => {
    frame.current = 0;
    const { x, y, scale } = view.current;
    if (canvas.current) canvas.current.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px) scale(${(scale / drawnRef.current).toFixed(5)})`;
  };
  /** Draws the graph at the view's scale now (a fit, or once a zoom has rested). */
  const redraw = (): void => {
    clearTimeout(settle.current);
    settle.current = undefined;
    if (layout) setDrawn({ layout, scale: view.current.scale });
  };
  /**
   * At most one move per animation frame, however many pointer or wheel events arrive in it. A redraw
   * still owed to a zoom waits until the graph has stopped moving altogether (a pan straight after a zoom
   * is the same gesture to the eye), so it never costs a frame while the graph is in motion.
   */
  const move = (): void => {
    if (!frame.current) frame.current = requestAnimationFrame(place);
    if (settle.current !== undefined) {
      clearTimeout(settle.current);
      settle.current = setTimeout(redraw, SETTLE_MS);
    }
  };
  const zoomed = (): void => {
    clearTimeout(settle.current);
    settle.current = setTimeout(redraw, SETTLE_MS);
    move();
  };
  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      clearTimeout(settle.current);
    },
    [],
  );

  // The SVG has just been drawn at a new scale: the layer's transform changes with it, before the frame is painted.
  useLayoutEffect(() => {
    if (drawnScale === null) return;
    drawnRef.current = drawnScale;
    cancelAnimationFrame(frame.current);
    place();
  });

  const fit = (): void => {
    const el = box.current;
    if (!el || !layout || layout.width === 0) return;
    view.current = fitView(layout, el.clientWidth, el.clientHeight);
    redraw();
  };

  // The whole graph to start with, before the first paint: the far labels keep the important names readable at any size.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el || !layout || layout.width === 0) return;
    view.current = fitView(layout, el.clientWidth, el.clientHeight);
    clearTimeout(settle.current);
    settle.current = undefined;
    setDrawn({ layout, scale: view.current.scale });
  }, [layout]);

  const far = drawnScale !== null && drawnScale < FAR_SCALE;
  const labels: FarLabel[] = useMemo(() => (layout && far ? farLabels(layout, drawnScale, selected) : []), [layout, far, drawnScale, selected]);

  const placed = useMemo(() => new Map(layout?.nodes.map((n) => [n.node.path, n])), [layout]);
  /** The node an event happened in, if any: the nodes' handlers are one set on their group, not 1,000. */
  const nodeOf = (event: { target: EventTarget }): PlacedNode | undefined => {
    const path = (event.target as Element).closest?.('.graph-node')?.getAttribute('data-path');
    return path ? placed.get(path) : undefined;
  };

  /** Pans so a node reached with the keyboard is in view. */
  const reveal = ({ x, y, width, height }: PlacedNode): void => {
    const el = box.current;
    if (!el) return;
    const v = view.current;
    const left = x * v.scale + v.x;
    const top = y * v.scale + v.y;
    const margin = 20;
    if (left < margin || left + width * v.scale > el.clientWidth - margin) v.x += el.clientWidth / 2 - (left + (width * v.scale) / 2);
    if (top < margin || top + height * v.scale > el.clientHeight - margin) v.y += el.clientHeight / 2 - (top + (height * v.scale) / 2);
    move();
  };

  const zoomAt = (factor: number, cx: number, cy: number): void => {
    const v = view.current;
    const scale = Math.min(4, Math.max(0.05, v.scale * factor));
    const k = scale / v.scale;
    view.current = { scale, x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k };
    zoomed();
  };

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    // A non-passive listener: the wheel zooms the graph instead of scrolling the page.
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault();
      // Only transforms change while the graph moves, so this read finds the layout clean and costs nothing.
      const rect = el.getBoundingClientRect();
      zoomAt(Math.exp(-event.deltaY * 0.0015), event.clientX - rect.left, event.clientY - rect.top);
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  });

  // A press on the graph: where it started and whether it has become a drag. The pointer is captured
  // only once it is a drag, so a plain click still reaches the node under it.
  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  const onNodeClick = (event: MouseEvent): void => {
    const node = nodeOf(event);
    if (node && !drag.current?.moved) onSelect(node.node.path);
  };
  const onNodeKey = (event: KeyboardEvent): void => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    const node = nodeOf(event);
    if (!node) return;
    event.preventDefault();
    event.stopPropagation();
    onSelect(node.node.path);
  };
  const onNodeFocus = (event: FocusEvent): void => {
    const node = nodeOf(event);
    if (node) reveal(node);
  };

  // The nodes change only with the layout and the selection, not with a zoom: a redraw re-renders the far labels alone.
  const drawnNodes = useMemo(
    () =>
      layout?.nodes.map(({ node, x, y, width, height }) => (
        <g
          key={node.path}
          transform={`translate(${x} ${y})`}
          className={`graph-node${node.path === selected ? ' is-selected' : ''}`}
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
      )),
    [layout, selected],
  );
  // A large graph's edges carry no arrowheads, so they can be one path: one element to draw instead of thousands.
  const drawnEdges = useMemo(
    () =>
      large ? (
        <path d={layout?.edges.join('')} className="graph-edge" />
      ) : (
        layout?.edges.map((d, i) => <path key={i} d={d} className="graph-edge" markerEnd="url(#closure-arrow)" />)
      ),
    [layout, large],
  );

  return (
    <>
      <div
        ref={box}
        className="closure-graph"
        role="application"
        aria-label="Closure graph: drag or use the arrow keys to pan, wheel or + and - to zoom, 0 to fit"
        tabIndex={0}
        data-far={far ? '' : undefined}
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
          move();
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
          move();
        }}
      >
        {layout ? null : (
          <p className="graph-waiting" role="status">
            Laying out {nodes.length.toLocaleString()} store paths…
          </p>
        )}
        {layout && drawnScale !== null ? (
          <svg
            ref={canvas}
            className="graph-canvas"
            width={Math.ceil(layout.width * drawnScale)}
            height={Math.ceil(layout.height * drawnScale)}
            shapeRendering={large ? 'optimizeSpeed' : undefined}
          >
            <defs>
              <marker id="closure-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="6" markerHeight="6" orient="auto">
                <path d="M0,0L8,4L0,8z" className="graph-arrow" />
              </marker>
            </defs>
            <g transform={`scale(${drawnScale.toFixed(5)})`} onClick={onNodeClick} onKeyDown={onNodeKey} onFocus={onNodeFocus}>
              {drawnEdges}
              {drawnNodes}
              {labels.map((label) => (
                <text
                  key={label.path}
                  className="graph-far-label"
                  x={label.x}
                  y={label.y}
                  dy={`${11 / drawnScale}`}
                  style={{ fontSize: `${11 / drawnScale}px`, strokeWidth: `${3 / drawnScale}px` }}
                >
                  {label.text}
                </text>
              ))}
            </g>
          </svg>
        ) : null}
      </div>
      <p className="graph-hint muted">Click a path (or Tab to it and press Enter) to see why it is here. Drag or use the arrow keys to pan, wheel or + and − to zoom, 0 to see the whole graph.</p>
    </>
  );
}
