/**
 * Per-registry certificates as podman, skopeo and docker keep them: a folder named
 * HOST[:PORT] under a certs.d root, holding CA certificates (`*.crt`) and client
 * certificate pairs (`NAME.cert` with `NAME.key`). See containers-certs.d(5).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';

export interface RegistryCerts {
  /** The folder the files came from, for messages. */
  readonly dir: string;
  /** PEM CA certificates to trust for this registry, in addition to the system's. */
  readonly ca: string[];
  /** A client certificate and its key, for registries that ask for one. */
  readonly client?: { readonly cert: string; readonly key: string };
}

/**
 * The certs.d roots, first hit wins (as containers/image looks them up):
 * LAMINA_CERTS_D_ROOTS (colon-separated) when set, else the user's containers
 * folder, then /etc/containers/certs.d, then /etc/docker/certs.d.
 */
export function certsDRoots(env: NodeJS.ProcessEnv = process.env): string[] {
  const override = env['LAMINA_CERTS_D_ROOTS'];
  if (override !== undefined) return override.split(':').filter(Boolean);
  return [join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'containers', 'certs.d'), '/etc/containers/certs.d', '/etc/docker/certs.d'];
}

/** The folder of `host` (host:port as references write it) under the first root that has one. */
export function certsDirFor(host: string, roots: readonly string[] = certsDRoots()): string | undefined {
  // The host comes from a reference; one that could climb out of the root is no host.
  if (host.includes('/') || host.startsWith('.')) return undefined;
  return roots.map((root) => join(root, host)).find((dir) => existsSync(dir));
}

/** Reads one certs folder; a client certificate without its key (or the reverse) is an error, as in skopeo. */
export function readCertsDir(dir: string): RegistryCerts {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    throw new LaminaError(`cannot read the certificates folder ${dir} (${(err as NodeJS.ErrnoException).code ?? 'error'}); check --cert-dir`, 'bad-cert-dir', { cause: err });
  }
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  const ca = names.filter((n) => n.endsWith('.crt')).map(read);
  let client: RegistryCerts['client'];
  for (const name of names.filter((n) => n.endsWith('.cert'))) {
    const key = `${name.slice(0, -'.cert'.length)}.key`;
    if (!names.includes(key)) throw new LaminaError(`${join(dir, name)} has no key beside it (${key}); add it or remove the certificate`, 'bad-cert-dir');
    client ??= { cert: read(name), key: read(key) };
  }
  for (const name of names.filter((n) => n.endsWith('.key'))) {
    const cert = `${name.slice(0, -'.key'.length)}.cert`;
    if (!names.includes(cert)) throw new LaminaError(`${join(dir, name)} has no certificate beside it (${cert}); add it or remove the key`, 'bad-cert-dir');
  }
  return { dir, ca, ...(client ? { client } : {}) };
}
