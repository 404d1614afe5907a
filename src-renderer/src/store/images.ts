import { create } from 'zustand';
import type { OpenedImage, StoreImageEntry } from '../../../src-main/engine/images-browse/types';
import { api } from '../api/api';

export type ImageTab = 'overview' | 'layers' | 'files' | 'store-paths' | 'efficiency' | 'treemap' | 'compare';

interface ImagesState {
  readonly storeImages: readonly StoreImageEntry[] | null;
  readonly storeError: string | null;
  /** Opened images, newest last; the engine keeps their file indexes. */
  readonly opened: readonly OpenedImage[];
  readonly currentId: string | null;
  readonly tab: ImageTab;
  readonly opening: string | null;
  readonly openError: string | null;
  /** Set when a reference names a multi-platform index: the page asks which one to open. */
  readonly platformChoice: { readonly ref: string; readonly tlsVerify: boolean; readonly platforms: readonly string[] } | null;
  readonly loadStore: () => Promise<void>;
  readonly open: (ref: string, tlsVerify: boolean, platform?: string) => Promise<void>;
  readonly select: (id: string) => void;
  readonly setTab: (tab: ImageTab) => void;
  readonly cancelPlatformChoice: () => void;
}

export const useImages = create<ImagesState>()((set, get) => ({
  storeImages: null,
  storeError: null,
  opened: [],
  currentId: null,
  tab: 'overview',
  opening: null,
  openError: null,
  platformChoice: null,
  async loadStore() {
    try {
      set({ storeImages: await api.request('images:store', {}), storeError: null });
    } catch (err) {
      set({ storeError: (err as Error).message });
    }
  },
  async open(ref, tlsVerify, platform) {
    set({ opening: ref, openError: null, platformChoice: null });
    try {
      if (platform === undefined) {
        const platforms = await api.request('images:platforms', { ref, tlsVerify });
        if (platforms.length > 1) {
          set({ platformChoice: { ref, tlsVerify, platforms }, opening: null });
          return;
        }
      }
      const image = await api.request('images:open', { ref, tlsVerify, ...(platform ? { platform } : {}) });
      set({ opened: [...get().opened.filter((o) => o.id !== image.id), image], currentId: image.id, tab: 'overview' });
    } catch (err) {
      set({ openError: (err as Error).message });
    } finally {
      set({ opening: null });
    }
  },
  select(id) {
    set({ currentId: id });
  },
  setTab(tab) {
    set({ tab });
  },
  cancelPlatformChoice() {
    set({ platformChoice: null });
  },
}));

export function useCurrentImage(): OpenedImage | null {
  return useImages((s) => s.opened.find((o) => o.id === s.currentId) ?? null);
}
