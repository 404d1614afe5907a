/**
 * Layer planning speed on a closure of 10,000 paths, per strategy.
 *
 * Reference: `JSON.parse` of the same closure as `nix path-info --json -r` prints
 * it (about 3 MB of text), measured in the same run. Lamina has to parse that
 * output before it can plan anything, so "planning costs N parses" says how much
 * planning adds to the least a build must do; the absolute times are printed too.
 *
 * The closure is random but shaped like a real one: 300 top-level paths; each
 * path refers to 0-60 others with a heavy tail (most refer to a few); targets
 * are picked half the time in proportion to how often they were picked before,
 * so a few base paths (a libc, a zlib) end up referenced by thousands; NAR sizes
 * are log-normal around 300 kB with a few over 100 MB. Seeded: every run plans
 * the same closure.
 *
 * Run: npx tsx bench/plan.ts
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { makeClosureGraph, type StorePathInfo } from '../src-main/engine/closure/graph.js';
import { planLayers, STRATEGY_NAMES } from '../src-main/engine/layering/index.js';

const PATHS = 10_000;
const TOPS = 300;
const MAX_LAYERS = 100;
const RUNS = 7;

function randomClosure(): { infos: StorePathInfo[]; roots: string[] } {
  let seed = 0x1a111a;
  const random = (): number => {
    // mulberry32
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const alphabet = '0123456789abcdfghijklmnpqrsvwxyz';
  const paths = Array.from({ length: PATHS }, (_, i) => {
    const hash = Array.from(createHash('sha256').update(`path ${i}`).digest().subarray(0, 32), (b) => alphabet[b % 32]).join('');
    return `/nix/store/${hash}-pkg${i}-1.${i % 10}`;
  });
  const refs: number[][] = paths.map(() => []);
  const urn: number[] = [];
  // Lowest paths first (the leaves), so every target already exists when it is picked.
  for (let i = PATHS - 1; i >= 0; i--) {
    const candidates = PATHS - Math.max(i + 1, TOPS);
    if (candidates <= 0) continue;
    const degree = Math.min(60, candidates, Math.floor(1 / Math.pow(1 - random(), 1 / 1.3)) - (random() < 0.1 ? 1 : 0));
    const chosen = new Set<number>();
    for (let tries = 0; chosen.size < degree && tries < degree * 4; tries++) {
      const target = urn.length > 0 && random() < 0.5 ? urn[Math.floor(random() * urn.length)]! : Math.max(i + 1, TOPS) + Math.floor(random() * candidates);
      if (target > i && target >= TOPS) chosen.add(target);
    }
    for (const target of chosen) urn.push(target);
    refs[i] = [...chosen];
  }
  const gaussian = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const infos = paths.map((path, i) => ({
    path,
    name: '',
    narSize: Math.min(2e9, Math.round(300_000 * Math.exp(2 * gaussian()))),
    references: refs[i]!.map((j) => paths[j]!),
  }));
  return { infos, roots: paths.slice(0, TOPS) };
}

/** Median times of `run` and of the reference, taken in alternation so both see the same machine load. */
function pairedMedians(run: () => unknown, reference: () => unknown): { ms: number; referenceMs: number } {
  run();
  reference();
  const times: number[] = [];
  const referenceTimes: number[] = [];
  const time = (f: () => unknown, into: number[]): void => {
    const start = performance.now();
    f();
    into.push(performance.now() - start);
  };
  for (let i = 0; i < RUNS; i++) {
    time(reference, referenceTimes);
    time(run, times);
  }
  const median = (xs: number[]): number => xs.sort((a, b) => a - b)[RUNS >> 1]!;
  return { ms: median(times), referenceMs: median(referenceTimes) };
}

const { infos, roots } = randomClosure();
const pathInfoJson = JSON.stringify(infos.map((i) => ({ path: i.path, narHash: `sha256-${'A'.repeat(43)}=`, narSize: i.narSize, references: i.references })));
const graph = makeClosureGraph(infos, roots);
const edges = infos.reduce((sum, i) => sum + i.references.length, 0);
const parse = (): unknown => JSON.parse(pathInfoJson);

console.log(`closure: ${PATHS} paths, ${edges} references, ${TOPS} top-level; max layers ${MAX_LAYERS}`);
console.log(`reference: JSON.parse of its nix path-info --json (${(pathInfoJson.length / 1e6).toFixed(1)} MB), timed alongside each strategy`);
for (const strategy of STRATEGY_NAMES) {
  let layers = 0;
  const { ms, referenceMs } = pairedMedians(() => (layers = planLayers(graph, { strategy, maxLayers: MAX_LAYERS }).layers.length), parse);
  console.log(
    `${strategy.padEnd(16)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / referenceMs).toFixed(1).padStart(5)} x reference (${referenceMs.toFixed(1)} ms)  ${layers} layers`,
  );
}
