import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';
import { DOCKER_HUB } from '../../../src-shared/reference.js';
import { credentialHelper } from './credential-helper.js';

export interface Credentials {
  readonly username: string;
  readonly password: string;
  /** An identity token (from `docker login` with some registries) used as an OAuth2 refresh token. */
  readonly identityToken?: string;
}

/** `--creds USER:PASS`; the password may hold colons. */
export function parseCredsFlag(value: string): Credentials {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new LaminaError('--creds must be USER:PASSWORD', 'bad-creds');
  return { username: value.slice(0, colon), password: value.slice(colon + 1) };
}

interface AuthConfig {
  auths?: Record<string, { auth?: string; identitytoken?: string; username?: string; password?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/** Who wrote a file decides how a helper is asked for Docker Hub: docker and containers tools differ. */
export interface AuthFile {
  readonly path: string;
  readonly writer: 'containers' | 'docker';
}

/**
 * The auth files to read, first hit wins: the containers auth.json (REGISTRY_AUTH_FILE,
 * else the one in the XDG runtime dir, else ~/.config/containers), then docker's
 * config.json (DOCKER_CONFIG, else ~/.docker), as skopeo and podman look them up.
 */
export function authFiles(env: NodeJS.ProcessEnv = process.env): AuthFile[] {
  const files: AuthFile[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push({ path: env.REGISTRY_AUTH_FILE, writer: 'containers' });
  else {
    if (env.XDG_RUNTIME_DIR) files.push({ path: join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'), writer: 'containers' });
    files.push({ path: join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'containers', 'auth.json'), writer: 'containers' });
  }
  files.push({ path: join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'), writer: 'docker' });
  return files;
}

/** The address `docker login` files Docker Hub under, in `auths` and in credential helpers. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';
/** Every name Docker Hub's entries go by, best first. */
const DOCKER_HUB_KEYS = [DOCKER_HUB_SERVER, 'index.docker.io', DOCKER_HUB, 'registry-1.docker.io'];

/** docker's ConvertToHostname: a key may be a URL (`https://host/v2/`); only its host:port counts. */
function hostOfKey(key: string): string {
  return key.replace(/^https?:\/\//, '').split('/')[0]!;
}

/**
 * The entry filed for a registry: under its exact name first, then under any key
 * whose host is the registry (docker's rule); Docker Hub answers to all its names.
 */
function entryFor<T>(record: Record<string, T> | undefined, registry: string): T | undefined {
  if (!record) return undefined;
  const names = registry === DOCKER_HUB ? DOCKER_HUB_KEYS : [registry];
  for (const name of names) if (Object.hasOwn(record, name)) return record[name];
  const key = Object.keys(record).find((k) => names.includes(hostOfKey(k)));
  return key === undefined ? undefined : record[key];
}

/**
 * The name a helper is asked for: docker's CLI asks for Docker Hub by its old URL
 * (what `docker login` stored) and for any other registry by its bare host:port;
 * containers tools (podman, skopeo) ask by the registry's name.
 */
function helperServer(registry: string, writer: AuthFile['writer']): string {
  return registry === DOCKER_HUB && writer === 'docker' ? DOCKER_HUB_SERVER : registry;
}

async function readAuthFile(file: string): Promise<AuthConfig | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as AuthConfig;
  } catch {
    throw new LaminaError(`${file} is not valid JSON; fix or remove it`, 'bad-auth-file');
  }
}

/**
 * Asks `docker-credential-HELPER get` for the server, docker's helper protocol.
 * A failure names the setting that chose the helper and how to see what went wrong.
 */
function runHelper(helper: string, server: string, registry: string, setting: string): Promise<Credentials | undefined> {
  return credentialHelper(helper, {
    notInstalled: (program) =>
      new LaminaError(`a login for ${registry} is to come from ${program} (${setting}), which is not installed; install it, remove that entry, or pass --creds USER:PASS`, 'no-cred-helper'),
    failed: (program) => new LaminaError(`the credential helper ${program} failed for ${registry}; run "echo ${server} | ${program} get" to see why`, 'cred-helper-failed'),
    notJson: (program) => new LaminaError(`the credential helper ${program} answered something that is not JSON`, 'cred-helper-failed'),
  }).get(server);
}

function decodeEntry(entry: NonNullable<AuthConfig['auths']>[string], file: string): Credentials | undefined {
  if (entry.auth) {
    const plain = Buffer.from(entry.auth, 'base64').toString('utf8');
    const colon = plain.indexOf(':');
    if (colon < 0) throw new LaminaError(`an "auth" entry in ${file} is not base64 of USER:PASSWORD; log in again`, 'bad-auth-file');
    return { username: plain.slice(0, colon), password: plain.slice(colon + 1), ...(entry.identitytoken ? { identityToken: entry.identitytoken } : {}) };
  }
  if (entry.identitytoken) return { username: '', password: '', identityToken: entry.identitytoken };
  if (entry.username && entry.password) return { username: entry.username, password: entry.password };
  return undefined;
}

/**
 * The stored credentials for a registry, or undefined for anonymous access.
 * Per file: a credHelpers entry for the registry, then the auths entry, then credsStore.
 * This runs helpers at once; a client should get `storedCredentials` instead, which
 * waits until a registry asks for a login.
 */
export async function lookupCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): Promise<Credentials | undefined> {
  for (const file of authFiles(env)) {
    const config = await readAuthFile(file.path);
    if (!config) continue;
    const server = helperServer(registry, file.writer);
    const helper = entryFor(config.credHelpers, registry);
    if (helper) return runHelper(helper, server, registry, `"credHelpers" in ${file.path}`);
    const entry = entryFor(config.auths, registry);
    const creds = entry ? decodeEntry(entry, file.path) : undefined;
    if (creds) return creds;
    if (config.credsStore) {
      const stored = await runHelper(config.credsStore, server, registry, `"credsStore" in ${file.path}`);
      if (stored) return stored;
    }
  }
  return undefined;
}

/** Credentials fetched only when needed; undefined means anonymous. */
export type CredentialSource = () => Promise<Credentials | undefined>;

/**
 * The stored credentials for a registry, looked up the first time they are asked
 * for: the transport asks only when the registry wants a login, so an anonymous
 * registry works even when a configured helper is missing or would prompt.
 */
export function storedCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): CredentialSource {
  let found: Promise<Credentials | undefined> | undefined;
  return () => (found ??= lookupCredentials(registry, env));
}
