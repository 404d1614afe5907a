/**
 * Team cache access for the app: a registry's login and TLS setting from
 * Settings (else the auth files docker and podman keep), and the team cache each
 * registry is set up with.
 */
import { RegistryClient } from '../registry/client.js';
import { lookupCredentials } from '../registry/credentials.js';
import type { RegistrySettings } from '../logins/registry-settings.js';
import type { RegistryAccess } from './cache-reference.js';

export function savedRegistryAccess(registries: RegistrySettings): RegistryAccess {
  return {
    client: async (registry, signal) => {
      const entry = await registries.get(registry).catch(() => undefined);
      // Asked only when the registry wants a login, as a push job does.
      const credentials = async () => (await registries.credentials(registry)) ?? (await lookupCredentials(registry));
      return new RegistryClient({ registry, tlsVerify: entry?.tlsVerify ?? true, credentials, ...(signal ? { signal } : {}) });
    },
    teamCacheOf: (registry) => registries.teamCache(registry),
  };
}
