/** fast-check arbitraries for closure graphs shaped like Nix's: acyclic, store paths, shared names. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { makeClosureGraph, type ClosureGraph, type StorePathInfo } from '../../src-main/engine/closure/graph.js';

const NAMES = ['glibc-2.40', 'bash-5.2', 'zlib-1.3', 'openssl-3.3', 'nss-cacert-3.101', 'iana-etc-20240318', 'libfoo-1.0', 'libfoo-1.1', 'app'];
const BASE32 = '0123456789abcdfghijklmnpqrsvwxyz';

/** A 32-character Nix-style hash, different for every index, in no relation to the name. */
export function fakeHash(i: number): string {
  return Array.from(createHash('sha256').update(String(i)).digest().subarray(0, 32), (byte) => BASE32[byte % 32]).join('');
}

export const storePath = (i: number, name: string): string => `/nix/store/${fakeHash(i)}-${name}`;

export interface RandomClosure {
  graph: ClosureGraph;
  infos: StorePathInfo[];
}

/**
 * Up to `maxPaths` paths; path i only refers to paths after it (so no cycles), may
 * refer to itself as Nix paths do, and sizes straddle Nixery's 100 MB threshold.
 * Roots are a random subset: paths nothing refers to may or may not be among them.
 */
export function closures(maxPaths = 24): fc.Arbitrary<RandomClosure> {
  return fc.integer({ min: 0, max: maxPaths }).chain((count) =>
    fc
      .tuple(
        fc.array(fc.nat(NAMES.length - 1), { minLength: count, maxLength: count }),
        fc.array(fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.integer({ min: 50_000_000, max: 150_000_000 })), { minLength: count, maxLength: count }),
        fc.array(fc.tuple(fc.nat(Math.max(0, count - 1)), fc.nat(Math.max(0, count - 1))), { maxLength: count * 3 }),
        fc.array(fc.nat(Math.max(0, count - 1)), { maxLength: 4 }),
      )
      .map(([names, sizes, edges, rootPicks]) => {
        const paths = names.map((n, i) => storePath(i, NAMES[n]!));
        const refs = paths.map(() => new Set<string>());
        for (const [a, b] of edges) if (a <= b && count > 0) refs[a]!.add(paths[b]!);
        const infos = paths.map((path, i) => ({ path, name: '', narSize: sizes[i]!, references: [...refs[i]!] }));
        const roots = [...new Set(rootPicks.filter((r) => r < count).map((r) => paths[r]!))];
        return { graph: makeClosureGraph(infos, roots), infos };
      }),
  );
}

/** Random popularity data over the names above, crossing Nixery's threshold of 100. */
export const popularities = (): fc.Arbitrary<Map<string, number>> =>
  fc.array(fc.tuple(fc.constantFrom(...NAMES), fc.integer({ min: 0, max: 300 })), { maxLength: NAMES.length }).map((entries) => new Map(entries));
