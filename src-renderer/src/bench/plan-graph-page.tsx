/**
 * The page bench/plan-graph.ts builds and measures (not part of the app; it lives
 * here to be type-checked with the renderer): the Plan view's ClosureGraph with the
 * synthetic closure the bench put in `window.benchNodes`; with `?reference`, the
 * same markup copied out of React once rendered (no label hiding) and panned by
 * setting its transform attribute directly.
 */
import { createRoot } from 'react-dom/client';
import type { PlanNode } from '../../../src-shared/plan';
import { ClosureGraph } from '../views/plan/ClosureGraph';
import '../styles.css';
import '../views/flow.css';

declare global {
  interface Window {
    benchNodes: PlanNode[];
    benchLayoutMs: number;
  }
}

const root = document.getElementById('root')!;
root.className = 'flow-view';
root.style.height = '100vh';
const nodes = window.benchNodes;

const started = performance.now();
createRoot(root).render(<ClosureGraph nodes={nodes} selected={null} onSelect={() => undefined} />);
const reference = new URLSearchParams(location.search).has('reference');
// Rendering (with the dagre layout inside it) is done when the nodes are in the page.
const check = (): void => {
  // The first fit draws the SVG at its scale (the group's transform) before the first paint.
  if (document.querySelectorAll('.graph-node').length !== nodes.length || !root.querySelector('.closure-graph svg > g')?.hasAttribute('transform')) {
    requestAnimationFrame(check);
    return;
  }
  if (reference) plainCopy();
  window.benchLayoutMs = performance.now() - started;
};
check();

/**
 * The reference: the graph's markup as rendered, copied without React and its label hiding, in an SVG the size
 * of the box (as the view drew it before it moved a layer), panned by plain listeners setting the group's transform.
 */
function plainCopy(): void {
  const rendered = root.querySelector('.closure-graph svg') as SVGSVGElement;
  // The view places its drawn SVG with a CSS translate (and scales it only mid-zoom); the drawing's scale is on the group.
  const [x, y] = rendered.style.transform.match(/-?[\d.]+/g)!.map(Number) as [number, number];
  const [scale] = rendered.querySelector(':scope > g')!.getAttribute('transform')!.match(/-?[\d.]+/g)!.map(Number) as [number];
  const markup = root.innerHTML;
  root.innerHTML = markup;
  const box = root.querySelector('.closure-graph') as HTMLElement;
  box.removeAttribute('data-far');
  const svg = box.querySelector('svg')!;
  svg.removeAttribute('class');
  svg.removeAttribute('style');
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', '100%');
  const group = svg.querySelector('svg > g')!;
  const view = { x, y, scale };
  let drag: { x: number; y: number } | null = null;
  const apply = (): void => group.setAttribute('transform', `translate(${view.x} ${view.y}) scale(${view.scale})`);
  apply();
  box.addEventListener('pointerdown', (e) => (drag = { x: e.clientX, y: e.clientY }));
  box.addEventListener('pointerup', () => (drag = null));
  box.addEventListener('pointermove', (e) => {
    if (!drag) return;
    view.x += e.clientX - drag.x;
    view.y += e.clientY - drag.y;
    drag = { x: e.clientX, y: e.clientY };
    apply();
  });
  box.addEventListener('wheel', (e) => {
    e.preventDefault();
    view.scale *= Math.exp(-e.deltaY * 0.0015);
    apply();
  });
}
