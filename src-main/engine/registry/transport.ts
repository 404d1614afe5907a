import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { LaminaError } from '../../../src-shared/errors.js';
import { Authenticator } from './auth.js';
import { parseChallenges } from './challenge.js';
import { registryDispatcher, sendRequest } from './dispatcher.js';
import type { CredentialSource, Credentials } from './credentials.js';
import { isAbort, isCertificateError, isConnectionReset, isTlsError, networkError } from './network-error.js';
import { apiHost, checkRegistryName, isLoopback, redactUserinfo } from '../../../src-shared/reference.js';
import { checkNotBlocked, hostInsecure, loadRegistriesConf } from './registries-conf.js';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the request fails instead. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 10_000, maxRetryAfterMs: 60_000 };

export interface TransportOptions {
  /** The registry as written in references (`docker.io`, `localhost:5000`). */
  readonly registry: string;
  /**
   * false: accept any certificate and allow plain HTTP, like skopeo's --tls-verify=false.
   * Unset: true unless registries.conf marks the registry insecure.
   */
  readonly tlsVerify?: boolean;
  /** A folder with ca.crt / client *.cert and *.key for this registry instead of its certs.d folder (skopeo's --cert-dir). */
  readonly certDir?: string;
  /** A value, or a source asked only when the registry wants a login (see storedCredentials). */
  readonly credentials?: Credentials | CredentialSource;
  readonly retry?: RetryPolicy;
  readonly signal?: AbortSignal;
  /** Connections kept open to the registry; parallel uploads need one each. */
  readonly connections?: number;
}

export interface RegistryRequest {
  readonly method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';
  /** A path under the registry (`/v2/...`) or an absolute URL from a Location header. */
  readonly url: string;
  readonly headers?: Record<string, string>;
  /** Bytes, or a way to stream them that is called again for each try (a redirect, a fresh token). */
  readonly body?: Buffer | (() => AsyncIterable<Uint8Array>);
  /** Token scopes the request needs (`repository:NAME:pull,push`). */
  readonly scopes: readonly string[];
  /**
   * false for requests that must not be sent twice blindly (upload chunks): a
   * failure then surfaces at once and the caller asks the registry where it stands.
   */
  readonly retry?: boolean;
}

export interface RegistryResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Where the answer came from after redirects, to resolve relative Location headers. */
  readonly url: URL;
  readonly body: Dispatcher.ResponseData['body'];
}

