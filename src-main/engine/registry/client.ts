import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { LaminaError } from '../../../src-shared/errors.js';
import { DigestCheck } from '../image/layer-streams.js';
import { checkSupportedDigest } from '../image/digest.js';
import { sha256Digest } from '../image/sha256.js';
import type { ManifestBytes } from './payloads.js';
import { ACCEPT_MANIFESTS } from '../image/media-types.js';
import { registryError } from './registry-error.js';
import { isConnectionReset } from './network-error.js';
import { RegistryTransport, backoffDelay, header, type RegistryResponse, type TransportOptions } from './transport.js';

/** Scopes for the token a request needs. */
export const pullScope = (repository: string): string => `repository:${repository}:pull`;
export const pushScope = (repository: string): string => `repository:${repository}:pull,push`;

/** Manifests are small; anything bigger than this is not one (distribution caps at 4 MiB too). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

async function readJson(res: RegistryResponse): Promise<unknown> {
  const text = await res.body.text().catch(() => '');
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The distribution API of one registry: existence checks, manifests, blobs, tags
 * and catalog. Uploads live in upload.ts and the push plan in push.ts; both use
 * `transport` directly.
 */
export class RegistryClient {
  readonly transport: RegistryTransport;

  constructor(options: TransportOptions) {
    this.transport = new RegistryTransport(options);
  }

  get registry(): string {
    return this.transport.registry;
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  /** Throws the one-line error for a refused request after reading its error body. */
  async fail(res: RegistryResponse, doing: string, repository?: string): Promise<never> {
    const consumed = res.body.bodyUsed || res.body.destroyed || res.body.readableEnded;
    const body = consumed ? undefined : await readJson(res);
    throw registryError({ status: res.status, body, registry: this.registry, doing, sentCredentials: this.transport.sentCredentials, ...(repository ? { repository } : {}) });
  }

  /**
   * The blob's size when the repository has it, else undefined. A push passes its
   * push scope so that one token serves the whole push.
   */
  async blobSize(repository: string, digest: string, scope: string = pullScope(repository)): Promise<number | undefined> {
    const res = await this.transport.send({ method: 'HEAD', url: `/v2/${repository}/blobs/${digest}`, scopes: [scope] });
    if (res.status !== 200 && res.status !== 404) return this.fail(res, `check blob ${digest.slice(0, 19)}`, repository);
    await res.body.dump();
    return res.status === 200 ? Number(header(res, 'content-length') ?? 0) : undefined;
  }

  /** Digest and type of a manifest by tag or digest, or undefined when there is none. */
  async manifestHead(repository: string, reference: string, scope: string = pullScope(repository)): Promise<{ digest: string; mediaType: string; size: number } | undefined> {
    const res = await this.transport.send({
      method: 'HEAD',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: ACCEPT_MANIFESTS },
      scopes: [scope],
    });
    if (res.status !== 200 && res.status !== 404) return this.fail(res, `check manifest ${reference}`, repository);
    await res.body.dump();
    if (res.status === 404) return undefined;
    const digest = header(res, 'docker-content-digest');
    if (!digest) return undefined;
    return { digest, mediaType: header(res, 'content-type') ?? '', size: Number(header(res, 'content-length') ?? 0) };
  }

