/**
 * The recipe being composed, and what the flow learned about it: the package
 * index of its source, the live closure size, saved recipes, and the build and
 * push jobs started from it. Compose, Plan, Build and Push all read this slice,
 * so a person moves through the views without retyping anything. The recipe and
 * the jobs started from it are kept in the tab's sessionStorage, so a reload
 * comes back to the same recipe, build and push.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { ClosurePreview } from '../../../src-shared/plan';
import { DEFAULT_STRATEGY } from '../../../src-shared/strategies';
import { DEFAULT_MAX_LAYERS } from '../../../src-shared/layer-budget';
import { DEFAULT_COMPRESSION } from '../../../src-shared/compressions';
import type { IndexedSource } from '../../../src-shared/packages';
import type { RecipeListing } from '../../../src-shared/recipes';
import type { ComposeRecipe } from '../../../src-shared/ipc/contract';
import { api } from '../api/api';

export const EMPTY_RECIPE: ComposeRecipe = {
  source: '',
  attrs: [],
  strategy: DEFAULT_STRATEGY,
  maxLayers: DEFAULT_MAX_LAYERS,
  compression: DEFAULT_COMPRESSION,
  config: {},
};

interface RecipeState {
  readonly recipe: ComposeRecipe;
  /** The name the recipe was saved under or opened from. */
  readonly savedName: string;
  /** Counts recipes opened, so forms holding typed text start over from an opened one. */
  readonly openCount: number;
  /** The index of the current source, when the engine has one; null while it is unknown or missing. */
  readonly indexed: IndexedSource | null;
  /** The index job started for the current source; a source change forgets it, so its result cannot land on another source. */
  readonly indexJobId: number | null;
  readonly closure: ClosurePreview | null;
  readonly closureError: string | null;
  readonly closureLoading: boolean;
  readonly saved: readonly RecipeListing[];
  readonly buildJobId: number | null;
  /** The recipe (as `recipeKey` gives it) the build job was started from: the Build view compares it with the current one. */
  readonly buildOf: string | null;
  readonly pushJobId: number | null;
  /** Where Push sends the image, kept while the person moves between views. */
  readonly pushTarget: string;
  readonly setPushTarget: (target: string) => void;
  readonly update: (change: Partial<ComposeRecipe>) => void;
  readonly addPackage: (attr: string) => void;
  readonly removePackage: (attr: string) => void;
  readonly setSavedName: (name: string) => void;
  readonly setIndexed: (indexed: IndexedSource | null, jobId?: number | null) => void;
  readonly setJob: (which: 'buildJobId' | 'pushJobId', id: number) => void;
  readonly loadSaved: () => Promise<void>;
  readonly open: (id: number) => Promise<void>;
  readonly save: () => Promise<void>;
  readonly remove: (id: number) => Promise<void>;
}

let closureRequest = 0;
let statusRequest = 0;
let statusTimer: ReturnType<typeof setTimeout> | undefined;
/** Typing a source asks once the typing pauses: an index check reads the source's files. */
const STATUS_PAUSE_MS = 250;

/** Asks for the closure of the current packages; an answer to an older question is dropped. */
async function refreshClosure(): Promise<void> {
  const { recipe } = useRecipe.getState();
  const request = ++closureRequest;
  if (recipe.attrs.length === 0 || recipe.source.trim() === '') {
    useRecipe.setState({ closure: null, closureError: null, closureLoading: false });
    return;
  }
  useRecipe.setState({ closureLoading: true });
  try {
    const closure = await api.request('compose:closure', { source: recipe.source, attrs: [...recipe.attrs] });
    if (request === closureRequest) useRecipe.setState({ closure, closureError: null, closureLoading: false });
  } catch (err) {
    if (request === closureRequest) useRecipe.setState({ closure: null, closureError: (err as Error).message, closureLoading: false });
  }
}

/**
 * Asks the engine whether the current source is indexed, so an indexed source is
 * searchable without a Load; when it is, the closure of the picked packages is
 * sized for it. An answer for a source that is no longer current is dropped.
 */
async function refreshIndexed(): Promise<void> {
  const { source } = useRecipe.getState().recipe;
  const request = ++statusRequest;
  if (source.trim() === '') return;
  try {
    const { indexed } = await api.request('packages:status', { source });
    if (request !== statusRequest || !indexed) return;
    useRecipe.setState({ indexed });
    if (useRecipe.getState().closure === null && !useRecipe.getState().closureLoading) void refreshClosure();
  } catch {
    // A source typed halfway is no source yet: Load packages says what is wrong with it.
  }
}

