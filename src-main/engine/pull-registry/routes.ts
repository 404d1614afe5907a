/**
 * The HTTP face of the pull registry: the read half of the OCI distribution API
 * (the `/v2/` probe, manifests by tag or digest, blobs with Range, tags list),
 * GET and HEAD alike. Writes are refused with UNSUPPORTED. Names are checked on
 * the raw path, before anything is decoded or looked up.
 */
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { DistributionError, errorBody } from './errors.js';
import { parseBlobDigest, parseReference, parseRepository } from './names.js';
import { asDistributionError, type OnDemandImages, type ServedManifest } from './on-demand.js';

const MANIFEST_ROUTE = /^\/v2\/(.+)\/manifests\/([^/]+)$/;
const BLOB_ROUTE = /^\/v2\/(.+)\/blobs\/([^/]+)$/;
const TAGS_ROUTE = /^\/v2\/(.+)\/tags\/list$/;
/** Longer request paths are refused before any matching; a name is at most 255 characters. */
const MAX_PATH = 512;

export type RequestLog = (line: string) => void;

export function registryHandler(images: OnDemandImages, log: RequestLog = () => undefined): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    res.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    route(images, req, res).catch((err: unknown) => {
      const error = asDistributionError(err);
      if (error.status >= 500) log(`${req.method} ${req.url?.slice(0, MAX_PATH)}: ${error.message}`);
      sendError(req, res, error);
    });
  };
}

async function route(images: OnDemandImages, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0]!;
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    throw new DistributionError('UNSUPPORTED', `this registry is read-only: it builds images from the names pulled and takes no ${req.method} requests`);
  }
  if (path === '/v2/' || path === '/v2') return sendJson(req, res, 200, '{}');
  if (path.length > MAX_PATH) throw new DistributionError('NAME_INVALID', `the request path is ${path.length} characters long; names are at most 255`);

  const manifest = MANIFEST_ROUTE.exec(path);
  if (manifest) {
    const repository = manifest[1]!;
    const packages = parseRepository(repository);
    const reference = parseReference(manifest[2]!);
    return sendManifest(req, res, reference.kind === 'tag' ? await images.byTag(repository, packages, reference.tag) : await images.byDigest(repository, reference.digest));
  }
  const blob = BLOB_ROUTE.exec(path);
  if (blob) {
    const repository = blob[1]!;
    parseRepository(repository);
    const digest = parseBlobDigest(blob[2]!);
    return sendBlob(req, res, digest, await images.blob(repository, digest));
  }
  const tags = TAGS_ROUTE.exec(path);
  if (tags) {
    parseRepository(tags[1]!);
    return sendJson(req, res, 200, JSON.stringify({ name: tags[1], tags: images.tags() }));
  }
  throw new DistributionError('UNSUPPORTED', 'not an endpoint of this registry: it answers /v2/, manifests, blobs and tags/list', undefined, 404);
}

function sendJson(req: IncomingMessage, res: ServerResponse, status: number, body: string, type = 'application/json'): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function sendError(req: IncomingMessage, res: ServerResponse, error: DistributionError): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (error.code === 'UNSUPPORTED' && error.status === 405) res.setHeader('Allow', 'GET, HEAD');
  sendJson(req, res, error.status, errorBody(error));
}

function sendManifest(req: IncomingMessage, res: ServerResponse, manifest: ServedManifest): void {
  res.writeHead(200, {
    'Content-Type': manifest.mediaType,
    'Content-Length': manifest.bytes.length,
    'Docker-Content-Digest': manifest.digest,
    ETag: `"${manifest.digest}"`,
  });
  res.end(req.method === 'HEAD' ? undefined : manifest.bytes);
}

/** One byte range of `size` bytes, as `Range: bytes=a-b|a-|-n` asks; null for none or several (the whole blob then). */
export function byteRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  const match = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  const [first, last] = [match[1]!, match[2]!];
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

async function sendBlob(req: IncomingMessage, res: ServerResponse, digest: string, blob: { file: string; size: number }): Promise<void> {
  const headers = { 'Content-Type': 'application/octet-stream', 'Docker-Content-Digest': digest, ETag: `"${digest}"`, 'Accept-Ranges': 'bytes' };
  const range = byteRange(req.headers.range, blob.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...headers, 'Content-Range': `bytes */${blob.size}`, 'Content-Length': 0 });
    res.end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: blob.size - 1 };
  const length = blob.size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, { ...headers, 'Content-Length': length, ...(range ? { 'Content-Range': `bytes ${start}-${end}/${blob.size}` } : {}) });
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  // A client that goes away mid-blob ends the pipeline with an error: nothing to record, the stream is closed.
  await pipeline(createReadStream(blob.file, { start, end }), res).catch(() => res.destroy());
}
