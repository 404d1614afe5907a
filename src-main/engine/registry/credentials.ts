import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { LaminaError } from '../errors.js';
import { DOCKER_HUB } from './reference.js';

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

interface AuthFile {
  auths?: Record<string, { auth?: string; identitytoken?: string; username?: string; password?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

/**
 * The auth files to read, first hit wins: the containers auth.json (REGISTRY_AUTH_FILE,
 * else the one in the XDG runtime dir, else ~/.config/containers), then docker's
 * config.json (DOCKER_CONFIG, else ~/.docker), as skopeo and podman look them up.
 */
export function authFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const files: string[] = [];
  if (env.REGISTRY_AUTH_FILE) files.push(env.REGISTRY_AUTH_FILE);
  else {
    if (env.XDG_RUNTIME_DIR) files.push(join(env.XDG_RUNTIME_DIR, 'containers', 'auth.json'));
    files.push(join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'containers', 'auth.json'));
  }
  files.push(join(env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json'));
  return files;
}

/** Keys under which a registry may be filed in `auths`: its name, with a scheme, Docker Hub's old URL. */
function keysFor(registry: string): string[] {
  const keys = [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
  if (registry === DOCKER_HUB) keys.push('https://index.docker.io/v1/', 'index.docker.io', 'registry-1.docker.io');
  return keys;
}

async function readAuthFile(file: string): Promise<AuthFile | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as AuthFile;
  } catch {
    throw new LaminaError(`${file} is not valid JSON; fix or remove it`, 'bad-auth-file');
  }
}

/** Runs `docker-credential-HELPER get` with the registry on stdin, as docker does. */
function runHelper(helper: string, registry: string): Promise<Credentials | undefined> {
  return new Promise((resolve, reject) => {
    const child = execFile(`docker-credential-${helper}`, ['get'], { timeout: 30_000 }, (err, stdout) => {
      if (err) {
        // The helper says "credentials not found" on stdout with a non-zero exit: that is no entry, not a failure.
        if (/credentials not found/i.test(stdout)) resolve(undefined);
        else if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new LaminaError(`the credential helper docker-credential-${helper} is not installed; install it or edit your docker config.json`, 'no-cred-helper'));
        } else reject(new LaminaError(`the credential helper docker-credential-${helper} failed for ${registry}; run it by hand to see why`, 'cred-helper-failed'));
        return;
      }
      try {
        const out = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!out.Secret) resolve(undefined);
        else if (out.Username === '<token>') resolve({ username: '', password: '', identityToken: out.Secret });
        else resolve({ username: out.Username ?? '', password: out.Secret });
      } catch {
        reject(new LaminaError(`the credential helper docker-credential-${helper} answered something that is not JSON`, 'cred-helper-failed'));
      }
    });
    child.stdin?.end(registry);
  });
}

function decodeEntry(entry: NonNullable<AuthFile['auths']>[string], file: string): Credentials | undefined {
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
 */
export async function lookupCredentials(registry: string, env: NodeJS.ProcessEnv = process.env): Promise<Credentials | undefined> {
  const keys = keysFor(registry);
  for (const file of authFiles(env)) {
    const config = await readAuthFile(file);
    if (!config) continue;
    const helper = config.credHelpers?.[registry];
    if (helper) return runHelper(helper, registry);
    for (const key of keys) {
      const entry = config.auths?.[key];
      if (!entry) continue;
      const creds = decodeEntry(entry, file);
      if (creds) return creds;
    }
    if (config.credsStore) {
      const creds = await runHelper(config.credsStore, registry);
      if (creds) return creds;
    }
  }
  return undefined;
}
