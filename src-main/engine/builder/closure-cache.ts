/**
 * The closures Compose and Plan ask about, built and queried once per source and
 * set of attributes. Compose asks again on every package added or removed, and
 * Plan asks for the same closure per strategy and per why-depends click: Nix is
 * run for the first of those only. A few recent closures are kept, oldest dropped.
 */
import type { ClosureGraph } from '../closure/graph.js';
import { buildAttrs } from '../nix/build.js';
import { queryClosure } from '../nix/closure-query.js';
import { parseSource } from '../nix/source.js';

export interface ResolvedClosure {
  /** attr -> output path, in the request's order. */
  readonly outPaths: ReadonlyMap<string, string>;
  readonly graph: ClosureGraph;
}

const KEEP = 8;

export class ClosureCache {
  private readonly entries = new Map<string, Promise<ResolvedClosure>>();

  resolve(sourceSpec: string, attrs: readonly string[], signal?: AbortSignal): Promise<ResolvedClosure> {
    const source = parseSource(sourceSpec);
    const key = JSON.stringify([sourceSpec, [...attrs]]);
    const hit = this.entries.get(key);
    if (hit) {
      // Refresh its place: the most recent closures are the ones kept.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = (async () => {
      const outPaths = await buildAttrs(source, [...attrs], signal ? { signal } : {});
      const roots = [...new Set(attrs.map((attr) => outPaths.get(attr)!))];
      return { outPaths, graph: await queryClosure(roots, signal ? { signal } : {}) };
    })();
    // A failure is not kept: the next ask tries again (the person may have fixed the source).
    pending.catch(() => this.entries.delete(key));
    this.entries.set(key, pending);
    while (this.entries.size > KEEP) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }
}
