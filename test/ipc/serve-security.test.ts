/**
 * Who may use `lamina serve`: only a page it served, opened with this run's token.
 * A real server on loopback, real HTTP and WebSocket clients.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openEngineServices, type EngineServices } from '../../src-main/ipc/engine-services.js';
import { WebAccess } from '../../src-main/ipc/web-access.js';
import { startWebServer, type WebServer } from '../../src-main/ipc/web-server.js';

const TOKEN = 'a-token-for-the-security-tests-0123456789';

/** A raw GET, so paths and headers go out exactly as written. */
function get(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens a socket and says whether the server let it in (and if not, with which status). */
function trySocket(url: string, headers: Record<string, string>): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.on('error', () => undefined);
  });
}

describe('lamina serve access', () => {
  const home = mkdtempSync(join(tmpdir(), 'lamina-home-'));
  const rendererDir = join(home, 'renderer');
  let services: EngineServices;
  let server: WebServer;
  let host: string;
  let cookie: string;

  beforeAll(async () => {
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Lamina</title>');
    writeFileSync(join(home, 'secret.txt'), 'not for the browser');
    services = openEngineServices({ home });
    server = await startWebServer({ handlers: services.handlers, rendererDir, port: 0, token: TOKEN });
    host = `127.0.0.1:${server.port}`;
    cookie = `lamina-token-${server.port}=${TOKEN}`;
  });
  afterAll(async () => {
    await server.close();
    await services.close();
  });

  it('prints a loopback URL that carries the token', () => {
    expect(server.url).toBe(`http://${host}/?token=${TOKEN}`);
  });

  it('trades the token in the URL for an HttpOnly, SameSite cookie and drops it from the address', async () => {
    const res = await get(server.port, `/?token=${TOKEN}`, { Host: host });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(res.headers['set-cookie']).toEqual([`${cookie}; HttpOnly; SameSite=Strict; Path=/`]);
  });

  it('gives --open a launch URL without the token that works once', async () => {
    const launch = server.launchUrl();
    expect(launch).not.toContain(TOKEN);
    const path = new URL(launch).pathname + new URL(launch).search;
    const first = await get(server.port, path, { Host: host });
    expect(first.status).toBe(303);
    expect(first.headers['set-cookie']).toEqual([`${cookie}; HttpOnly; SameSite=Strict; Path=/`]);
    const again = await get(server.port, path, { Host: host });
    expect(again.status).toBe(401);
    expect(again.body).toMatch(/launch link was used or is over a minute old/);
    expect((await get(server.port, '/?launch=guess', { Host: host })).status).toBe(401);
  });

  it('lets a launch code expire after a minute', () => {
    const access = new WebAccess('127.0.0.1', 1, TOKEN);
    const code = new URL(access.launchUrl(1_000)).searchParams.get('launch')!;
    expect(access.takeLaunchCode(code, 1_000 + 61_000)).toBe(false);
    const fresh = new URL(access.launchUrl(1_000)).searchParams.get('launch')!;
    expect(access.takeLaunchCode(fresh, 1_000 + 59_000)).toBe(true);
  });

  it('serves the pages with the cookie, under a strict CSP', async () => {
    const res = await get(server.port, '/', { Host: host, Cookie: cookie });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Lamina</title>');
    expect(res.headers['content-security-policy']).toContain(`connect-src ws://${host}/api`);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });

  it('refuses pages without the token, with a wrong one, or for another Host name', async () => {
    expect((await get(server.port, '/', { Host: host })).status).toBe(401);
    expect((await get(server.port, '/?token=guess', { Host: host })).status).toBe(401);
    expect((await get(server.port, '/', { Host: host, Cookie: `lamina-token-${server.port}=guess` })).status).toBe(401);
    // A DNS-rebound name points at us but is not us.
    expect((await get(server.port, '/', { Host: `evil.example:${server.port}`, Cookie: cookie })).status).toBe(403);
  });

  it('serves nothing outside the renderer folder', async () => {
    const res = await get(server.port, '/..%2fsecret.txt', { Host: host, Cookie: cookie });
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('not for the browser');
  });

  it('lets a socket in only from its own origin, with the token', async () => {
    const api = `ws://${host}/api`;
    const origin = `http://${host}`;
    expect(await trySocket(api, { Origin: origin, Cookie: cookie })).toBe('open');
    expect(await trySocket(`${api}?token=${TOKEN}`, { Origin: origin })).toBe('open');
    expect(await trySocket(api, { Origin: origin })).toBe(403);
    expect(await trySocket(`${api}?token=guess`, { Origin: origin })).toBe(403);
    expect(await trySocket(api, { Origin: 'http://evil.example', Cookie: cookie })).toBe(403);
    expect(await trySocket(api, { Cookie: cookie })).toBe(403);
    expect(await trySocket(`ws://${host}/other`, { Origin: origin, Cookie: cookie })).toBe(403);
  });

  it('will not bind anything but loopback', async () => {
    await expect(startWebServer({ handlers: services.handlers, rendererDir, host: '0.0.0.0' })).rejects.toThrow(
      /listens on loopback only and will not bind 0\.0\.0\.0/,
    );
    const cli = promisify(execFile)(process.execPath, ['bin/lamina.mjs', 'serve', '--host', '0.0.0.0'], { env: { ...process.env, LAMINA_HOME: home } });
    const failure = await cli.then(
      () => null,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toMatch(/^lamina: lamina serve listens on loopback only and will not bind 0\.0\.0\.0; use 127\.0\.0\.1.*\n$/);
  });
});
