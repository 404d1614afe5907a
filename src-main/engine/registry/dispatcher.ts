/**
 * How Lamina reaches one registry: TLS that trusts the system's store plus the
 * registry's certs.d folder (or --cert-dir), a client certificate when the folder
 * has one, and the proxy that HTTPS_PROXY / HTTP_PROXY name unless NO_PROXY
 * exempts the host (undici's EnvHttpProxyAgent reads them, upper or lower case).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { createSecureContext, type SecureContext } from 'node:tls';
import { setFlagsFromString } from 'node:v8';
import type { Agent as UndiciAgent, Dispatcher, EnvHttpProxyAgent as UndiciEnvHttpProxyAgent } from 'undici';
import { certsDirFor, readCertsDir, type RegistryCerts } from './certs-d.js';
import { systemOnlyRoots } from './system-ca.js';

/*
 * undici's index also loads fetch, WebSocket, EventSource, cookies, caches and
 * mocks: 0.1 s of every registry command's start (of 0.7 s for a no-change push).
 * A direct connection needs the agent and `request` only, so those files are
 * loaded alone (undici publishes no exports map; the registry tests go through
 * here and fail at once should a new undici move them). The proxy agent relies on
 * what the index wires into every dispatcher, so with a proxy the index is loaded.
 */
const load = createRequire(import.meta.url);
// Loaded when first used, not with this module: a build imports the registry code
// (for --push and team caches) but most builds never reach a registry.
const agent = (): typeof UndiciAgent => load('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;
type RequestFn = (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>;
const dispatchRequest = (): RequestFn => load('undici/lib/api/api-request.js') as RequestFn;
const proxyAgent = (): typeof UndiciEnvHttpProxyAgent => (load('undici') as { EnvHttpProxyAgent: typeof UndiciEnvHttpProxyAgent }).EnvHttpProxyAgent;

/** undici's `request(url, options)` on `dispatcher`. */
export function sendRequest(dispatcher: Dispatcher, url: URL, options: Omit<Dispatcher.RequestOptions, 'origin' | 'path'>): Promise<Dispatcher.ResponseData> {
  return dispatchRequest().call(dispatcher, { ...options, origin: url.origin, path: `${url.pathname}${url.search}` });
}

export interface DispatcherOptions {
  /** false: accept any certificate. */
  readonly tlsVerify: boolean;
  /** A folder of ca.crt / *.cert / *.key used instead of the certs.d lookup, as skopeo's --cert-dir. */
  readonly certDir?: string;
  readonly connections: number;
}

const PROXY_VARS = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];

export function proxyConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  return PROXY_VARS.some((name) => Boolean(env[name]));
}

/** The certificates for `host`: --cert-dir when given, else its certs.d folder, else none. */
export function registryCerts(host: string, certDir?: string): RegistryCerts | undefined {
  if (certDir !== undefined) return readCertsDir(certDir);
  const dir = certsDirFor(host);
  return dir ? readCertsDir(dir) : undefined;
}

const contexts = new Map<string, SecureContext>();

/**
 * The TLS context for a registry's certificates: Node's roots, the system's and
 * the registry's CAs, its client certificate. Built once per process for the same
 * certificates. The CAs are added to a context that starts from Node's roots
 * rather than passed as `ca`, which would parse Node's whole list again for each
 * context (about 10x the time, the larger part of a no-change push's start).
 */
function secureContext(certs: RegistryCerts | undefined): SecureContext {
  const extra = [...systemOnlyRoots(), ...(certs?.ca ?? [])];
  const key = createHash('sha256').update(JSON.stringify([extra, certs?.client ?? null])).digest('hex');
  let context = contexts.get(key);
  if (!context) {
    context = createSecureContext(certs?.client ? { cert: certs.client.cert, key: certs.client.key } : {});
    // Node's native context (typed any) adds to a copy of the shared root store, as createSecureContext's own `ca` handling does.
    const native = context.context as { addCACert(pem: string): void };
    for (const pem of extra) native.addCACert(pem);
    contexts.set(key, context);
  }
  return context;
}

/**
 * undici parses HTTP with llhttp compiled to WebAssembly, which V8 compiles twice:
 * at once with its baseline compiler, then again in the background with its
 * optimising one. That second compile cost a no-change push about 0.2 s of CPU and
 * 35 MB of peak memory, and held the process's exit until it was done (0.2-0.5 s
 * here), for nothing measurable: 340 MB of blobs downloaded with the same CPU
 * either way. The flag is read when the module is compiled, at the first connection.
 */
function baselineWasmOnly(): void {
  setFlagsFromString('--liftoff-only');
}

/** One dispatcher for the registry named `host` (as references write it). */
export function registryDispatcher(host: string, options: DispatcherOptions): Dispatcher {
  baselineWasmOnly();
  const certs = registryCerts(host, options.certDir);
  const tls = { rejectUnauthorized: options.tlsVerify, secureContext: secureContext(certs) };
  const common = { connections: options.connections, keepAliveTimeout: 10_000 };
  if (proxyConfigured()) return new (proxyAgent())({ ...common, connect: tls, requestTls: tls });
  return new (agent())({ ...common, connect: tls });
}
