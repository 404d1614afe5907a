/**
 * The registries a user set up: host, user name and where the secret is kept.
 * `list` is what other views (Push) show: never a secret, only whether one is
 * there to use. `credentials` is the one way a secret comes back out, for a push
 * or a pull to that host.
 */
import type { Db } from '../db/database.js';
import { LaminaError } from '../../../src-shared/errors.js';
import type { Credentials } from '../registry/credentials.js';
import { readSetting, writeSetting } from '../settings/setting-rows.js';
import { formatCacheReference, parseCacheReference } from '../team-cache/cache-reference.js';
import { checkHelperName, findCredentialHelpers } from '../registry/credential-helper.js';
import { keepingHelper, type SecretSealer } from './secret-keepers.js';
import type { RegistryEntry, RegistryInput, SecretKeep, SecretKeepChoices } from '../../../src-shared/logins.js';

interface Row {
  host: string;
  username: string;
  keep: SecretKeep;
  helper: string | null;
  sealed_secret: Buffer | null;
  tls_verify: number;
  updated_at: number;
}

/** The settings row holding each registry's team cache reference (references only, no secrets). */
const TEAM_CACHE_SETTING = 'registry-team-caches';

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*(?::\d{1,5})?$|^\[[0-9a-f:]+\](?::\d{1,5})?$/;

