/**
 * Does a 1,000-path closure graph stay interactive in the Plan view? Frame times
 * in Debian's Chromium while the graph is panned (pointer drags) and zoomed
 * (wheel), measured with requestAnimationFrame inside the page.
 *
 * Reference: the same 1,000 nodes as the view first renders them (same layout,
 * same markup, same starting view), copied out of React into a plain SVG and
 * panned by setting its transform attribute directly: what moving this much SVG
 * costs in this browser without the view's own work (React handlers, hiding
 * labels too small to read). Measured in the same run with the same input;
 * "graph / reference" below 1 means the view moves faster than plain SVG would.
 *
 * Frame times are the intervals between requestAnimationFrame callbacks: whole
 * frames, since the view moves the graph from script once per frame, and each of
 * those frames waits for the page's work, its commit to the compositor and the
 * raster that commit needs. p95 is over all frames of the 40 gestures (600-1,000
 * of them). The view draws the graph again only once a zoom has come to rest (no
 * motion for 200 ms), which back-to-back gestures rarely allow: so the bench
 * counts those redraws and, after the gestures, times the frame of one on its own
 * ("longest frame after a last zoom"), rather than leave its cost out of sight.
 *
 * The closure is synthetic and seeded: 1,000 paths, 12 top-level ones, each path
 * referring to 1-4 paths below it (half the time one of the 30 most used, as a
 * libc or zlib would be), NAR sizes log-normal around 300 kB, 20 layers.
 *
 * Run: npx tsx bench/plan-graph.ts
 */
import react from '@vitejs/plugin-react';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { build } from 'vite';
import type { PlanNode } from '../src-shared/plan.js';

const PATHS = 1000;
const ROOTS = 12;
const LAYERS = 20;
const GESTURES = 40;

function syntheticClosure(): PlanNode[] {
  let seed = 0x91a4;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const paths = Array.from({ length: PATHS }, (_, i) => `/nix/store/${i.toString(36).padStart(32, '0')}-pkg-${i}-1.${i % 7}`);
  const used = new Map<number, number>();
  return paths.map((path, i) => {
    const references = new Set<string>();
    // Paths refer only to later ones (a DAG); the last paths are the base libraries.
    const below = PATHS - i - 1;
    const count = below === 0 ? 0 : 1 + Math.floor(random() * Math.min(4, below));
    for (let k = 0; k < count; k++) {
      const popular = random() < 0.5 ? PATHS - 1 - Math.floor(random() * Math.min(30, below)) : i + 1 + Math.floor(random() * below);
      references.add(paths[popular]!);
      used.set(popular, (used.get(popular) ?? 0) + 1);
    }
    const narSize = Math.round(Math.exp(Math.log(300_000) + (random() + random() + random() - 1.5) * 2));
    return { path, name: path.slice(44), narSize, references: [...references], layer: i < ROOTS ? 0 : i % LAYERS };
  });
}

async function buildPage(nodes: PlanNode[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-bench-graph-'));
  const out = join(dir, 'out');
  writeFileSync(
    join(dir, 'index.html'),
    `<!doctype html><html><head><meta charset="utf-8"></head><body><div id="root"></div>` +
      `<script>window.benchNodes = ${JSON.stringify(nodes)};</script>` +
      `<script type="module" src="${join(import.meta.dirname, '..', 'src-renderer', 'src', 'bench', 'plan-graph-page.tsx')}"></script></body></html>`,
  );
  await build({ root: dir, logLevel: 'warn', plugins: [react()], build: { outDir: out, emptyOutDir: true }, configFile: false });
  return out;
}

function serve(dir: string): Promise<{ url: string; close: () => void }> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    try {
      const body = readFileSync(join(dir, path === '/' ? 'index.html' : path));
      res.writeHead(200, { 'content-type': types[extname(path || '.html')] ?? 'text/html' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ url: `http://127.0.0.1:${address.port}/`, close: () => server.close() });
    }),
  );
}

