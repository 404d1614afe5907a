/**
 * Who may talk to `lamina serve`: only a page served by this very server, opened
 * with the per-run token. The checks, in the order they matter:
 * - Host must be the address we bound, so a DNS-rebound name cannot reach us;
 * - a WebSocket's Origin must be our own origin, so another site cannot;
 * - the token (from the printed URL, then an HttpOnly cookie) must match, so
 *   another local user or program that finds the port cannot.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIPv4 } from 'node:net';
import { LaminaError } from '../../src-shared/errors.js';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Only loopback addresses: the API can start builds, so it is never on a network. */
export function checkLoopback(host: string): void {
  if (!(isIPv4(host) && host.startsWith('127.'))) {
    throw new LaminaError(
      `lamina serve listens on loopback only and will not bind ${host}; use 127.0.0.1 (or another 127.x.x.x address) and reach it from other machines through an SSH tunnel`,
      'serve-not-loopback',
    );
  }
}

/** How long a launch URL (see `launchUrl`) stays valid. */
const LAUNCH_TTL_MS = 60_000;

export class WebAccess {
  readonly origin: string;
  readonly cookieName: string;
  /** One-time codes for launch URLs, with when each expires. */
  private readonly launchCodes = new Map<string, number>();

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly token: string,
  ) {
    this.origin = `http://${host}:${port}`;
    // Cookies are shared by every port of a host: one name per server.
    this.cookieName = `lamina-token-${port}`;
  }

  /** The URL to print: it carries the token once; the server trades it for a cookie. */
  get openUrl(): string {
    return `${this.origin}/?token=${this.token}`;
  }

  /**
   * A URL for `--open` to hand to the desktop's opener: command lines are visible
   * to other local users (`ps`), so it carries a code that works once, for a
   * minute, instead of the token itself.
   */
  launchUrl(now = Date.now()): string {
    const code = newToken();
    this.launchCodes.set(code, now + LAUNCH_TTL_MS);
    return `${this.origin}/?launch=${code}`;
  }

  /** Whether `candidate` is a live launch code; a code is spent by checking it. */
  takeLaunchCode(candidate: string, now = Date.now()): boolean {
    const expires = this.launchCodes.get(candidate);
    this.launchCodes.delete(candidate);
    return expires !== undefined && now <= expires;
  }

  tokenMatches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const given = Buffer.from(candidate);
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  hostIsOurs(request: IncomingMessage): boolean {
    return request.headers.host === `${this.host}:${this.port}`;
  }

  cookieToken(request: IncomingMessage): string | null {
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const eq = part.indexOf('=');
      if (eq > 0 && part.slice(0, eq).trim() === this.cookieName) return part.slice(eq + 1).trim();
    }
    return null;
  }

  setCookie(): string {
    return `${this.cookieName}=${this.token}; HttpOnly; SameSite=Strict; Path=/`;
  }

  /** Why a WebSocket upgrade is refused, or null when it may proceed. */
  refuseSocket = (request: IncomingMessage): string | null => {
    if (!this.hostIsOurs(request)) return 'wrong Host header';
    if (request.headers.origin !== this.origin) return 'requests from another origin are refused';
    const url = new URL(request.url ?? '/', this.origin);
    if (!this.tokenMatches(this.cookieToken(request)) && !this.tokenMatches(url.searchParams.get('token'))) {
      return 'missing or wrong token; open the URL that `lamina serve` printed';
    }
    return null;
  };
}
