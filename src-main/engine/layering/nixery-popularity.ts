/**
 * Popularity as Nixery uses it: how many store paths of a package set refer to a
 * package, keyed by package name. Nixery's popcount tool produces it for a whole
 * nixpkgs channel as popularity.json, a flat JSON object of name -> count.
 *
 * Names are matched the way Nixery matches them: the store path minus its
 * `/nix/store/<hash>-` prefix, compared exactly, version included (`bash-5.2-p15`
 * matches `bash-5.2-p15` and nothing else), because popcount keys its counts by
 * that same part of the referenced paths.
 */
import { readFileSync } from 'node:fs';
import { storePathName, type ClosureGraph } from '../closure/graph.js';
import { LaminaError } from '../../../src-shared/errors.js';
import type { IndexedDag } from './dag.js';

/** Reads Nixery's popularity.json. */
export function loadPopularity(file: string): Map<string, number> {
  const fix = 'expected a popularity.json from Nixery\'s popcount: one JSON object of package name -> reference count';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new LaminaError(`cannot read popularity file ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`, 'popularity-file', { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new LaminaError(`popularity file ${file} is not valid JSON (${(err as Error).message}); ${fix}`, 'popularity-file', { cause: err });
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new LaminaError(`popularity file ${file} holds ${Array.isArray(data) ? 'an array' : String(data === null ? 'null' : typeof data)}; ${fix}`, 'popularity-file');
  }
  const popularity = new Map<string, number>();
  for (const name of Object.keys(data).sort()) {
    const count = (data as Record<string, unknown>)[name];
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw new LaminaError(`popularity file ${file} gives ${JSON.stringify(name)} the count ${JSON.stringify(count)}; ${fix}, counts being whole numbers >= 0`, 'popularity-file');
    }
    popularity.set(name, count);
  }
  return popularity;
}

/**
 * popcount's counting, over the graph at hand instead of a whole channel: for
 * every path, each of its references (its self reference included, as in a
 * narinfo) adds one to the referenced name; names counted only once (a path that
 * merely refers to itself) are dropped, as popcount drops them.
 */
export function popularityFromGraph(graph: ClosureGraph): Map<string, number> {
  const names = new Map([...graph.nodes.keys()].map((path) => [path, storePathName(path)]));
  const counts = new Map<string, number>();
  for (const node of graph.nodes.values()) {
    for (const ref of node.references) {
      const name = names.get(ref) ?? storePathName(ref);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
  }
  return new Map([...counts].filter(([, count]) => count !== 1).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The popularity of a path named `name` for Nixery's grouping. Nixery adds
 * nss-cacert and iana-etc to every image and gives them 500000 (more than glibc's
 * ~300k) so they always get a layer of their own; Lamina keeps that, since such
 * paths are shared by most images too. An unknown name counts 1.
 */
function popularityOfName(name: string, popularity: ReadonlyMap<string, number>): number {
  return isAlwaysSeparate(name) ? 500_000 : (popularity.get(name) ?? 1);
}

function isAlwaysSeparate(name: string): boolean {
  return name.startsWith('nss-cacert') || name.startsWith('iana-etc');
}

/**
 * The popularity of every node of `dag`, with `popularity`'s counts or, without
 * it, with the counts popularityFromGraph would give. Those are counted here
 * from the dag (a path's referrers, plus itself when it refers to itself, added
 * up per name), not through a name -> count map: the same numbers, with one
 * name per path instead of one per reference.
 */
export function nodePopularities(dag: IndexedDag, popularity: ReadonlyMap<string, number> | undefined): Float64Array {
  const count = dag.paths.length;
  const names = dag.paths.map(storePathName);
  const sameName = firstOfSameName(names);
  const popularities = new Float64Array(count);
  if (popularity === undefined) {
    for (let i = 0; i < count; i++) popularities[sameName[i]!]! += dag.parents[i]!.length + dag.refersToItself[i]!;
    // As popularityFromGraph: names counted once are dropped and names nothing
    // refers to never counted, and an unknown name counts 1: all the same as 1.
    for (let i = 0; i < count; i++) {
      popularities[i] = isAlwaysSeparate(names[i]!) ? 500_000 : sameName[i] === i ? Math.max(1, popularities[i]!) : popularities[sameName[i]!]!;
    }
  } else {
    for (let i = 0; i < count; i++) popularities[i] = sameName[i] === i ? popularityOfName(names[i]!, popularity) : popularities[sameName[i]!]!;
  }
  return popularities;
}

/**
 * For each name, the index of its first occurrence in `names`. A hash table of
 * indices in an Int32Array: with most names distinct, a Map of them would cost
 * more than all of the rest of counting.
 */
function firstOfSameName(names: readonly string[]): Int32Array {
  const count = names.length;
  const mask = (1 << Math.max(4, 32 - Math.clz32(2 * count))) - 1;
  // slots[h] = index + 1 of the first name hashed there, 0 when empty.
  const slots = new Int32Array(mask + 1);
  const hashes = new Int32Array(count);
  const first = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const name = names[i]!;
    // FNV-1a over the UTF-16 code units.
    let hash = 0x811c9dc5 | 0;
    for (let c = 0; c < name.length; c++) hash = Math.imul(hash ^ name.charCodeAt(c), 0x01000193);
    hashes[i] = hash;
    let slot = hash & mask;
    for (;;) {
      const held = slots[slot]! - 1;
      if (held === -1) {
        slots[slot] = i + 1;
        first[i] = i;
        break;
      }
      if (hashes[held] === hash && names[held] === name) {
        first[i] = held;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return first;
}
