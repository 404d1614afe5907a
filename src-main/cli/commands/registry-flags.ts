/**
 * What `push` and `inspect` share: the docker:// destination, --creds and
 * --tls-verify, turned into a registry client. Credentials come from the flag,
 * else from the auth files docker, podman and skopeo use.
 */
import { InvalidArgumentError } from 'commander';
import { LaminaError } from '../../engine/errors.js';
import { RegistryClient } from '../../engine/registry/client.js';
import { parseCredsFlag, storedCredentials } from '../../engine/registry/credentials.js';
import { parseReference, type ImageReference } from '../../engine/registry/reference.js';

export interface RegistryFlags {
  creds?: string;
  tlsVerify: boolean;
}

export function parseTlsVerify(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('--tls-verify is true or false');
}

/** `docker://HOST[:PORT]/REPO[:TAG]` -> a parsed reference. */
export function parseDockerLocation(spec: string): ImageReference {
  if (!spec.startsWith('docker://')) {
    throw new LaminaError(`"${spec}" is not a registry location; write docker://HOST[:PORT]/REPOSITORY[:TAG]`, 'bad-location');
  }
  return parseReference(spec.slice('docker://'.length));
}

export async function registryClient(ref: ImageReference, flags: RegistryFlags, signal: AbortSignal, connections?: number): Promise<RegistryClient> {
  const credentials = flags.creds !== undefined ? parseCredsFlag(flags.creds) : storedCredentials(ref.registry);
  return new RegistryClient({
    registry: ref.registry,
    tlsVerify: flags.tlsVerify,
    signal,
    ...(credentials ? { credentials } : {}),
    ...(connections ? { connections } : {}),
  });
}

/** Ctrl-C cancels the running operation cleanly instead of killing it mid-request. */
export function cancelOnInterrupt(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const cancel = () => controller.abort();
  process.once('SIGINT', cancel);
  return { signal: controller.signal, dispose: () => process.off('SIGINT', cancel) };
}
