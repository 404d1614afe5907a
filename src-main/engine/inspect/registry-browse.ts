/**
 * Browsing a registry before opening an image: its repositories (the catalog)
 * and a repository's tags. Registries may refuse the catalog (Docker Hub does);
 * that refusal reaches the caller as the registry's own one-line error.
 */
import { RegistryClient } from '../registry/client.js';
import { storedCredentials } from '../registry/credentials.js';
import { parseReference } from '../../../src-shared/reference.js';
import type { LocationOptions } from '../locations.js';

type RegistryAccess = Omit<LocationOptions, 'platform' | 'store'>;

async function withClient<T>(registry: string, options: RegistryAccess, use: (client: RegistryClient) => Promise<T>): Promise<T> {
  const credentials = options.credentials ?? storedCredentials(registry);
  const client = new RegistryClient({
    registry,
    ...(options.tlsVerify !== undefined ? { tlsVerify: options.tlsVerify } : {}),
    ...(credentials ? { credentials } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}

/** Repository names of a registry (`HOST[:PORT]`), sorted. */
export async function listRepositories(registry: string, options: RegistryAccess = {}): Promise<string[]> {
  return withClient(registry, options, async (client) => (await client.catalog()).sort());
}

/** Tags of a repository, named as `HOST[:PORT]/REPO` or `docker://HOST[:PORT]/REPO`, sorted. */
export async function listTags(repository: string, options: RegistryAccess = {}): Promise<string[]> {
  const reference = parseReference(repository.replace(/^docker:\/\//, ''));
  return withClient(reference.registry, options, async (client) => (await client.listTags(reference.repository)).sort());
}
