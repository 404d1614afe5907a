import { execFileSync } from 'node:child_process';
import { createSign, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TokenServer {
  readonly realm: string;
  readonly service: string;
  readonly issuer: string;
  /** The self-signed certificate distribution checks tokens against (rootcertbundle). */
  readonly certFile: string;
  /** Every token request, in order: who asked (undefined for anonymous) and for which scopes. */
  readonly requests: { user: string | undefined; scopes: string[] }[];
  /** The next this-many tokens are issued already expired (while claiming 300 s), as a stale cache would hold. */
  expireNext: number;
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/**
 * A docker token service for tests: checks Basic credentials against `users`,
 * grants known users what they ask for (anonymous callers only `pull`), and signs
 * RS256 JWTs with a key whose self-signed certificate rides in the x5c header.
 */
export async function startTokenServer(users: Record<string, string>): Promise<TokenServer> {
  const dir = mkdtempSync(join(tmpdir(), 'lamina-token-'));
  const keyFile = join(dir, 'key.pem');
  const certFile = join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=lamina-test-token'], { stdio: 'ignore' });
  const key = readFileSync(keyFile, 'utf8');
  const certDer = readFileSync(certFile, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const service = 'lamina-test-registry';
  const issuer = 'lamina-test-issuer';
  const requests: TokenServer['requests'] = [];

  const sign = (user: string | undefined, scopes: string[]): string => {
    // Past distribution's 60 s leeway when asked for an expired token.
    const now = Math.floor(Date.now() / 1000) - (self.expireNext-- > 0 ? 600 : 0);
    const access = scopes.flatMap((scope) => {
      const [type, name, actions] = scope.split(':');
      if (!type || !name || actions === undefined) return [];
      const wanted = actions.split(',');
      return [{ type, name, actions: user ? wanted : wanted.filter((a) => a === 'pull') }];
    });
    const header = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', x5c: [certDer] }));
    const claims = b64url(JSON.stringify({ iss: issuer, sub: user ?? '', aud: service, exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access }));
    const signature = createSign('RSA-SHA256').update(`${header}.${claims}`).sign(key);
    return `${header}.${claims}.${b64url(signature)}`;
  };

  const self = { expireNext: 0 };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token');
    const scopes = url.searchParams.getAll('scope').flatMap((s) => s.split(' ')).filter(Boolean);
    const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
    let user: string | undefined;
    if (basic) {
      const [name, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      if (!name || users[name] !== rest.join(':')) {
        res.writeHead(401, { 'content-type': 'application/json' }).end('{"details":"bad credentials"}');
        return;
      }
      user = name;
    }
    requests.push({ user, scopes });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: sign(user, scopes), expires_in: 300 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(self, {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certFile,
    requests,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  });
}