export function header(res: RegistryResponse, name: string): string | undefined {
  const value = res.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Answers worth trying again, for every request and upload step: a request
 * timeout (408), rate limiting, and the server errors a busy or restarting
 * registry gives, as containerd's and distribution's clients retry them.
 */
export const RETRY_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
const MAX_REDIRECTS = 5;

/** Milliseconds to wait before try number `attempt` (1-based retry count): exponential with full jitter. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Retry-After as seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * A URL with any login taken out: a Location or realm is the server's word, and a
 * user:password in it must travel neither to the next host nor into a message.
 */
export function withoutLogin(url: URL): URL {
  if (!url.username && !url.password) return url;
  const clean = new URL(url.href);
  clean.username = '';
  clean.password = '';
  return clean;
}

/** A Location header resolved against the URL that sent it, or one line naming it without any login. */
export function resolveLocation(location: string, from: URL, registry: string): URL {
  if (!URL.canParse(location, from.href)) {
    throw new LaminaError(`${registry} sent an invalid Location "${redactUserinfo(location).slice(0, 200)}"; the registry is misbehaving`, 'bad-registry');
  }
  return withoutLogin(new URL(location, from));
}

/**
 * HTTP to one registry: finds the scheme and the auth challenge once (GET /v2/),
 * authorises each request for its scopes, retries what is safe to retry with
 * backoff, and follows redirects without carrying Authorization to another host.
 */
export class RegistryTransport {
  readonly registry: string;
  readonly host: string;
  readonly retry: RetryPolicy;
  readonly signal: AbortSignal | undefined;
  private readonly tlsVerify: boolean;
  private readonly dispatcher: Dispatcher;
  private readonly auth: Authenticator;
  private base: Promise<URL> | undefined;

  constructor(options: TransportOptions) {
    checkRegistryName(options.registry);
    this.registry = options.registry;
    this.host = apiHost(options.registry);
    const conf = loadRegistriesConf();
    checkNotBlocked(conf, this.registry);
    this.tlsVerify = options.tlsVerify ?? !hostInsecure(this.registry, conf);
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.signal = options.signal;
    this.dispatcher = registryDispatcher(this.registry, {
      tlsVerify: this.tlsVerify,
      connections: options.connections ?? 8,
      ...(options.certDir !== undefined ? { certDir: options.certDir } : {}),
    });
    this.auth = new Authenticator(this.registry, options.credentials, (url, init) => this.tokenRequest(url, init));
  }

  /** Whether the requests so far carried a login, to tell a refused login from a missing one. */
  get sentCredentials(): boolean {
    return this.auth.sentCredentials;
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  /** The registry's base URL, pinging it once to learn the scheme and how it wants auth. */
  baseUrl(): Promise<URL> {
    this.base ??= this.ping();
    this.base.catch(() => (this.base = undefined));
    return this.base;
  }

  private async ping(): Promise<URL> {
    const plainAllowed = !this.tlsVerify || isLoopback(this.registry);
    const schemes = plainAllowed ? ['https:', 'http:'] : ['https:'];
    let lastError: unknown;
    for (const scheme of schemes) {
      const base = new URL(`${scheme}//${this.host}/`);
      try {
        const res = await this.withRetries(() => this.once('GET', new URL('/v2/', base), {}), true, (r) => r);
        await res.body.dump();
        if (res.statusCode === 401) this.auth.useChallenge(parseChallenges(String(res.headers['www-authenticate'] ?? ''))[0]);
        else if (res.statusCode !== 200) {
          throw new LaminaError(`${this.registry} does not answer as a container registry (GET /v2/ gave HTTP ${res.statusCode}); check the host and port`, 'not-a-registry');
        }
        return base;
      } catch (err) {
        if (err instanceof LaminaError || isAbort(err)) throw networkError(err, this.host);
        lastError = err;
        // Only a server that does not speak TLS says "try plain HTTP"; an untrusted
        // certificate or a missing host stays what it is.
        if (isCertificateError(err) || !(isTlsError(err) || isConnectionReset(err))) break;
      }
    }
    throw networkError(lastError, this.host);
  }

  /** Sends a request; network failures that retries did not fix come out as a LaminaError. */
  async send(req: RegistryRequest): Promise<RegistryResponse> {
    try {
      return await this.sendOnce(req);
    } catch (err) {
      throw networkError(err, this.host);
    }
  }

  private async sendOnce(req: RegistryRequest): Promise<RegistryResponse> {
    const base = await this.baseUrl();
    let url = withoutLogin(new URL(req.url, base));
    let refreshedAuth = false;
    for (;;) {
      const res = await this.withRetries(async () => {
        const auth = await this.auth.authorization(req.scopes);
        return this.followRedirects(req, url, auth);
      }, req.retry ?? true, (r) => r.response);
      if (res.response.statusCode === 401 && !refreshedAuth) {
        // One fresh token per request, not a storm: a second 401 is the answer.
        refreshedAuth = true;
        await res.response.body.dump();
        const challenge = parseChallenges(String(res.response.headers['www-authenticate'] ?? ''))[0];
        this.auth.invalidate(req.scopes);
        if (challenge) this.auth.useChallenge(challenge);
        else if (this.auth.scheme === undefined) return this.wrap(res.response, res.url);
        url = withoutLogin(new URL(req.url, base));
        continue;
      }
      return this.wrap(res.response, res.url);
    }
  }

  private wrap(response: Dispatcher.ResponseData, url: URL): RegistryResponse {
    return { status: response.statusCode, headers: response.headers, url, body: response.body };
  }

  private async followRedirects(req: RegistryRequest, start: URL, auth: string | undefined): Promise<{ response: Dispatcher.ResponseData; url: URL }> {
    let url = start;
    let method: RegistryRequest['method'] = req.method;
    let body = req.body;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...req.headers };
      if (auth && url.host === this.host) headers.authorization = auth;
      const response = await this.once(method, url, headers, body);
      const location = response.headers.location;
      if (response.statusCode < 300 || response.statusCode >= 400 || response.statusCode === 304 || !location || hop >= MAX_REDIRECTS) {
        return { response, url };
      }
      await response.body.dump();
      url = resolveLocation(String(location), url, this.registry);
      if (response.statusCode === 303) {
        method = 'GET';
        body = undefined;
      }
    }
  }

  /** Runs `attempt`, retrying resets and retryable statuses with backoff when `retry` allows. */
  private async withRetries<T>(attempt: () => Promise<T>, retry: boolean, responseOf: (result: T) => Dispatcher.ResponseData): Promise<T> {
    for (let n = 1; ; n++) {
      let wait: number;
      try {
        const result = await attempt();
        const response = responseOf(result);
        if (!retry || !RETRY_STATUS.has(response.statusCode) || n >= this.retry.attempts) return result;
        const after = retryAfterMs(String(response.headers['retry-after'] ?? '') || undefined);
        if (after !== undefined && after > this.retry.maxRetryAfterMs) return result;
        await response.body.dump();
        wait = after ?? backoffDelay(this.retry, n);
      } catch (err) {
        if (!retry || !isConnectionReset(err) || n >= this.retry.attempts) throw err;
        wait = backoffDelay(this.retry, n);
      }
      await sleep(wait, undefined, { signal: this.signal });
    }
  }

  private once(method: string, url: URL, headers: Record<string, string>, body?: RegistryRequest['body'] | string): Promise<Dispatcher.ResponseData> {
    this.signal?.throwIfAborted();
    return sendRequest(this.dispatcher, url, {
      method: method as Dispatcher.HttpMethod,
      headers: { 'user-agent': 'lamina/0.1', ...headers },
      body: typeof body === 'function' ? Readable.from(body(), { objectMode: false }) : (body ?? null),
      signal: this.signal ?? null,
    });
  }

  private async tokenRequest(url: URL, init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<{ status: number; json: unknown }> {
    try {
      const res = await this.withRetries(() => this.once(init.method, url, init.headers, init.body), true, (r) => r);
      const text = await res.body.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, json };
    } catch (err) {
      throw networkError(err, url.host);
    }
  }
}
