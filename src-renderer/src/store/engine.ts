import { create } from 'zustand';
import type { AppInfo } from '../../../src-shared/ipc/contract';
import { api } from '../api/api';

interface EngineState {
  readonly info: AppInfo | null;
  readonly error: string | null;
  readonly load: () => Promise<void>;
}

/** Facts about the engine this page talks to (version, data dir, Nix). */
export const useEngine = create<EngineState>()((set) => ({
  info: null,
  error: null,
  async load() {
    try {
      set({ info: await api.request('app:info', {}), error: null });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
}));
