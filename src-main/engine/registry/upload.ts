import { setTimeout as sleep } from 'node:timers/promises';
import { LaminaError } from '../../../src-shared/errors.js';
import { BlobReader } from './blob-reader.js';
import { pullScope, pushScope, type RegistryClient } from './client.js';
import type { PushBlob } from './payloads.js';
import { isBrokenConnection } from './network-error.js';
import { errorCodes, registryError } from './registry-error.js';
import { backoffDelay, header, resolveLocation, retryAfterMs, RETRY_STATUS, type RegistryResponse } from './transport.js';

/**
 * Blobs up to this size go in one PUT; bigger ones in PATCH requests of this many
 * bytes. Either way the bytes stream from the source: the size only sets how much
 * is sent again after a failure, not how much memory a push holds.
 */
export const DEFAULT_CHUNK_SIZE = 64 * 1024 * 1024;

export interface UploadOptions {
  readonly chunkSize?: number;
  /** Bytes of the blob the registry has confirmed so far. */
  readonly onBytes?: (confirmed: number) => void;
}

/** The session is lost or its content can no longer be trusted: begin the blob again. */
class RestartUpload extends Error {}

function location(res: RegistryResponse): URL {
  const value = header(res, 'location');
  if (!value) throw new LaminaError('the registry started an upload without saying where to send it (no Location header)', 'bad-registry');
  // Relative or absolute: both are resolved against the URL that answered.
  return resolveLocation(value, res.url, res.url.host);
}

/**
 * Bytes the registry holds for an upload session, from its Range header `0-N`.
 * Undefined when it cannot be told: distribution answers `0-0` for 0 bytes and for 1.
 */
export function heldBytes(range: string | undefined): number | undefined {
  const m = /^(?:bytes=)?0-(\d+)$/.exec((range ?? '').trim());
  if (!m) return undefined;
  const end = Number(m[1]);
  return end === 0 ? undefined : end + 1;
}

/** Tries to mount a blob from another repository; a 202 means the registry opened an upload session instead. */
export async function mountBlob(client: RegistryClient, repository: string, digest: string, from: string): Promise<{ mounted: true } | { mounted: false; session?: URL }> {
  const url = `/v2/${repository}/blobs/uploads/?mount=${encodeURIComponent(digest)}&from=${encodeURIComponent(from)}`;
  const res = await client.transport.send({ method: 'POST', url, scopes: [pushScope(repository), pullScope(from)] });
  await res.body.dump();
  if (res.status === 201) return { mounted: true };
  if (res.status === 202 && header(res, 'location')) return { mounted: false, session: location(res) };
  return { mounted: false };
}

async function startSession(client: RegistryClient, repository: string): Promise<URL> {
  const res = await client.transport.send({ method: 'POST', url: `/v2/${repository}/blobs/uploads/`, scopes: [pushScope(repository)] });
  if (res.status !== 202) return client.fail(res, 'start an upload', repository);
  await res.body.dump();
  return location(res);
}

/**
 * Uploads one blob: one PUT when it fits a chunk, else PATCH chunks with
 * Content-Range, streamed from the source. After a failure it asks the registry
 * how much it holds and goes on from there (distribution appends whatever arrives,
 * whatever Content-Range says); when that cannot be trusted it starts a new
 * session. Bounded by the transport's retry policy.
 */
export async function uploadBlob(client: RegistryClient, repository: string, blob: PushBlob, options: UploadOptions = {}, session?: URL): Promise<void> {
  const policy = client.transport.retry;
  const source = new BlobReader(blob);
  let failures = 0;
  let current = session;
  try {
    for (;;) {
      try {
        await uploadOnce(client, repository, blob, source, options, current);
        return;
      } catch (err) {
        if (!(err instanceof RestartUpload) || ++failures >= policy.attempts) {
          if (err instanceof RestartUpload) throw new LaminaError(`uploading ${blob.digest.slice(0, 19)} to ${client.registry}/${repository} kept failing; try again later`, 'upload-failed');
          throw err;
        }
        current = undefined;
        await sleep(backoffDelay(policy, failures), undefined, { signal: client.transport.signal });
      }
    }
  } finally {
    source.close();
  }
}

async function uploadOnce(client: RegistryClient, repository: string, blob: PushBlob, source: BlobReader, options: UploadOptions, session: URL | undefined): Promise<void> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  let loc = session ?? (await startSession(client, repository));
  if (blob.size <= chunkSize) {
    await finish(client, repository, blob, loc, source, true);
    options.onBytes?.(blob.size);
    return;
  }
  for (let offset = 0; offset < blob.size; ) {
    const end = Math.min(offset + chunkSize, blob.size);
    loc = await sendChunk(client, repository, loc, source, offset, end);
    offset = end;
    options.onBytes?.(offset);
  }
  // The source must be what it claims before the registry is told to commit it.
  await source.verify();
  await finish(client, repository, blob, loc, source, false);
}

