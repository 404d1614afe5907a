/**
 * The closures Compose and Plan ask about, built and queried once per source,
 * set of attributes and builders. Compose asks again on every package added or
 * removed, and Plan asks for the same closure per strategy and per why-depends
 * click: Nix is run for the first of those only. A few recent closures are kept,
 * oldest dropped. Nix is asked as a build asks it (resolveClosure), so a preview
 * shows the closure the build will have.
 */
import type { Db } from '../db/database.js';
import { resolveClosure, type ClosureRequest, type ResolvedClosure } from './plan-recipe.js';

export type { ResolvedClosure };

const KEEP = 8;

export class ClosureCache {
  private readonly entries = new Map<string, Promise<ResolvedClosure>>();

  /** `db`: Lamina's database, whose path infos (kept by builds) answer for the closure as far as they go, before Nix is asked. */
  constructor(private readonly db?: Db) {}

  resolve(request: ClosureRequest, signal?: AbortSignal): Promise<ResolvedClosure> {
    const key = JSON.stringify([request.source, [...request.attrs], request.builders ?? null]);
    const hit = this.entries.get(key);
    if (hit) {
      // Refresh its place: the most recent closures are the ones kept.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = resolveClosure(request, { signal, ...(this.db ? { db: this.db } : {}) });
    // A failure is not kept: the next ask tries again (the person may have fixed the source).
    pending.catch(() => this.entries.delete(key));
    this.entries.set(key, pending);
    while (this.entries.size > KEEP) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }
}