/** What is kept per tab across a reload: the recipe and the jobs started from it, not what the engine can answer again. */
type Kept = Pick<RecipeState, 'recipe' | 'savedName' | 'buildJobId' | 'buildOf' | 'pushJobId' | 'pushTarget'>;

/** Everything about a recipe that changes the image it builds, as one comparable string. */
export function recipeKey(recipe: ComposeRecipe): string {
  const { source, attrs, strategy, maxLayers, compression, config, name, allowMissingEntrypoint } = recipe;
  return JSON.stringify([source, attrs, strategy, maxLayers, compression, config, name ?? null, allowMissingEntrypoint ?? false]);
}

export const useRecipe = create<RecipeState>()(
  persist(
    (set, get) => ({
      recipe: EMPTY_RECIPE,
      savedName: '',
      openCount: 0,
      indexed: null,
      indexJobId: null,
      closure: null,
      closureError: null,
      closureLoading: false,
      saved: [],
      buildJobId: null,
      buildOf: null,
      pushJobId: null,
      pushTarget: '',
      setPushTarget(target) {
        set({ pushTarget: target });
      },
      update(change) {
        const sourceChanged = 'source' in change && change.source !== get().recipe.source;
        set((state) => ({ recipe: { ...state.recipe, ...change } }));
        if (!sourceChanged) return;
        // What was learned about the old source is not true of this one: its index, its index job, its closure (even one still on its way).
        closureRequest++;
        statusRequest++;
        set({ indexed: null, indexJobId: null, closure: null, closureError: null, closureLoading: false });
        clearTimeout(statusTimer);
        statusTimer = setTimeout(() => void refreshIndexed(), STATUS_PAUSE_MS);
      },
      addPackage(attr) {
        if (get().recipe.attrs.includes(attr)) return;
        set((state) => ({ recipe: { ...state.recipe, attrs: [...state.recipe.attrs, attr] } }));
        void refreshClosure();
      },
      removePackage(attr) {
        set((state) => ({ recipe: { ...state.recipe, attrs: state.recipe.attrs.filter((a) => a !== attr) } }));
        void refreshClosure();
      },
      setSavedName(name) {
        set({ savedName: name });
      },
      setIndexed(indexed, jobId) {
        set(jobId === undefined ? { indexed } : { indexed, indexJobId: jobId });
        if (indexed && get().closure === null && !get().closureLoading) void refreshClosure();
      },
      setJob(which, id) {
        set(which === 'buildJobId' ? { buildJobId: id, buildOf: recipeKey(get().recipe) } : { pushJobId: id });
      },
      async loadSaved() {
        set({ saved: await api.request('recipes:list', {}) });
      },
      async open(id) {
        const saved = await api.request('recipes:get', { id });
        clearTimeout(statusTimer);
        set((state) => ({
          recipe: { ...EMPTY_RECIPE, ...saved.body },
          savedName: saved.name,
          indexed: null,
          indexJobId: null,
          closure: null,
          closureError: null,
          openCount: state.openCount + 1,
        }));
        void refreshClosure();
        await refreshIndexed();
      },
      async save() {
        const { recipe, savedName } = get();
        await api.request('recipes:save', { name: savedName, body: recipe });
        await get().loadSaved();
      },
      async remove(id) {
        set({ saved: await api.request('recipes:delete', { id }) });
      },
    }),
    {
      name: 'lamina.recipe',
      storage: createJSONStorage(() => sessionStorage),
      partialize: ({ recipe, savedName, buildJobId, buildOf, pushJobId, pushTarget }): Kept => ({ recipe, savedName, buildJobId, buildOf, pushJobId, pushTarget }),
      // A recipe kept by an older version lacks the fields added since: they start at their defaults.
      merge: (kept, current) => {
        const k = (kept ?? {}) as Partial<Kept>;
        return { ...current, ...k, recipe: { ...EMPTY_RECIPE, ...k.recipe } };
      },
    },
  ),
);

// A recipe restored from the tab's storage: its source may be indexed and its closure known to the engine.
if (useRecipe.getState().recipe.source.trim() !== '') {
  void refreshIndexed();
  void refreshClosure();
}