/** A registry host as references name it: `ghcr.io`, `localhost:5000`; no scheme, no path. */
export function normaliseHost(text: string): string {
  const host = text.trim().toLowerCase();
  if (/^[a-z]+:\/\//.test(host)) throw new LaminaError(`give the registry host without a scheme, e.g. ${host.replace(/^[a-z]+:\/\//, '').split('/')[0]}`, 'bad-registry-host');
  if (!HOST.test(host)) throw new LaminaError(`"${text.trim()}" is not a registry host; give a host name with an optional port, e.g. ghcr.io or localhost:5000`, 'bad-registry-host');
  return host;
}

export class RegistrySettings {
  /** Session secrets: only in this process, gone when it exits. */
  private readonly sessionSecrets = new Map<string, string>();
  private readonly rows;
  private readonly row;
  private readonly upsert;
  private readonly delete;

  constructor(
    private readonly db: Db,
    private readonly sealer?: SecretSealer,
  ) {
    this.rows = db.prepare<[], Row>('SELECT * FROM registries ORDER BY host');
    this.row = db.prepare<[string], Row>('SELECT * FROM registries WHERE host = ?');
    this.upsert = db.prepare<Row>(
      `INSERT INTO registries (host, username, keep, helper, sealed_secret, tls_verify, updated_at)
       VALUES (@host, @username, @keep, @helper, @sealed_secret, @tls_verify, @updated_at)
       ON CONFLICT (host) DO UPDATE SET username = excluded.username, keep = excluded.keep, helper = excluded.helper,
         sealed_secret = excluded.sealed_secret, tls_verify = excluded.tls_verify, updated_at = excluded.updated_at`,
    );
    this.delete = db.prepare<[string]>('DELETE FROM registries WHERE host = ?');
  }

  async choices(): Promise<SecretKeepChoices> {
    return { safeStorage: this.sealer !== undefined, helpers: await findCredentialHelpers() };
  }

  async list(): Promise<RegistryEntry[]> {
    return Promise.all(this.rows.all().map((row) => this.entry(row)));
  }

  async get(host: string): Promise<RegistryEntry | undefined> {
    const row = this.row.get(normaliseHost(host));
    return row && this.entry(row);
  }

  /** Adds or replaces a registry; the old secret is dropped from wherever it was kept. */
  async save(input: RegistryInput): Promise<RegistryEntry> {
    const host = normaliseHost(input.host);
    const username = input.username.trim();
    if (!username) throw new LaminaError('give the user name for the registry', 'bad-registry-user');
    if (!input.secret) throw new LaminaError('give the password or token for the registry', 'bad-registry-secret');
    const old = this.row.get(host);
    let sealed: Buffer | null = null;
    let helper: string | null = null;
    if (input.keep === 'safe-storage') {
      if (!this.sealer) throw new LaminaError('the system keychain (safeStorage) is only there in the desktop app; keep the secret in a credential helper or for this session', 'no-safe-storage');
      sealed = this.sealer.encrypt(input.secret);
    } else if (input.keep === 'helper') {
      if (!input.helper) throw new LaminaError('name the docker credential helper to keep the secret in', 'bad-helper');
      helper = checkHelperName(input.helper);
      await keepingHelper(helper).store(host, username, input.secret);
    } else this.sessionSecrets.set(host, input.secret);
    if (input.keep !== 'session') this.sessionSecrets.delete(host);
    if (old?.helper && (old.helper !== helper || input.keep !== 'helper')) await keepingHelper(old.helper).erase(host);
    const row: Row = { host, username, keep: input.keep, helper, sealed_secret: sealed, tls_verify: input.tlsVerify === false ? 0 : 1, updated_at: Date.now() };
    this.upsert.run(row);
    return this.entry(row);
  }

  /** Forgets a registry and erases its secret where it was kept. */
  async remove(host: string): Promise<void> {
    const key = normaliseHost(host);
    const row = this.row.get(key);
    if (!row) throw new LaminaError(`${key} is not among the registries set up in Settings`, 'no-registry');
    if (row.helper) await keepingHelper(row.helper).erase(key);
    this.sessionSecrets.delete(key);
    this.delete.run(key);
    this.writeTeamCaches({ ...this.teamCaches(), [key]: undefined });
  }

  /** Names the team cache builds for this registry use (a reference on the same host), or with null, none. */
  async setTeamCache(host: string, reference: string | null): Promise<RegistryEntry> {
    const key = normaliseHost(host);
    const row = this.row.get(key);
    if (!row) throw new LaminaError(`${key} is not among the registries set up in Settings`, 'no-registry');
    let stored: string | undefined;
    if (reference !== null && reference.trim() !== '') {
      const text = reference.trim();
      const ref = parseCacheReference(text.startsWith('docker://') ? text : `docker://${text}`);
      if (ref.registry !== key) throw new LaminaError(`the team cache of ${key} must be on ${key} too (this one is on ${ref.registry})`, 'bad-team-cache-ref');
      stored = formatCacheReference(ref);
    }
    this.writeTeamCaches({ ...this.teamCaches(), [key]: stored });
    return this.entry(row);
  }

  /** The team cache reference of a registry set up in Settings, if it names one. */
  teamCache(host: string): string | undefined {
    return this.teamCaches()[normaliseHost(host)];
  }

  private teamCaches(): Record<string, string | undefined> {
    const text = readSetting(this.db, TEAM_CACHE_SETTING);
    if (text === null) return {};
    try {
      const parsed = JSON.parse(text) as unknown;
      return parsed && typeof parsed === 'object' ? Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === 'string')) : {};
    } catch {
      return {};
    }
  }

  private writeTeamCaches(caches: Record<string, string | undefined>): void {
    const kept = Object.fromEntries(Object.entries(caches).filter(([, v]) => v !== undefined));
    writeSetting(this.db, TEAM_CACHE_SETTING, Object.keys(kept).length > 0 ? JSON.stringify(kept) : null);
  }

  /** The user name and secret for a push or pull, or undefined when the host is not set up or its secret is gone. */
  async credentials(host: string): Promise<Credentials | undefined> {
    const row = this.row.get(normaliseHost(host));
    if (!row) return undefined;
    return this.loginOf(row);
  }

  private async loginOf(row: Row): Promise<Credentials | undefined> {
    const withPassword = (secret: string | undefined): Credentials | undefined => (secret === undefined ? undefined : { username: row.username, password: secret });
    switch (row.keep) {
      case 'safe-storage':
        if (!this.sealer || !row.sealed_secret) return undefined;
        try {
          return withPassword(this.sealer.decrypt(row.sealed_secret));
        } catch {
          throw new LaminaError(`the keychain could not unseal the secret for ${row.host}; enter it again in Settings`, 'unseal-failed');
        }
      case 'helper': {
        const login = await keepingHelper(row.helper!).get(row.host);
        // The user name is the one set up in Settings; a helper's identity token (`<token>`) replaces the whole login.
        return login?.identityToken !== undefined ? login : withPassword(login?.password);
      }
      case 'session':
        return withPassword(this.sessionSecrets.get(row.host));
    }
  }

  private async entry(row: Row): Promise<RegistryEntry> {
    const available = await this.loginOf(row).then(
      (login) => login !== undefined,
      () => false,
    );
    return {
      host: row.host,
      username: row.username,
      keep: row.keep,
      helper: row.helper,
      tlsVerify: row.tls_verify === 1,
      secretAvailable: available,
      updatedAt: row.updated_at,
      teamCache: this.teamCaches()[row.host] ?? null,
    };
  }
}