  /** A manifest or index by tag or digest, as its exact bytes, verified when asked by digest. */
  async getManifest(repository: string, reference: string): Promise<ManifestBytes> {
    const res = await this.transport.send({
      method: 'GET',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { accept: ACCEPT_MANIFESTS },
      scopes: [pullScope(repository)],
    });
    if (res.status !== 200) return this.fail(res, `read manifest ${reference}`, repository);
    const declared = Number(header(res, 'content-length') ?? 0);
    if (declared > MAX_MANIFEST_BYTES) {
      await res.body.dump();
      throw new LaminaError(`the manifest ${reference} in ${this.registry}/${repository} is ${declared} bytes, too big to be a manifest`, 'bad-manifest');
    }
    const bytes = Buffer.from(await res.body.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (reference.includes(':') && reference !== digest) {
      throw new LaminaError(`${this.registry}/${repository} sent a manifest that does not match ${reference}; the registry is corrupt or tampered with`, 'digest-mismatch');
    }
    const contentType = (header(res, 'content-type') ?? '').split(';')[0]!.trim();
    const mediaType = contentType || mediaTypeInside(bytes);
    return { bytes, mediaType, digest };
  }

  /**
   * A blob as a stream that errors at its end unless the bytes match `digest` and
   * `size`: consumers must not trust the content until the stream has ended. A
   * download that breaks off goes on from where it stopped (Range), within the
   * retry policy.
   */
  async getBlob(repository: string, digest: string, size?: number): Promise<Readable> {
    checkSupportedDigest(digest);
    const first = await this.transport.send({ method: 'GET', url: `/v2/${repository}/blobs/${digest}`, scopes: [pullScope(repository)] });
    if (first.status !== 200) return this.fail(first, `read blob ${digest.slice(0, 19)}`, repository);
    const what = `blob ${digest.slice(0, 19)} from ${this.registry}/${repository}`;
    const verifier = new DigestCheck(size === undefined ? { digest } : { digest, size }, what);
    const source = Readable.from(this.resumingBody(repository, digest, first, what));
    source.on('error', (err) => verifier.destroy(err));
    verifier.on('close', () => source.destroy());
    return source.pipe(verifier);
  }

  private async *resumingBody(repository: string, digest: string, first: RegistryResponse, what: string): AsyncGenerator<Buffer> {
    const policy = this.transport.retry;
    let res = first;
    let received = 0;
    for (let failures = 0; ; ) {
      // A server that ignores Range sends everything again: skip what we already have.
      let skip = res.status === 200 ? received : 0;
      try {
        for await (const data of res.body) {
          let chunk = data as Buffer;
          if (skip > 0) {
            const drop = Math.min(skip, chunk.length);
            skip -= drop;
            chunk = chunk.subarray(drop);
            if (chunk.length === 0) continue;
          }
          received += chunk.length;
          yield chunk;
        }
        return;
      } catch (err) {
        if (!isConnectionReset(err) || ++failures >= policy.attempts) {
          throw new LaminaError(`reading ${what} broke off after ${received} bytes; try again`, 'connection-reset', { cause: err });
        }
      }
      await sleep(backoffDelay(policy, failures), undefined, { signal: this.transport.signal });
      res = await this.transport.send({
        method: 'GET',
        url: `/v2/${repository}/blobs/${digest}`,
        headers: { range: `bytes=${received}-` },
        scopes: [pullScope(repository)],
      });
      const range = /^bytes (\d+)-/.exec(header(res, 'content-range') ?? '');
      if (res.status === 206 && Number(range?.[1]) !== received) {
        await res.body.dump();
        throw new LaminaError(`${this.registry} resumed ${what} at the wrong offset; try again`, 'bad-registry');
      }
      if (res.status !== 200 && res.status !== 206) return this.fail(res, `read blob ${digest.slice(0, 19)}`, repository);
    }
  }

  /** A whole blob, verified, in memory: for configs and other small JSON. */
  async getBlobBytes(repository: string, digest: string, size?: number): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.getBlob(repository, digest, size)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async listTags(repository: string): Promise<string[]> {
    return this.paged(`/v2/${repository}/tags/list`, 'tags', [pullScope(repository)], `list tags`, repository);
  }

  async catalog(): Promise<string[]> {
    return this.paged('/v2/_catalog', 'repositories', ['registry:catalog:*'], 'list repositories');
  }

  /** Follows RFC 5988 `Link: <…>; rel="next"` pages, as the distribution spec paginates. */
  private async paged(first: string, field: string, scopes: string[], doing: string, repository?: string): Promise<string[]> {
    const all: string[] = [];
    let next: string | undefined = first;
    for (let page = 0; next && page < 10_000; page++) {
      const res = await this.transport.send({ method: 'GET', url: next, scopes });
      if (res.status !== 200) return this.fail(res, doing, repository);
      const body = (await readJson(res)) as Record<string, unknown> | undefined;
      const items = body?.[field];
      if (Array.isArray(items)) all.push(...items.map(String));
      const link = header(res, 'link');
      const match = link ? /<([^>]+)>\s*;\s*rel="?next"?/.exec(link) : null;
      next = match ? new URL(match[1]!, res.url).toString() : undefined;
    }
    return all;
  }

  /** Puts a manifest under a tag or its digest; answers the digest the registry gave it. */
  async putManifest(repository: string, reference: string, manifest: { bytes: Buffer; mediaType: string }): Promise<RegistryResponse> {
    return this.transport.send({
      method: 'PUT',
      url: `/v2/${repository}/manifests/${reference}`,
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
      scopes: [pushScope(repository)],
    });
  }
}

function mediaTypeInside(bytes: Buffer): string {
  try {
    return String((JSON.parse(bytes.toString('utf8')) as { mediaType?: unknown }).mediaType ?? '');
  } catch {
    return '';
  }
}
