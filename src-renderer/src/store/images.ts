import { create } from 'zustand';
import type { OpenedImage, OpenProgress, StoreImageEntry } from '../../../src-shared/images';
import { api } from '../api/api';
import { ApiRequestError } from '../api/client';

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
  /** The running open's name for the engine (progress events and cancel carry it). */
  readonly openingId: string | null;
  /** Cancel was asked for the running open and has not taken effect yet. */
  readonly cancelling: boolean;
  /** How far the running open has read; after a successful open, where it ended (cleared by the next open or a source switch). */
  readonly openProgress: OpenProgress | null;
  /** The last open from this source tab was cancelled: the page says so in one line. */
  readonly cancelled: { readonly source: ImageSource; readonly ref: string } | null;
  /** A failed open, with the source tab it was started from: only that tab shows it. */
  readonly openError: { readonly source: ImageSource; readonly message: string } | null;
  /** Set when a reference names a multi-platform index: the page asks which one to open. */
  readonly platformChoice: { readonly ref: string; readonly tlsVerify: boolean; readonly platforms: readonly string[]; readonly source: ImageSource } | null;
  readonly loadStore: () => Promise<void>;
  /** Opens an image; a running open is cancelled first (the latest click wins). */
  readonly open: (ref: string, tlsVerify: boolean, platform?: string) => Promise<void>;
  /** Stops the running open: the page goes back to what it showed before, with one line saying so. */
  readonly cancelOpen: () => void;
  readonly select: (id: string) => void;
  /** Forget an opened image; the next one in the list (else the one before) becomes current. */
  readonly close: (id: string) => void;
  readonly setTab: (tab: ImageTab) => void;
  /** Switch the source tab: what the previous tab's open left behind (an error, a platform question) goes. */
  readonly setSource: (source: ImageSource) => void;
  readonly cancelPlatformChoice: () => void;
}

/** Open ids are the page's own: random per page, so two windows on one `lamina serve` never share one. */
const PAGE_ID = Array.from(crypto.getRandomValues(new Uint8Array(8)), (b) => b.toString(16).padStart(2, '0')).join('');
let nextOpen = 1;

function cancelRunningOpen(openId: string): void {
  // A cancel that finds nothing running (the open just finished) needs no word to the person.
  void api.request('images:cancel-open', { openId }).catch(() => undefined);
}

export const useImages = create<ImagesState>()((set, get) => ({
  storeImages: null,
  storeError: null,
  opened: [],
  currentId: null,
  tab: 'overview',
  source: 'store',
  opening: null,
  openingId: null,
  cancelling: false,
  openProgress: null,
  cancelled: null,
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
    const running = get().openingId;
    if (running) cancelRunningOpen(running);
    const openId = `${PAGE_ID}-${nextOpen++}`;
    // An open that was replaced by a later one changes nothing on the page.
    const current = (): boolean => get().openingId === openId;
    set({ opening: ref, openingId: openId, cancelling: false, openProgress: null, cancelled: null, openError: null, platformChoice: null });
    const stopProgress = api.on('images:open-progress', (progress) => {
      if (progress.openId === openId && current()) set({ openProgress: progress });
    });
    try {
      if (platform === undefined) {
        const platforms = await api.request('images:platforms', { ref, tlsVerify });
        if (!current()) return;
        if (get().cancelling) {
          set({ cancelled: { source, ref } });
          return;
        }
        if (platforms.length > 1) {
          set({ platformChoice: { ref, tlsVerify, platforms, source }, opening: null, openingId: null });
          return;
        }
      }
      const image = await api.request('images:open', { ref, tlsVerify, openId, ...(platform ? { platform } : {}) });
      if (!current()) {
        void api.request('images:close', { id: image.id }).catch(() => undefined);
        return;
      }
      set({ opened: [...get().opened.filter((o) => o.id !== image.id), image], currentId: image.id, tab: 'overview' });
    } catch (err) {
      if (!current()) return;
      if (err instanceof ApiRequestError && err.code === 'cancelled') set({ cancelled: { source, ref }, openProgress: null });
      else set({ openError: { source, message: (err as Error).message }, openProgress: null });
    } finally {
      stopProgress();
      if (current()) set({ opening: null, openingId: null, cancelling: false });
    }
  },
  cancelOpen() {
    const { openingId, cancelling } = get();
    if (!openingId || cancelling) return;
    set({ cancelling: true });
    cancelRunningOpen(openingId);
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
    set({ source, openError: null, platformChoice: null, cancelled: null, ...(get().opening ? {} : { openProgress: null }) });
  },
  cancelPlatformChoice() {
    set({ platformChoice: null });
  },
}));

export function useCurrentImage(): OpenedImage | null {
  return useImages((s) => s.opened.find((o) => o.id === s.currentId) ?? null);
}
