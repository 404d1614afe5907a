/**
 * The `reuse` strategy, the default: layers that images share, so a rebuild, a
 * second image or a one-package change writes and pushes only what changed.
 *
 * 1. Reuse. Layers the store already holds whose paths all lie in this closure are
 *    taken as they are (no tar, no compression, no upload), most bytes first,
 *    never two that overlap. If they would leave no layer for the paths they do not
 *    hold, the smallest of them is given up and its paths are planned again, one
 *    layer at a time: a change costs its own paths and at most one other layer.
 * 2. A layer per path. Every other path gets a layer of its own while the budget
 *    allows, less a tenth of it kept free (see headroom). A path alone has the same
 *    key in every image, so the next image that needs it reuses it, whatever else
 *    that image holds.
 * 3. Fitting the budget. While there are more groups than layers left, the cheapest
 *    merge is made: a group joins the group of a path that refers to it. Its cost
 *    is its bytes times the number of paths referring to it: a path with a single
 *    referrer comes into an image only through that referrer, so merging the two
 *    rarely duplicates anything, while a widely shared library would be stored
 *    again by every image that needs it without this referrer. Of several
 *    referrers, the most referred-to one is joined (the one most images hold);
 *    never a top-level package, so an upgraded package rewrites only itself.
 * 4. Groups with no referrer left to join (top-level packages, paths whose
 *    referrers all sit in reused layers) that still do not fit: the smallest of
 *    them share one layer.
 * Every step orders by bytes, then by store path, so the plan is a function of the
 * closure and the snapshot alone. Layers come out largest first (then by key).
 */
import type { IndexedDag } from './dag.js';
import type { LayerReason } from '../../../src-shared/layer-reason.js';
import { MergeQueue } from './merge-queue.js';
import { plannedLayer, type LayerGroup } from './planned-layer.js';
import type { StoreSnapshot } from './store-snapshot.js';

interface Group {
  readonly members: readonly number[];
  readonly bytes: number;
  readonly reason: LayerReason;
}

export type ReasonedGroup = LayerGroup & { readonly reason: LayerReason };

export function groupForReuse(dag: IndexedDag, budget: number, snapshot: StoreSnapshot): ReasonedGroup[] {
  const reused = pickReused(dag, budget, snapshot);
  const taken = new Uint8Array(dag.paths.length);
  for (const group of reused) for (const i of group.members) taken[i] = 1;
  const rest: number[] = [];
  for (let i = 0; i < dag.paths.length; i++) if (!taken[i]) rest.push(i);
  const sharedBy = imagesPerPath(snapshot);
  const slots = Math.max(1, budget - reused.length - headroom(budget));
  const fresh = (reused.length > 0 && groupsOfCleanPlan(dag, rest, budget, slots, sharedBy)) || groupRest(dag, rest, slots, sharedBy);
  // One order for reused and new layers alike: the same grouping gives the same
  // image whatever the store held, so a build's digest does not depend on its cache.
  return ordered(dag, [...reused, ...fresh]);
}

