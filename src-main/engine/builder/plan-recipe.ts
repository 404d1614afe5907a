/**
 * The first half of a build, on its own: Nix builds the packages, the runtime
 * closure is queried and planned into layers. `lamina plan` and the Plan view
 * stop here; `buildImage` goes on to write the layers. The two steps are apart
 * too (resolveClosure, planClosure) so the Compose and Plan views, which keep
 * closures between requests, ask Nix and plan exactly as a build does.
 */
import type { ClosureGraph } from '../closure/graph.js';
import { planLayers, type LayerPlan, type StoreSnapshot } from '../layering/index.js';
import { buildAttrs } from '../nix/build.js';
import { queryClosure } from '../nix/closure-query.js';
import type { Db } from '../db/database.js';
import { KnownPathInfos } from '../nix/known-path-infos.js';
import type { NixLogLine } from '../nix/log.js';
import { parseSource } from '../nix/source.js';
import type { BuildEventListener } from '../../../src-shared/build-events.js';
import { checkLayering, type Recipe } from './recipe.js';

export type PlanRequest = Pick<Recipe, 'source' | 'attrs' | 'strategy' | 'maxLayers' | 'popularity' | 'builders'>;

/** What Nix is asked for: the packages, from their source, on the builders. */
export type ClosureRequest = Pick<PlanRequest, 'source' | 'attrs' | 'builders'>;

/** How a closure is split: the strategy, the budget and the strategy's data. */
export type LayeringRequest = Pick<PlanRequest, 'strategy' | 'maxLayers' | 'popularity'>;

export interface ResolvedClosure {
  /** attr -> output path, in the request's order. */
  readonly outPaths: ReadonlyMap<string, string>;
  /** The attributes' output paths: the image's top-level packages, in the recipe's order. */
  readonly roots: readonly string[];
  readonly graph: ClosureGraph;
}

export interface RecipePlan {
  /** The attributes' output paths: the image's top-level packages, in the recipe's order. */
  readonly roots: readonly string[];
  readonly graph: ClosureGraph;
  readonly plan: LayerPlan;
}

export interface ResolveClosureOptions {
  readonly signal?: AbortSignal;
  /** Keep the built packages as Nix GC roots in this folder (see buildAttrs). */
  readonly gcRootDir?: string;
  /**
   * Lamina's database, where the path infos Nix gave in earlier builds are kept
   * (the closure is read there as far as it goes). Nix's new answers are kept
   * there only with gcRootDir, when the paths are GC roots.
   */
  readonly db?: Db;
  readonly onLog?: (line: NixLogLine) => void;
  /** Each step as it starts: the build once the source is known to parse (a malformed one fails before any step), then the closure query. */
  readonly onPhase?: (phase: 'nix-build' | 'closure') => void;
}

export interface PlanRecipeOptions {
  readonly onEvent?: BuildEventListener;
  readonly signal?: AbortSignal;
  /** Keep the built packages as Nix GC roots in this folder (see buildAttrs). */
  readonly gcRootDir?: string;
  /** See ResolveClosureOptions.db. */
  readonly db?: Db;
  /**
   * The layers the store holds (with the build's compression), which `reuse` builds
   * on; none: an empty store. A promise is awaited only when the plan is made, so
   * a team cache index can be read while Nix builds.
   */
  readonly store?: StoreSnapshot | Promise<StoreSnapshot>;
}

/**
 * A request with the builders Settings names (undefined: none named there), which
 * go before the request's own. Image builds and the Compose and Plan previews
 * both take Settings through here, so a preview asks Nix what the build will.
 */
export function withSettingsBuilders<R extends ClosureRequest>(request: R, fromSettings: string | undefined): R {
  return fromSettings !== undefined ? { ...request, builders: fromSettings } : request;
}

/** Builds the packages with Nix (on the request's builders; nix.conf's when it names none) and queries their runtime closure. */
export async function resolveClosure(request: ClosureRequest, options: ResolveClosureOptions = {}): Promise<ResolvedClosure> {
  const { signal } = options;
  const source = parseSource(request.source);
  const { db, gcRootDir } = options;
  options.onPhase?.('nix-build');
  const outPaths = await buildAttrs(source, [...request.attrs], { signal, gcRootDir, builders: request.builders, onLog: options.onLog });
  options.onPhase?.('closure');
  const roots = [...new Set(request.attrs.map((attr) => outPaths.get(attr)!))];
  // The roots are GC roots (so their closures stay as Nix describes them) only with gcRootDir.
  const graph = await queryClosure(roots, { signal, known: db && new KnownPathInfos(db), rooted: gcRootDir !== undefined });
  return { outPaths, roots, graph };
}

/** Splits a resolved closure into layers, after the same check a build makes of the strategy and budget. */
export function planClosure(graph: ClosureGraph, request: LayeringRequest, store?: StoreSnapshot): LayerPlan {
  checkLayering(request);
  return planLayers(graph, {
    strategy: request.strategy,
    maxLayers: request.maxLayers,
    ...(request.popularity ? { popularity: request.popularity } : {}),
    ...(store ? { store } : {}),
  });
}

export async function planRecipe(request: PlanRequest, options: PlanRecipeOptions = {}): Promise<RecipePlan> {
  const emit: BuildEventListener = options.onEvent ?? (() => undefined);
  const { roots, graph } = await resolveClosure(request, {
    signal: options.signal,
    gcRootDir: options.gcRootDir,
    db: options.db,
    onLog: (line) => emit({ type: 'nix-log', text: line.text, ...(line.drv ? { drv: line.drv } : {}), ...(line.host ? { host: line.host } : {}) }),
    onPhase: (phase) => emit({ type: 'phase', phase }),
  });
  emit({ type: 'phase', phase: 'plan' });
  return { roots, graph, plan: planClosure(graph, request, await options.store) };
}
