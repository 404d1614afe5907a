/**
 * Where a registry's secret can live, none of them the database in plain text:
 * sealed by Electron's safeStorage (the app passes its encrypt/decrypt pair in, so
 * the engine never imports electron), in a docker credential helper, or in this
 * process's memory for the session only (`lamina serve` without either).
 */
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';

/** Electron's safeStorage, or anything that encrypts with a key the OS keeps. */
export interface SecretSealer {
  readonly encrypt: (plain: string) => Buffer;
  readonly decrypt: (sealed: Buffer) => string;
}

const HELPER_PREFIX = 'docker-credential-';
const HELPER_NAME = /^[a-z0-9][a-z0-9._-]*$/;

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

/**
 * One call of the docker credential helper protocol: the verb as argument, the
 * payload on stdin. Helper messages can echo what they were given, so a failure
 * is reported by helper and verb only, never with the helper's output.
 */
function callHelper(helper: string, verb: 'store' | 'get' | 'erase' | 'list', payload: string): Promise<{ ok: boolean; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(`${HELPER_PREFIX}${checkHelperName(helper)}`, [verb], { timeout: 30_000 }, (err, stdout) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
        reject(new LaminaError(`the credential helper ${HELPER_PREFIX}${helper} is not installed; install it or keep the secret another way`, 'no-cred-helper'));
      } else resolve({ ok: !err, stdout });
    });
    child.stdin?.end(payload);
  });
}

function helperFailed(helper: string, verb: string, host: string): LaminaError {
  return new LaminaError(`${HELPER_PREFIX}${helper} ${verb} failed for ${host}; run it by hand to see why (is its store unlocked?)`, 'cred-helper-failed');
}

export async function helperStore(helper: string, host: string, username: string, secret: string): Promise<void> {
  const { ok } = await callHelper(helper, 'store', JSON.stringify({ ServerURL: host, Username: username, Secret: secret }));
  if (!ok) throw helperFailed(helper, 'store', host);
}

/** The secret the helper holds for the host, or undefined when it has none. */
export async function helperGet(helper: string, host: string): Promise<{ username: string; secret: string } | undefined> {
  const { ok, stdout } = await callHelper(helper, 'get', host);
  if (!ok) {
    if (/credentials not found/i.test(stdout)) return undefined;
    throw helperFailed(helper, 'get', host);
  }
  try {
    const out = JSON.parse(stdout) as { Username?: string; Secret?: string };
    return out.Secret ? { username: out.Username ?? '', secret: out.Secret } : undefined;
  } catch {
    throw new LaminaError(`${HELPER_PREFIX}${helper} get answered something that is not JSON for ${host}`, 'cred-helper-failed');
  }
}

export async function helperErase(helper: string, host: string): Promise<void> {
  const { ok, stdout } = await callHelper(helper, 'erase', host);
  if (!ok && !/credentials not found/i.test(stdout)) throw helperFailed(helper, 'erase', host);
}
