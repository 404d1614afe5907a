/**
 * docker's credential helper protocol, spoken in one place: `docker-credential-NAME
 * VERB` with the payload on stdin and JSON on stdout. The auth-file lookup
 * (credentials.ts) and the logins kept in a helper from Settings
 * (logins/secret-keepers.ts) both go through here.
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';
import type { Credentials } from './credentials.js';

const HELPER_PREFIX = 'docker-credential-';
const HELPER_NAME = /^[a-z0-9][a-z0-9._-]*$/;
/** A helper may wait on a keychain prompt; past this it is stuck, not slow. */
const HELPER_TIMEOUT_MS = 30_000;

/** The docker credential helpers on PATH, by the name after `docker-credential-`. */
export async function findCredentialHelpers(path: string = process.env.PATH ?? ''): Promise<string[]> {
  const found = new Set<string>();
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      const helper = name.slice(HELPER_PREFIX.length);
      if (!name.startsWith(HELPER_PREFIX) || !HELPER_NAME.test(helper)) continue;
      if (await access(join(dir, name), constants.X_OK).then(() => true, () => false)) found.add(helper);
    }
  }
  return [...found].sort();
}

export function checkHelperName(helper: string): string {
  if (!HELPER_NAME.test(helper)) throw new LaminaError(`"${helper}" is not a credential helper name; give the part after docker-credential-, e.g. pass`, 'bad-helper');
  return helper;
}

export type HelperVerb = 'get' | 'store' | 'erase' | 'list';

/**
 * How a caller words a helper's failures: what to do next differs between an
 * auth file's entry and a login kept from Settings. None of them quotes the
 * helper's output, which can echo what it was given.
 */
export interface HelperErrors {
  readonly notInstalled: (program: string) => LaminaError;
  readonly failed: (program: string, verb: HelperVerb, server: string) => LaminaError;
  readonly notJson: (program: string, verb: HelperVerb, server: string) => LaminaError;
}

export interface CredentialHelper {
  /** The login the helper holds for the server; a `<token>` user name means the secret is an identity token. */
  get(server: string): Promise<Credentials | undefined>;
  store(server: string, username: string, secret: string): Promise<void>;
  /** Erasing what is not there is not a failure. */
  erase(server: string): Promise<void>;
  /** Server -> user name of every login the helper holds. */
  list(): Promise<Record<string, string>>;
}

/** The user name a helper answers with when the secret is an identity token, not a password. */
const TOKEN_USER = '<token>';

const notFound = (stdout: string): boolean => /credentials not found/i.test(stdout);

export function credentialHelper(helper: string, errors: HelperErrors): CredentialHelper {
  const program = `${HELPER_PREFIX}${helper}`;

  const call = (verb: HelperVerb, payload: string): Promise<{ ok: boolean; stdout: string }> =>
    new Promise((resolve, reject) => {
      const child = execFile(program, [verb], { timeout: HELPER_TIMEOUT_MS }, (err, stdout) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') reject(errors.notInstalled(program));
        else resolve({ ok: !err, stdout });
      });
      // A helper that exits without reading stdin must not turn into an EPIPE crash;
      // its exit status says what happened.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(payload);
    });

  const answer = <T>(stdout: string, verb: HelperVerb, server: string): T => {
    try {
      return JSON.parse(stdout) as T;
    } catch {
      throw errors.notJson(program, verb, server);
    }
  };

  return {
    async get(server) {
      const { ok, stdout } = await call('get', server);
      if (!ok) {
        if (notFound(stdout)) return undefined;
        throw errors.failed(program, 'get', server);
      }
      const out = answer<{ Username?: string; Secret?: string }>(stdout, 'get', server);
      if (!out.Secret) return undefined;
      if (out.Username === TOKEN_USER) return { username: '', password: '', identityToken: out.Secret };
      return { username: out.Username ?? '', password: out.Secret };
    },
    async store(server, username, secret) {
      const { ok } = await call('store', JSON.stringify({ ServerURL: server, Username: username, Secret: secret }));
      if (!ok) throw errors.failed(program, 'store', server);
    },
    async erase(server) {
      const { ok, stdout } = await call('erase', server);
      if (!ok && !notFound(stdout)) throw errors.failed(program, 'erase', server);
    },
    async list() {
      const { ok, stdout } = await call('list', '');
      if (!ok) throw errors.failed(program, 'list', '');
      const out = answer<unknown>(stdout, 'list', '');
      if (!out || typeof out !== 'object') throw errors.notJson(program, 'list', '');
      return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => typeof e[1] === 'string'));
    },
  };
}
