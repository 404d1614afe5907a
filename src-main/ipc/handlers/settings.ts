import type { Db } from '../../engine/db/database.js';
import type { RegistrySettings } from '../../engine/logins/registry-settings.js';
import { nixFacts, setBuildersSetting, setNixDirSetting } from '../../engine/settings/nix-settings.js';
import type { Handlers } from '../../../src-shared/ipc/contract.js';

type SettingsChannel =
  | 'registries:list'
  | 'registries:choices'
  | 'registries:save'
  | 'registries:remove'
  | 'registries:set-team-cache'
  | 'settings:nix'
  | 'settings:set-builders'
  | 'settings:set-nix-dir';

/** Registries with their secrets' keeping, and the Nix facts Settings shows. */
export function settingsHandlers(db: Db, registries: RegistrySettings): Pick<Handlers, SettingsChannel> {
  return {
    'registries:list': () => registries.list(),
    'registries:choices': () => registries.choices(),
    'registries:save': (input) => registries.save(input),
    'registries:remove': async ({ host }) => {
      await registries.remove(host);
      return registries.list();
    },
    'registries:set-team-cache': async ({ host, teamCache }) => {
      await registries.setTeamCache(host, teamCache);
      return registries.list();
    },
    'settings:nix': () => nixFacts(db),
    'settings:set-builders': ({ builders }) => {
      setBuildersSetting(db, builders);
      return nixFacts(db);
    },
    'settings:set-nix-dir': async ({ dir }) => {
      await setNixDirSetting(db, dir);
      return nixFacts(db);
    },
  };
}
