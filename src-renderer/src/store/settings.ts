import { create } from 'zustand';
import type { RegistryEntry, SecretKeepChoices } from '../../../src-shared/logins';
import type { NixFacts } from '../../../src-shared/settings';
import type { PullRegistryStatus } from '../../../src-shared/pull-registry';
import type { RequestInput } from '../../../src-shared/ipc/contract';
import { api } from '../api/api';

interface SettingsState {
  readonly registries: readonly RegistryEntry[] | null;
  readonly choices: SecretKeepChoices | null;
  readonly nix: NixFacts | null;
  /** Errors where they happened: loading the list, the form, a removal, the Nix section. */
  readonly registriesError: string | null;
  readonly nixError: string | null;
  readonly load: () => Promise<void>;
  /** Resolves to an error line for the form, or null when saved. */
  readonly saveRegistry: (input: RequestInput<'registries:save'>) => Promise<string | null>;
  readonly removeRegistry: (host: string) => Promise<void>;
  /** Resolves to an error line for the field, or null when saved. */
  readonly setTeamCache: (host: string, teamCache: string | null) => Promise<string | null>;
  readonly setBuilders: (builders: string | null) => Promise<string | null>;
  /** Resolves to an error line for the form, or null when saved. */
  readonly setNixDir: (dir: string | null) => Promise<string | null>;
  readonly pullRegistry: PullRegistryStatus | null;
  readonly pullRegistryError: string | null;
  /** Starts or stops the pull registry; an error lands in pullRegistryError. */
  readonly switchPullRegistry: (on: boolean) => Promise<void>;
  /** Resolves to an error line for the form, or null when saved. */
  readonly setPullSource: (source: string | null) => Promise<string | null>;
}

/** Registries (never their secrets) and the Nix facts Settings shows. */
export const useSettings = create<SettingsState>()((set, get) => ({
  registries: null,
  choices: null,
  nix: null,
  registriesError: null,
  nixError: null,
  pullRegistry: null,
  pullRegistryError: null,
  async load() {
    await Promise.all([
      Promise.all([api.request('registries:list', {}), api.request('registries:choices', {})]).then(
        ([registries, choices]) => set({ registries, choices, registriesError: null }),
        (err: unknown) => set({ registriesError: (err as Error).message }),
      ),
      api.request('settings:nix', {}).then(
        (nix) => set({ nix, nixError: null }),
        (err: unknown) => set({ nixError: (err as Error).message }),
      ),
      api.request('pull-registry:status', {}).then(
        (pullRegistry) => set({ pullRegistry, pullRegistryError: null }),
        (err: unknown) => set({ pullRegistryError: (err as Error).message }),
      ),
    ]);
  },
  async saveRegistry(input) {
    try {
      const saved = await api.request('registries:save', input);
      const others = (get().registries ?? []).filter((entry) => entry.host !== saved.host);
      set({ registries: [...others, saved].sort((a, b) => a.host.localeCompare(b.host)), registriesError: null });
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  },
  async removeRegistry(host) {
    try {
      set({ registries: await api.request('registries:remove', { host }), registriesError: null });
    } catch (err) {
      set({ registriesError: (err as Error).message });
    }
  },
  async setTeamCache(host, teamCache) {
    try {
      set({ registries: await api.request('registries:set-team-cache', { host, teamCache }), registriesError: null });
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  },
  async setBuilders(builders) {
    try {
      set({ nix: await api.request('settings:set-builders', { builders }), nixError: null });
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  },
  async setNixDir(dir) {
    try {
      set({ nix: await api.request('settings:set-nix-dir', { dir }), nixError: null });
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  },
  async switchPullRegistry(on) {
    try {
      set({ pullRegistry: await api.request(on ? 'pull-registry:start' : 'pull-registry:stop', {}), pullRegistryError: null });
    } catch (err) {
      set({ pullRegistryError: (err as Error).message });
    }
  },
  async setPullSource(source) {
    try {
      set({ pullRegistry: await api.request('pull-registry:set-source', { source }), pullRegistryError: null });
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  },
}));
