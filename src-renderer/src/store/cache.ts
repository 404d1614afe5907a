import { create } from 'zustand';
import type { BuildCacheUse, CacheSummary } from '../../../src-shared/cache-stats';
import type { GcPreview } from '../../../src-shared/gc';
import type { RequestResult } from '../../../src-shared/ipc/contract';
import { api } from '../api/api';

type GcReport = RequestResult<'cache:gc'>;

interface CacheState {
  readonly summary: CacheSummary | null;
  readonly history: readonly BuildCacheUse[] | null;
  readonly loadError: string | null;
  /** The dry run for `previewBudget` (bytes, or undefined for "only what no image uses"). */
  readonly preview: GcPreview | null;
  readonly previewBudget: number | undefined;
  /** Whether the dry run (and so the real gc) keeps the newest image whatever the budget. */
  readonly previewKeepNewest: boolean;
  readonly lastGc: GcReport | null;
  readonly gcError: string | null;
  readonly busy: boolean;
  readonly load: () => Promise<void>;
  readonly previewGc: (maxSize: number | undefined, keepNewest: boolean) => Promise<void>;
  /** Forgets the dry run, so a changed form cannot run an older plan. */
  readonly clearPreview: () => void;
  readonly runGc: () => Promise<void>;
}

/** The cache's size, its hit rate per build, and gc (a dry run, then the real one). */
export const useCache = create<CacheState>()((set, get) => ({
  summary: null,
  history: null,
  loadError: null,
  preview: null,
  previewBudget: undefined,
  previewKeepNewest: true,
  lastGc: null,
  gcError: null,
  busy: false,
  async load() {
    try {
      const [summary, history] = await Promise.all([api.request('cache:summary', {}), api.request('cache:history', {})]);
      set({ summary, history, loadError: null });
    } catch (err) {
      set({ loadError: (err as Error).message });
    }
  },
  async previewGc(maxSize, keepNewest) {
    set({ busy: true, gcError: null, lastGc: null });
    try {
      set({ preview: await api.request('cache:gc-preview', { ...(maxSize === undefined ? {} : { maxSize }), keepNewest }), previewBudget: maxSize, previewKeepNewest: keepNewest });
    } catch (err) {
      set({ gcError: (err as Error).message, preview: null });
    } finally {
      set({ busy: false });
    }
  },
  clearPreview() {
    set({ preview: null });
  },
  async runGc() {
    const { previewBudget: maxSize, previewKeepNewest: keepNewest } = get();
    set({ busy: true, gcError: null });
    try {
      const lastGc = await api.request('cache:gc', { ...(maxSize === undefined ? {} : { maxSize }), keepNewest });
      set({ lastGc, preview: null });
      await get().load();
    } catch (err) {
      set({ gcError: (err as Error).message });
    } finally {
      set({ busy: false });
    }
  },
}));
