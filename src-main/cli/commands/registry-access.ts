/**
 * The registry flags (registry-flags.ts) at work: the docker:// destination, and
 * --creds, --authfile, --tls-verify and --cert-dir turned into a registry client.
 * Credentials come from --creds, else --authfile alone, else the auth files
 * docker, podman and skopeo use.
 */
import { existsSync } from 'node:fs';
import { LaminaError } from '../../../src-shared/errors.js';
import { RegistryClient } from '../../engine/registry/client.js';
import { parseCredsFlag, storedCredentials, type CredentialSource, type Credentials } from '../../engine/registry/credentials.js';
import { parseReference, type ImageReference } from '../../../src-shared/reference.js';
import type { RegistryFlags } from './registry-flags.js';

/** The credentials the flags name: --creds, else --authfile alone, else undefined (the usual auth files). */
export function flagCredentials(flags: RegistryFlags, registry: string): Credentials | CredentialSource | undefined {
  if (flags.creds !== undefined) return parseCredsFlag(flags.creds);
  if (flags.authfile !== undefined) {
    if (!existsSync(flags.authfile)) throw new LaminaError(`the auth file ${flags.authfile} does not exist; check --authfile`, 'bad-authfile');
    return storedCredentials(registry, { ...process.env, REGISTRY_AUTH_FILE: flags.authfile, DOCKER_CONFIG: '/nonexistent' });
  }
  return undefined;
}

/** `docker://HOST[:PORT]/REPO[:TAG]` -> a parsed reference. */
export function parseDockerLocation(spec: string): ImageReference {
  if (!spec.startsWith('docker://')) {
    throw new LaminaError(`"${spec}" is not a registry location; write docker://HOST[:PORT]/REPOSITORY[:TAG]`, 'bad-location');
  }
  return parseReference(spec.slice('docker://'.length));
}

export async function registryClient(ref: ImageReference, flags: RegistryFlags, signal: AbortSignal, connections?: number): Promise<RegistryClient> {
  const credentials = flagCredentials(flags, ref.registry) ?? storedCredentials(ref.registry);
  return new RegistryClient({
    registry: ref.registry,
    ...(flags.tlsVerify !== undefined ? { tlsVerify: flags.tlsVerify } : {}),
    ...(flags.certDir !== undefined ? { certDir: flags.certDir } : {}),
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
