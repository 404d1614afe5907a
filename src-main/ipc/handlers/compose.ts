/**
 * The Compose and Plan views' requests: package search over the index, the live
 * closure of the packages picked, the plan of layers, why a path is in the image,
 * and saved recipes. Loading the index is a job (it can be slow), not a request.
 */
import type { Db } from '../../engine/db/database.js';
import { ClosureCache } from '../../engine/builder/closure-cache.js';
import { closurePreview, planView, whyInImage } from '../../engine/builder/plan-preview.js';
import { withSettingsBuilders } from '../../engine/builder/plan-recipe.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { PackageIndex } from '../../engine/package-index/package-index.js';
import { RecipeBook } from '../../engine/recipes/recipe-book.js';
import { reuseSnapshot } from '../../engine/store/reuse-snapshot.js';
import type { Store } from '../../engine/store/store.js';
import type { ComposeRecipe, Handlers } from '../../../src-shared/ipc/contract.js';

type ComposeChannels =
  | 'packages:status'
  | 'packages:search'
  | 'compose:closure'
  | 'plan:view'
  | 'plan:why'
  | 'recipes:list'
  | 'recipes:get'
  | 'recipes:save'
  | 'recipes:delete';

export interface ComposeDeps {
  readonly db: Db;
  readonly packages: PackageIndex;
  readonly closures: ClosureCache;
  /** The content store, for which planned layers the cache holds already. */
  readonly store: () => Promise<Store>;
  /** The builders set in Settings, read at each request as image builds read them (undefined: nix.conf's). */
  readonly builders: () => string | undefined;
}

export function composeDeps(db: Db, store: () => Promise<Store>, builders: () => string | undefined): ComposeDeps {
  return { db, packages: new PackageIndex(db), closures: new ClosureCache(db), store, builders };
}

export function composeHandlers(deps: ComposeDeps): Pick<Handlers, ComposeChannels> {
  const recipes = new RecipeBook(deps.db);
  // The closure an image build of these packages would have: Nix asked the same way, on the same builders.
  const closureOf = (source: string, attrs: readonly string[]) => deps.closures.resolve(withSettingsBuilders({ source, attrs }, deps.builders()));
  return {
    'packages:status': ({ source }) => ({ indexed: deps.packages.current(source) }),
    'packages:search': ({ source, query, limit }) => deps.packages.search(source, query, limit),
    'compose:closure': async ({ source, attrs }) => {
      const { outPaths, graph } = await closureOf(source, attrs);
      return closurePreview(attrs, outPaths, graph);
    },
    'plan:view': async ({ source, attrs, strategy, maxLayers, compression }) => {
      const { graph } = await closureOf(source, attrs);
      const store = await deps.store();
      return planView(graph, { strategy, maxLayers, store: reuseSnapshot(store.db, compression) });
    },
    'plan:why': async ({ source, attrs, path }) => {
      const { graph } = await closureOf(source, attrs);
      if (!graph.nodes.has(path)) throw new LaminaError(`${path} is not in the closure of ${attrs.join(' ')}; pick a path from the graph`, 'not-in-closure');
      return whyInImage(graph, path);
    },
    'recipes:list': () => recipes.list(),
    'recipes:get': ({ id }) => recipes.get(id) as { id: number; name: string; body: ComposeRecipe; updatedAt: number },
    'recipes:save': ({ name, body }) => recipes.save(name, body) as { id: number; name: string; body: ComposeRecipe; updatedAt: number },
    'recipes:delete': ({ id }) => {
      recipes.remove(id);
      return recipes.list();
    },
  };
}
