/**
 * The network flags `push`, `build --push` and `inspect` share: --creds,
 * --authfile, --tls-verify and --cert-dir. Only their definition: what they do
 * when a command runs is in registry-access.ts, loaded with the command's action.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';

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

/** The network flags of push, build --push and inspect. */
export function addRegistryOptions(command: Command): Command {
  return command
    .option('--creds <user:password>', 'credentials for the registry (else --authfile, else docker/podman auth files)')
    .option('--authfile <file>', 'read credentials from this auth.json only (as skopeo and podman)')
    .addOption(new Option('--tls-verify <bool>', 'verify TLS certificates (default: true, or false where registries.conf says insecure); false also allows plain HTTP').argParser(parseTlsVerify))
    .option('--cert-dir <dir>', 'trust ca.crt and use the client *.cert/*.key in this folder instead of the certs.d one');
}