function ordered(dag: IndexedDag, groups: readonly Group[]): ReasonedGroup[] {
  return groups
    .map((group) => ({ ...plannedLayer(dag, group.members), reason: group.reason }))
    .sort((a, b) => b.narSize - a.narSize || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * Layers new paths are not merged into: kept free so that a package added to the
 * image later gets a layer of its own instead of rewriting one of these. A tenth
 * of the budget (none below 10): 9 of the default 99, 1 of 19.
 */
export function headroom(budget: number): number {
  return Math.floor(budget / 10);
}

/**
 * When the store holds some of the very layers this closure gets on an empty
 * store (a build resumed after a crash, a rebuild after gc took a few layers), the
 * others are made as they would be on an empty store: the image is then the same
 * as a clean build's, whatever part of it the store kept. Undefined when the
 * paths left are not whole groups of that clean plan, or those do not fit.
 */
function groupsOfCleanPlan(dag: IndexedDag, rest: readonly number[], budget: number, slots: number, sharedBy: ReadonlyMap<string, number>): Group[] | undefined {
  const all = Array.from(dag.paths, (_, i) => i);
  const clean = groupRest(dag, all, Math.max(1, budget - headroom(budget)), sharedBy);
  const groupOf = new Int32Array(dag.paths.length);
  clean.forEach((group, g) => group.members.forEach((i) => (groupOf[i] = g)));
  const left = new Int32Array(clean.length);
  for (const i of rest) left[groupOf[i]!]!++;
  const kept = clean.filter((group, g) => left[g] === group.members.length);
  if (kept.length > slots || kept.reduce((n, group) => n + group.members.length, 0) !== rest.length) return undefined;
  return kept;
}

/** Step 1: the store's layers that fit inside the closure, most bytes first, disjoint, leaving room for the rest. */
function pickReused(dag: IndexedDag, budget: number, snapshot: StoreSnapshot): Group[] {
  const candidates: (Group & { key: string })[] = [];
  const seen = new Set<string>();
  for (const layer of snapshot.layers) {
    if (seen.has(layer.key) || layer.paths.length === 0) continue;
    seen.add(layer.key);
    const members: number[] = [];
    let bytes = 0;
    for (const path of layer.paths) {
      const i = dag.index.get(path);
      if (i === undefined) break;
      members.push(i);
      bytes += dag.narSize[i]!;
    }
    if (members.length === layer.paths.length) {
      const images = [...layer.images].sort();
      candidates.push({ key: layer.key, members, bytes, reason: layer.from !== undefined ? { kind: 'reused', images, from: layer.from } : { kind: 'reused', images } });
    }
  }
  candidates.sort((a, b) => b.bytes - a.bytes || (a.key < b.key ? -1 : 1));

  const taken = new Uint8Array(dag.paths.length);
  const picked: Group[] = [];
  let held = 0;
  for (const candidate of candidates) {
    if (candidate.members.some((i) => taken[i])) continue;
    for (const i of candidate.members) taken[i] = 1;
    held += candidate.members.length;
    picked.push(candidate);
  }
  // Picked is in descending bytes: give up the smallest first.
  while (picked.length > budget || (held < dag.paths.length && picked.length >= budget)) {
    held -= picked.pop()!.members.length;
  }
  return picked;
}

/** Steps 2 to 4 for the paths no reused layer holds, in `slots` layers. */
function groupRest(dag: IndexedDag, rest: readonly number[], slots: number, sharedBy: ReadonlyMap<string, number>): Group[] {
  if (rest.length === 0) return [];
  const inRest = new Uint8Array(dag.paths.length);
  for (const i of rest) inRest[i] = 1;
  const owner = new Int32Array(dag.paths.length);
  for (let i = 0; i < owner.length; i++) owner[i] = i;
  const find = (i: number): number => {
    let root = i;
    while (owner[root] !== root) root = owner[root]!;
    while (owner[i] !== root) {
      const next = owner[i]!;
      owner[i] = root;
      i = next;
    }
    return root;
  };
  const bytes = Float64Array.from(dag.narSize);
  let groups = rest.length;

  if (groups > slots) groups = mergeIntoReferrers(dag, rest, inRest, slots, groups, bytes, owner, find);

  // Each group's members in the order of `rest`: its first member's slot is
  // its head's, then a chain through `next`.
  const first = new Int32Array(dag.paths.length).fill(-1);
  const last = new Int32Array(dag.paths.length);
  const next = new Int32Array(dag.paths.length).fill(-1);
  const size = new Int32Array(dag.paths.length);
  const roots: number[] = [];
  for (const i of rest) {
    const root = find(i);
    if (first[root] === -1) {
      first[root] = i;
      roots.push(root);
    } else next[last[root]!] = i;
    last[root] = i;
    size[root]!++;
  }
  const membersOf = (root: number, into: number[] = []): number[] => {
    for (let i = first[root]!; i !== -1; i = next[i]!) into.push(i);
    return into;
  };
  roots.sort((a, b) => bytes[a]! - bytes[b]! || a - b);
  const result: Group[] = [];
  let start = 0;
  if (groups > slots) {
    // Step 4: the smallest groups share one layer (all of them when one layer is left).
    start = groups - slots + 1;
    const shared: number[] = [];
    let sharedBytes = 0;
    for (let r = 0; r < start; r++) {
      membersOf(roots[r]!, shared);
      sharedBytes += bytes[roots[r]!]!;
    }
    result.push({ members: shared, bytes: sharedBytes, reason: slots === 1 ? { kind: 'rest', paths: shared.length } : { kind: 'small', paths: shared.length } });
  }
  for (let r = start; r < roots.length; r++) {
    const root = roots[r]!;
    const head = dag.paths[root]!;
    const shared = sharedBy.get(head) ?? 0;
    const paths = size[root]!;
    result.push({
      members: membersOf(root),
      bytes: bytes[root]!,
      reason: paths === 1 ? { kind: 'path', path: head, sharedBy: shared } : { kind: 'group', head, paths, sharedBy: shared },
    });
  }
  return result;
}

/** Step 3: cheapest merges into a referrer's group until the groups fit or none can join a referrer. Returns the group count. */
function mergeIntoReferrers(
  dag: IndexedDag,
  rest: readonly number[],
  inRest: Uint8Array,
  slots: number,
  groups: number,
  bytes: Float64Array,
  owner: Int32Array,
  find: (i: number) => number,
): number {
  // The referrer each path would join: of its referrers among the rest, the most
  // referred-to. Never a top-level package: those are what users upgrade, and a
  // package alone in its layer changes alone.
  const target = new Int32Array(dag.paths.length).fill(-1);
  const top = new Uint8Array(dag.paths.length);
  for (const i of dag.tops) top[i] = 1;
  for (const i of rest) {
    let best = -1;
    for (const p of dag.parents[i]!) {
      if (inRest[p] && !top[p] && (best < 0 || dag.parents[p]!.length > dag.parents[best]!.length)) best = p;
    }
    target[i] = best;
  }
  // An entry per path and at most one per merge, and a merge per path at most.
  const heap = new MergeQueue(2 * rest.length);
  const offer = (node: number): void => {
    if (target[node]! >= 0) heap.push(bytes[node]! * dag.parents[node]!.length, node, bytes[node]!);
  };
  for (const i of rest) offer(i);
  while (groups > slots && heap.size > 0) {
    const slot = heap.pop();
    const node = heap.nodeAt(slot);
    const seen = heap.bytesAt(slot);
    // Stale: merged into another group, or grown since this entry was made.
    if (owner[node] !== node || bytes[node] !== seen) continue;
    // All of a group's members descend from its head, so the referrer's group is another one.
    const into = find(target[node]!);
    owner[node] = into;
    bytes[into] = bytes[into]! + bytes[node]!;
    groups--;
    offer(into);
  }
  return groups;
}

/** How many of the store's images hold each path. */
function imagesPerPath(snapshot: StoreSnapshot): Map<string, number> {
  const holders = new Map<string, Set<string>>();
  for (const layer of snapshot.layers) {
    for (const path of layer.paths) {
      let set = holders.get(path);
      if (!set) holders.set(path, (set = new Set()));
      for (const image of layer.images) set.add(image);
    }
  }
  return new Map([...holders].map(([path, set]) => [path, set.size]));
}
