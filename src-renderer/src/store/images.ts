import { create } from 'zustand';
import type { OpenedImage, StoreImageEntry } from '../../../src-main/engine/images-browse/types';
import { api } from '../api/api';

export type ImageTab = 'overview' | 'layers' | 'files' | 'store-paths' | 'efficiency' | 'treemap' | 'compare';

/** Where the open panel opens images from: one tab each. */
export type ImageSource = 'store' | 'registry' | 'oci' | 'archive';

interface ImagesState {
  readonly storeImages: readonly StoreImageEntry[] | null;
  readonly storeError: string | null;
  /** Opened images, newest last; the engine keeps their file indexes. */
  readonly opened: readonly OpenedImage[];
  readonly currentId: string | null;
  readonly tab: ImageTab;
  readonly source: ImageSource;
  readonly opening: string | null;
  /** A failed open, with the source tab it was started from: only that tab shows it. */
  readonly openError: { readonly source: ImageSource; readonly message: string } | null;
  /** Set when a reference names a multi-platform index: the page asks which one to open. */
  readonly platformChoice: { readonly ref: string; readonly tlsVerify: boolean; readonly platforms: readonly string[]; readonly source: ImageSource } | null;
  readonly loadStore: () => Promise<void>;
  readonly open: (ref: string, tlsVerify: boolean, platform?: string) => Promise<void>;
  readonly select: (id: string) => void;
  /** Forget an opened image; the next one in the list (else the one before) becomes current. */
  readonly close: (id: string) => void;
  readonly setTab: (tab: ImageTab) => void;
  /** Switch the source tab: what the previous tab's open left behind (an error, a platform question) goes. */
  readonly setSource: (source: ImageSource) => void;
  readonly cancelPlatformChoice: () => void;
}

export const useImages = create<ImagesState>()((set, get) => ({
  storeImages: null,
  storeError: null,
  opened: [],
  currentId: null,
  tab: 'overview',
  source: 'store',
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
    const source = get().source;
    set({ opening: ref, openError: null, platformChoice: null });
    try {
      if (platform === undefined) {
        const platforms = await api.request('images:platforms', { ref, tlsVerify });
        if (platforms.length > 1) {
          set({ platformChoice: { ref, tlsVerify, platforms, source }, opening: null });
          return;
        }
      }
      const image = await api.request('images:open', { ref, tlsVerify, ...(platform ? { platform } : {}) });
      set({ opened: [...get().opened.filter((o) => o.id !== image.id), image], currentId: image.id, tab: 'overview' });
    } catch (err) {
      set({ openError: { source, message: (err as Error).message } });
    } finally {
      set({ opening: null });
    }
  },
  select(id) {
    set({ currentId: id });
  },
  close(id) {
    const { opened, currentId } = get();
    const at = opened.findIndex((o) => o.id === id);
    if (at < 0) return;
    const rest = opened.filter((o) => o.id !== id);
    const next = currentId === id ? (rest[at] ?? rest[at - 1] ?? null)?.id ?? null : currentId;
    set({ opened: rest, currentId: next });
    // The engine frees the image's report; nothing to tell the person if it was already gone.
    void api.request('images:close', { id }).catch(() => undefined);
  },
  setTab(tab) {
    set({ tab });
  },
  setSource(source) {
    if (source === get().source) return;
    set({ source, openError: null, platformChoice: null });
  },
  cancelPlatformChoice() {
    set({ platformChoice: null });
  },
}));

export function useCurrentImage(): OpenedImage | null {
  return useImages((s) => s.opened.find((o) => o.id === s.currentId) ?? null);
}
