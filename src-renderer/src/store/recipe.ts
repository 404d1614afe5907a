/**
 * The recipe being composed, and what the flow learned about it: the package
 * index of its source, the live closure size, saved recipes, and the build and
 * push jobs started from it. Compose, Plan, Build and Push all read this slice,
 * so a person moves through the views without retyping anything.
 */
import { create } from 'zustand';
import type { ClosurePreview } from '../../../src-main/engine/compose/types';
import type { IndexedSource } from '../../../src-main/engine/packages/types';
import type { RecipeListing } from '../../../src-main/engine/recipes/types';
import type { ComposeRecipe } from '../../../src-main/ipc/contract';
import { api } from '../api/api';

export const EMPTY_RECIPE: ComposeRecipe = {
  source: '',
  attrs: [],
  strategy: 'nixery',
  maxLayers: 100,
  compression: 'gzip',
  config: {},
};

interface RecipeState {
  readonly recipe: ComposeRecipe;
  /** The name the recipe was saved under or opened from. */
  readonly savedName: string;
  /** Counts recipes opened, so forms holding typed text start over from an opened one. */
  readonly openCount: number;
  readonly indexed: IndexedSource | null;
  readonly indexJobId: number | null;
  readonly closure: ClosurePreview | null;
  readonly closureError: string | null;
  readonly closureLoading: boolean;
  readonly saved: readonly RecipeListing[];
  readonly buildJobId: number | null;
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

export const useRecipe = create<RecipeState>()((set, get) => ({
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
  pushJobId: null,
  pushTarget: '',
  setPushTarget(target) {
    set({ pushTarget: target });
  },
  update(change) {
    set((state) => ({ recipe: { ...state.recipe, ...change } }));
    if ('source' in change) set({ indexed: null, closure: null, closureError: null });
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
  },
  setJob(which, id) {
    set(which === 'buildJobId' ? { buildJobId: id } : { pushJobId: id });
  },
  async loadSaved() {
    set({ saved: await api.request('recipes:list', {}) });
  },
  async open(id) {
    const saved = await api.request('recipes:get', { id });
    set((state) => ({ recipe: { ...EMPTY_RECIPE, ...saved.body }, savedName: saved.name, indexed: null, openCount: state.openCount + 1 }));
    void refreshClosure();
  },
  async save() {
    const { recipe, savedName } = get();
    await api.request('recipes:save', { name: savedName, body: recipe });
    await get().loadSaved();
  },
  async remove(id) {
    set({ saved: await api.request('recipes:delete', { id }) });
  },
}));