/** Sends bytes [start, end), resuming inside them after failures. Answers the next Location. */
async function sendChunk(client: RegistryClient, repository: string, session: URL, source: BlobReader, start: number, end: number): Promise<URL> {
  const policy = client.transport.retry;
  let loc = session;
  let held = start;
  for (let failures = 0; ; ) {
    let wait: number | undefined;
    try {
      const from = held;
      const res = await client.transport.send({
        method: 'PATCH',
        url: loc.toString(),
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${from}-${end - 1}`, 'content-length': String(end - from) },
        body: () => source.range(from, end),
        scopes: [pushScope(repository)],
        retry: false,
      });
      if (res.status === 202) {
        await res.body.dump();
        loc = location(res);
        const range = header(res, 'range');
        if (heldBytes(range) === end || (end === 1 && range === '0-0')) return loc;
      } else if (res.status === 404 || res.status === 416 || RETRY_STATUS.has(res.status)) {
        wait = retryAfterMs(header(res, 'retry-after'));
        const body = await bodyJson(res);
        if (res.status === 404 && errorCodes(body).includes('BLOB_UPLOAD_UNKNOWN')) throw new RestartUpload();
      } else {
        return client.fail(res, `upload blob data`, repository);
      }
    } catch (err) {
      if (!isBrokenConnection(err)) throw err;
    }
    if (++failures >= policy.attempts) throw new RestartUpload();
    await sleep(wait ?? backoffDelay(policy, failures), undefined, { signal: client.transport.signal });
    const status = await uploadStatus(client, repository, loc);
    if (!status) throw new RestartUpload();
    loc = status.location;
    if (status.held === undefined || status.held < start || status.held > end) throw new RestartUpload();
    held = status.held;
    if (held === end) return loc;
  }
}

async function bodyJson(res: RegistryResponse): Promise<unknown> {
  try {
    return JSON.parse(await res.body.text());
  } catch {
    return undefined;
  }
}

/** Where an upload session stands (GET on its Location), or undefined when the session is gone. */
async function uploadStatus(client: RegistryClient, repository: string, loc: URL): Promise<{ location: URL; held: number | undefined } | undefined> {
  const res = await client.transport.send({ method: 'GET', url: loc.toString(), scopes: [pushScope(repository)] });
  await res.body.dump();
  if (res.status !== 204 && res.status !== 202) return undefined;
  return { location: header(res, 'location') ? location(res) : loc, held: heldBytes(header(res, 'range')) };
}

/**
 * Commits the upload with PUT ?digest= (carrying the whole blob when `whole`).
 * A broken answer is settled by asking whether the blob now exists.
 */
async function finish(client: RegistryClient, repository: string, blob: PushBlob, loc: URL, source: BlobReader, whole: boolean): Promise<void> {
  const url = new URL(loc);
  url.searchParams.set('digest', blob.digest);
  let res: RegistryResponse;
  try {
    res = await client.transport.send({
      method: 'PUT',
      url: url.toString(),
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(whole ? blob.size : 0) },
      ...(whole ? { body: () => source.range(0, blob.size) } : {}),
      scopes: [pushScope(repository)],
      retry: false,
    });
  } catch (err) {
    // A source that ended early or failed its own digest check is no network trouble.
    if (whole && source.complete) await source.verify();
    if (!isBrokenConnection(err)) throw err;
    if ((await client.blobSize(repository, blob.digest, pushScope(repository))) === blob.size) return;
    throw new RestartUpload();
  }
  if (res.status === 201) {
    await res.body.dump();
    const confirmed = header(res, 'docker-content-digest');
    if (confirmed && confirmed !== blob.digest) {
      throw new LaminaError(`${client.registry} stored blob ${blob.digest.slice(0, 19)} under another digest (${confirmed.slice(0, 19)}); the registry is misbehaving`, 'digest-mismatch');
    }
    return;
  }
  const body = await bodyJson(res);
  // The registry refused what it got: when that was all of a source that is not what it claims, say so.
  if (whole && source.complete) await source.verify();
  // distribution kills the session after DIGEST_INVALID; 408, 429 and 5xx may leave it half done.
  if (errorCodes(body).includes('DIGEST_INVALID') || errorCodes(body).includes('BLOB_UPLOAD_UNKNOWN') || res.status === 404 || RETRY_STATUS.has(res.status)) {
    if ((await client.blobSize(repository, blob.digest, pushScope(repository))) === blob.size) return;
    throw new RestartUpload();
  }
  throw registryError({ status: res.status, body, registry: client.registry, repository, doing: 'commit an upload', sentCredentials: client.transport.sentCredentials });
}
