/**
 * The first half of a build, on its own: Nix builds the packages, the runtime
 * closure is queried and planned into layers. `lamina plan` and the Plan view
 * stop here; `buildImage` goes on to write the layers.
 */
import type { ClosureGraph } from '../closure/graph.js';
import { planLayers, type LayerPlan, type StoreSnapshot } from '../layering/index.js';
import { buildAttrs } from '../nix/build.js';
import { queryClosure } from '../nix/closure-query.js';
import { parseSource } from '../nix/source.js';
import type { BuildEventListener } from '../../../src-shared/build-events.js';
import type { Recipe } from './recipe.js';

export type PlanRequest = Pick<Recipe, 'source' | 'attrs' | 'strategy' | 'maxLayers' | 'popularity' | 'builders'>;

export interface RecipePlan {
  /** The attributes' output paths: the image's top-level packages, in the recipe's order. */
  readonly roots: readonly string[];
  readonly graph: ClosureGraph;
  readonly plan: LayerPlan;
}

export interface PlanRecipeOptions {
  readonly onEvent?: BuildEventListener;
  readonly signal?: AbortSignal;
  /** Keep the built packages as Nix GC roots in this folder (see buildAttrs). */
  readonly gcRootDir?: string;
  /**
   * The layers the store holds (with the build's compression), which `reuse` builds
   * on; none: an empty store. A promise is awaited only when the plan is made, so
   * a team cache index can be read while Nix builds.
   */
  readonly store?: StoreSnapshot | Promise<StoreSnapshot>;
}

export async function planRecipe(request: PlanRequest, options: PlanRecipeOptions = {}): Promise<RecipePlan> {
  const emit: BuildEventListener = options.onEvent ?? (() => undefined);
  const { signal } = options;
  const source = parseSource(request.source);

  emit({ type: 'phase', phase: 'nix-build' });
  const outPaths = await buildAttrs(source, [...request.attrs], {
    signal,
    ...(options.gcRootDir !== undefined ? { gcRootDir: options.gcRootDir } : {}),
    ...(request.builders !== undefined ? { builders: request.builders } : {}),
    onLog: (line) => emit({ type: 'nix-log', text: line.text, ...(line.drv ? { drv: line.drv } : {}), ...(line.host ? { host: line.host } : {}) }),
  });
  const roots = [...new Set(request.attrs.map((attr) => outPaths.get(attr)!))];

  emit({ type: 'phase', phase: 'closure' });
  const graph = await queryClosure(roots, { signal });

  emit({ type: 'phase', phase: 'plan' });
  const store = await options.store;
  const plan = planLayers(graph, {
    strategy: request.strategy,
    maxLayers: request.maxLayers,
    ...(request.popularity ? { popularity: request.popularity } : {}),
    ...(store ? { store } : {}),
  });
  return { roots, graph, plan };
}