interface FrameStats {
  readonly layoutMs: number;
  readonly frames: number;
  readonly median: number;
  readonly p95: number;
  readonly max: number;
  /** Frames over 17 ms (a missed vsync at 60 Hz). */
  readonly slow: number;
  /** Times the view drew its SVG again (a zoom come to rest) during the gestures; the reference never does. */
  readonly redraws: number;
  /** The longest frame in the 1.5 s after one more wheel step: the view's redraw at rest, or the reference's plain zoom. */
  readonly atRest: number;
}

async function measure(page: Page, url: string): Promise<FrameStats> {
  await page.goto(url);
  await page.waitForFunction(`document.querySelectorAll('.graph-node').length === ${PATHS} && typeof window.benchLayoutMs === 'number'`, undefined, { timeout: 120_000 });
  const layoutMs = (await page.evaluate('window.benchLayoutMs')) as number;
  // A string, not a function: tsx would wrap named functions in a helper the page does not have.
  await page.evaluate(`(() => {
    window.frameTimes = [];
    window.recording = true;
    window.redraws = 0;
    const svg = document.querySelector('.closure-graph svg');
    new MutationObserver((changes) => (window.redraws += changes.length)).observe(svg, { attributes: true, attributeFilter: ['width'] });
    let last = performance.now();
    const tick = (now) => {
      window.frameTimes.push(now - last);
      last = now;
      if (window.recording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const box = (await page.locator('.closure-graph').boundingBox())!;
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (let g = 0; g < GESTURES; g++) {
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + (g % 2 ? 120 : -120), cy + (g % 3 ? 60 : -60), { steps: 8 });
    await page.mouse.up();
    await page.mouse.wheel(0, g % 2 ? 120 : -100);
  }
  const times = (await page.evaluate('(window.recording = false, window.frameTimes.slice(1))')) as number[];
  const redraws = (await page.evaluate('window.redraws')) as number;
  // The frame the view spends drawing the graph again once a zoom has come to rest: not a frame of motion,
  // so not in the figures above, but a pause a user could notice if it were long.
  await page.evaluate(`(() => {
    window.frameTimes = [];
    let last = performance.now();
    const tick = (now) => {
      window.frameTimes.push(now - last);
      last = now;
      if (window.frameTimes.length < 90) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await page.mouse.wheel(0, -120);
  await page.waitForFunction('window.frameTimes.length >= 90');
  const atRest = Math.max(...((await page.evaluate('window.frameTimes')) as number[]));
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { layoutMs, frames: times.length, median: at(0.5), p95: at(0.95), max: sorted.at(-1)!, slow: times.filter((t) => t > 17).length, redraws, atRest };
}

const nodes = syntheticClosure();
const out = await buildPage(nodes);
const server = await serve(out);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (err) => console.error(`bench page error: ${err.message}`));
  // Interleaved, best of two each, so both see the same machine load.
  const graph: FrameStats[] = [];
  const reference: FrameStats[] = [];
  for (let round = 0; round < 2; round++) {
    reference.push(await measure(page, `${server.url}?reference`));
    graph.push(await measure(page, server.url));
  }
  const best = (runs: FrameStats[]) => runs.reduce((a, b) => (b.p95 < a.p95 ? b : a));
  const g = best(graph);
  const r = best(reference);
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(`closure graph: ${PATHS} paths, ${nodes.reduce((n, x) => n + x.references.length, 0)} edges, ${GESTURES} drag+wheel gestures`);
  console.log(`reference (plain SVG copy):    layout+render ${ms(r.layoutMs)}; frames ${r.frames}, median ${ms(r.median)}, p95 ${ms(r.p95)}, max ${ms(r.max)}; ${r.slow} over 17 ms; longest frame after a last zoom ${ms(r.atRest)}`);
  console.log(`Plan view ClosureGraph:        layout+render ${ms(g.layoutMs)}; frames ${g.frames}, median ${ms(g.median)}, p95 ${ms(g.p95)}, max ${ms(g.max)}; ${g.slow} over 17 ms; ${g.redraws} redraws; longest frame after a last zoom (its redraw) ${ms(g.atRest)}`);
  console.log(`graph / reference: median ${(g.median / r.median).toFixed(2)}x, p95 ${(g.p95 / r.p95).toFixed(2)}x, first render ${(g.layoutMs / r.layoutMs).toFixed(2)}x`);
} finally {
  await browser.close();
  server.close();
}
