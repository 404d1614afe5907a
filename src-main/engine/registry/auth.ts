import { LaminaError } from '../../../src-shared/errors.js';
import type { Challenge } from './challenge.js';
import type { CredentialSource, Credentials } from './credentials.js';
import { loginNeeded } from './registry-error.js';
import { redactUserinfo } from '../../../src-shared/reference.js';

/** What the token endpoint answered (docker's token spec; OAuth2 servers say access_token). */
interface TokenAnswer {
  token?: string;
  access_token?: string;
  expires_in?: number;
}

/** Sends one request to a token endpoint; the transport supplies it so TLS and retries match. */
export type TokenFetch = (
  url: URL,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
) => Promise<{ status: number; json: unknown }>;

interface CachedToken {
  readonly value: string;
  readonly expiresAt: number;
}

/** Tokens live at least this long when the server says nothing (docker's token spec default). */
const DEFAULT_TOKEN_SECONDS = 60;
/** Renew a little early so a token does not expire between our check and the registry's. */
const EARLY_RENEWAL_MS = 10_000;

/**
 * Answers the Authorization header for a set of scopes: none (anonymous), Basic, or
 * a Bearer token obtained from the challenge's realm and cached per scope set.
 * Concurrent requests for the same scopes share one token request.
 */
export class Authenticator {
  private challenge: Challenge | undefined;
  private readonly tokens = new Map<string, Promise<CachedToken>>();
  private readonly source: CredentialSource;
  /** Set once the source answered; until then no credentials were used. */
  private credentials: Credentials | undefined;

  /** Credentials as a value, or as a source asked only once the registry wants a login. */
  constructor(
    private readonly registry: string,
    credentials: Credentials | CredentialSource | undefined,
    private readonly fetchToken: TokenFetch,
    private readonly now: () => number = Date.now,
  ) {
    let asked: Promise<Credentials | undefined> | undefined;
    const source = typeof credentials === 'function' ? credentials : () => Promise.resolve(credentials);
    this.source = () => (asked ??= source().then((found) => (this.credentials = found)));
  }

  /** Whether requests carried credentials (Basic, or a token got with them), for telling "wrong login" from "no login". */
  get sentCredentials(): boolean {
    const creds = this.credentials;
    if (!creds || !this.challenge) return false;
    return this.challenge.scheme === 'bearer' || !creds.identityToken;
  }

  /** Takes the challenge a 401 carried; a new bearer realm or service drops the cached tokens. */
  useChallenge(challenge: Challenge | undefined): void {
    const before = this.challenge;
    this.challenge = challenge;
    if (before?.params.realm !== challenge?.params.realm || before?.params.service !== challenge?.params.service) this.tokens.clear();
  }

  get scheme(): string | undefined {
    return this.challenge?.scheme;
  }

  /** Forgets the token for these scopes, after the registry refused it. */
  invalidate(scopes: readonly string[]): void {
    this.tokens.delete(scopeKey(scopes));
  }

  async authorization(scopes: readonly string[]): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    const credentials = await this.source();
    if (challenge.scheme === 'basic') {
      if (!credentials || credentials.identityToken) return undefined;
      return `Basic ${basic(credentials)}`;
    }
    if (challenge.scheme !== 'bearer') {
      throw new LaminaError(`${this.registry} asks for "${challenge.scheme}" authentication, which Lamina does not speak`, 'auth-scheme');
    }
    const key = scopeKey(scopes);
    let pending = this.tokens.get(key);
    if (pending) {
      const cached = await pending.catch(() => undefined);
      if (!cached || cached.expiresAt - EARLY_RENEWAL_MS <= this.now()) pending = undefined;
    }
    if (!pending) {
      pending = this.requestToken(challenge, scopes, credentials);
      this.tokens.set(key, pending);
      pending.catch(() => this.tokens.delete(key));
    }
    return `Bearer ${(await pending).value}`;
  }

  private async requestToken(challenge: Challenge, scopes: readonly string[], credentials: Credentials | undefined): Promise<CachedToken> {
    const realm = challenge.params.realm;
    if (!realm) throw new LaminaError(`${this.registry} asked for a bearer token but named no realm to get it from`, 'auth-realm');
    if (!URL.canParse(realm)) throw new LaminaError(`${this.registry} named an invalid token realm "${redactUserinfo(realm)}"; the registry is misbehaving`, 'auth-realm');
    const url = new URL(realm);
    // A login in the realm URL is the server's, not ours to pass on; ours goes in the header.
    url.username = '';
    url.password = '';
    const service = challenge.params.service;
    let answer: { status: number; json: unknown };
    if (credentials?.identityToken) {
      // An identity token is an OAuth2 refresh token: it is posted, never sent as Basic.
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: credentials.identityToken, client_id: 'lamina' });
      if (service) form.set('service', service);
      if (scopes.length > 0) form.set('scope', scopes.join(' '));
      answer = await this.fetchToken(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    } else {
      if (service) url.searchParams.set('service', service);
      for (const scope of scopes) url.searchParams.append('scope', scope);
      const headers: Record<string, string> = {};
      if (credentials) headers.authorization = `Basic ${basic(credentials)}`;
      answer = await this.fetchToken(url, { method: 'GET', headers });
    }
    if (answer.status === 401 || answer.status === 403) {
      if (!credentials) throw loginNeeded(this.registry);
      throw new LaminaError(`${this.registry} refused the user name or password (its token service answered ${answer.status}); check them`, 'unauthorized');
    }
    if (answer.status !== 200) {
      throw new LaminaError(`the token service of ${this.registry} failed (HTTP ${answer.status}); try again later`, 'auth-token');
    }
    const body = answer.json as TokenAnswer;
    const value = body.token ?? body.access_token;
    if (!value) throw new LaminaError(`the token service of ${this.registry} answered without a token`, 'auth-token');
    const seconds = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : DEFAULT_TOKEN_SECONDS;
    return { value, expiresAt: this.now() + seconds * 1000 };
  }
}

function basic(creds: Credentials): string {
  return Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
}

function scopeKey(scopes: readonly string[]): string {
  return [...scopes].sort().join(' ');
}
