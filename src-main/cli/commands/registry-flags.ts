/**
 * What `push` and `inspect` share: the docker:// destination, --creds, --authfile,
 * --tls-verify and --cert-dir, turned into a registry client. Credentials come from
 * --creds, else --authfile alone, else the auth files docker, podman and skopeo use.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { existsSync } from 'node:fs';
import { LaminaError } from '../../../src-shared/errors.js';
import { RegistryClient } from '../../engine/registry/client.js';
import { parseCredsFlag, storedCredentials, type CredentialSource, type Credentials } from '../../engine/registry/credentials.js';
import { parseReference, type ImageReference } from '../../../src-shared/reference.js';

export interface RegistryFlags {
  creds?: string;
  authfile?: string;
  /** Unset: verify, unless registries.conf marks the registry insecure. */
  tlsVerify?: boolean;
  certDir?: string;
}

export function parseTlsVerify(value: string): boolean {
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidArgumentError('--tls-verify is true or false');
}

/** The credentials the flags name: --creds, else --authfile alone, else undefined (the usual auth files). */
export function flagCredentials(flags: RegistryFlags, registry: string): Credentials | CredentialSource | undefined {
  if (flags.creds !== undefined) return parseCredsFlag(flags.creds);
  if (flags.authfile !== undefined) {
    if (!existsSync(flags.authfile)) throw new LaminaError(`the auth file ${flags.authfile} does not exist; check --authfile`, 'bad-authfile');
    return storedCredentials(registry, { ...process.env, REGISTRY_AUTH_FILE: flags.authfile, DOCKER_CONFIG: '/nonexistent' });
  }
  return undefined;
}

/** The network flags of push, build --push and inspect. */
export function addRegistryOptions(command: Command): Command {
  return command
    .option('--creds <user:password>', 'credentials for the registry (else --authfile, else docker/podman auth files)')
    .option('--authfile <file>', 'read credentials from this auth.json only (as skopeo and podman)')
    .addOption(new Option('--tls-verify <bool>', 'verify TLS certificates (default: true, or false where registries.conf says insecure); false also allows plain HTTP').argParser(parseTlsVerify))
    .option('--cert-dir <dir>', 'trust ca.crt and use the client *.cert/*.key in this folder instead of the certs.d one');
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
