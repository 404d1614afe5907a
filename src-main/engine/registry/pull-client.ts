/**
 * A client to pull a reference from: the first of its registries.conf mirrors that
 * has the manifest, else its own (possibly relocated) registry. A mirror that
 * fails or lacks the image is passed over, as podman and skopeo do.
 */
import { RegistryClient } from './client.js';
import { storedCredentials, type CredentialSource, type Credentials } from './credentials.js';
import type { ImageReference } from '../../../src-shared/reference.js';
import { pullLocations, type PullLocation } from './registries-conf.js';
import type { TransportOptions } from './transport.js';

export interface PullClient {
  readonly client: RegistryClient;
  /** The reference at the location chosen (registry and repository may differ from the one asked for). */
  readonly reference: ImageReference;
}

export async function pullClient(ref: ImageReference, options: Omit<TransportOptions, 'registry' | 'credentials'> & { credentials?: Credentials | CredentialSource }): Promise<PullClient> {
  const locations = pullLocations(ref);
  const open = (location: PullLocation): PullClient => ({
    reference: { ...ref, registry: location.registry, repository: location.repository },
    client: new RegistryClient({
      ...options,
      registry: location.registry,
      credentials: options.credentials ?? storedCredentials(location.registry),
      ...(location.insecure && options.tlsVerify === undefined ? { tlsVerify: false } : {}),
    }),
  });
  for (const mirror of locations.filter((l) => l.mirror)) {
    const candidate = open(mirror);
    try {
      if (await candidate.client.manifestHead(candidate.reference.repository, ref.digest ?? ref.tag ?? 'latest')) return candidate;
    } catch {
      // An unreachable or refusing mirror is not the user's error: the next location is tried.
    }
    await candidate.client.close();
  }
  return open(locations.find((l) => !l.mirror)!);
}
