/**
 * The team cache index as it lives in a registry: an OCI manifest under a tag,
 * whose config is the index document (index-document.ts) and whose layers are
 * every blob the index names. Naming them as layers makes the registry refuse the
 * manifest unless it holds each blob in this repository, and keeps them from its
 * garbage collection.
 *
 * Distribution has no conditional PUT, so a write is read, merge, write, wait,
 * re-read, and again while the re-read lacks one of this writer's entries. See
 * writeIndex for the guarantee that gives.
 */
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import pLimit from 'p-limit';
import { LaminaError } from '../../../src-shared/errors.js';
import { parseManifest } from '../image/validate.js';
import { pushScope, type RegistryClient } from '../registry/client.js';
import { sha256Digest } from '../image/sha256.js';
import { MediaType } from '../image/media-types.js';
import { errorCodes, registryError } from '../registry/registry-error.js';
import { uploadBlob } from '../registry/upload.js';
import {
  MAX_DOCUMENT_BYTES,
  TEAM_CACHE_ARTIFACT_TYPE,
  TEAM_CACHE_MEDIA_TYPE,
  mergeEntries,
  parseIndexDocument,
  serializeIndexDocument,
  type TeamCacheEntry,
} from './index-document.js';

export interface IndexLocation {
  readonly repository: string;
  readonly tag: string;
}

export interface ReadIndex {
  readonly entries: ReadonlyMap<string, TeamCacheEntry>;
  readonly ignored: number;
  /** The manifest's digest; undefined when the tag holds nothing yet. */
  readonly digest?: string;
}

const EMPTY: ReadIndex = { entries: new Map(), ignored: 0 };

function where(client: RegistryClient, at: IndexLocation): string {
  return `the team cache ${client.registry}/${at.repository}:${at.tag}`;
}

/** The index under the tag: empty when there is none yet; a LaminaError (`bad-team-cache`) when it is not a readable index. */
export async function readIndex(client: RegistryClient, at: IndexLocation): Promise<ReadIndex> {
  let manifest;
  try {
    manifest = await client.getManifest(at.repository, at.tag);
  } catch (err) {
    if (err instanceof LaminaError && (err.code === 'manifest-unknown' || err.code === 'name-unknown')) return EMPTY;
    throw err;
  }
  const parsed = parseManifest(manifest.bytes, where(client, at));
  if (parsed.config.mediaType !== TEAM_CACHE_MEDIA_TYPE) {
    throw new LaminaError(`${where(client, at)} holds something else (config type ${parsed.config.mediaType.slice(0, 80)}), not a Lamina cache index`, 'not-team-cache');
  }
  if (parsed.config.size > MAX_DOCUMENT_BYTES) {
    throw new LaminaError(`${where(client, at)} is ${parsed.config.size} bytes, more than a cache index may be`, 'bad-team-cache');
  }
  const bytes = await client.getBlobBytes(at.repository, parsed.config.digest, parsed.config.size);
  return { ...parseIndexDocument(bytes, where(client, at)), digest: manifest.digest };
}

export interface WriteOptions {
  /** One line each for what the write had to repair in the index it found. */
  readonly onWarning?: (text: string) => void;
  /** Least wait between a write and its re-read; the wait grows with the write's own duration. */
  readonly settleMs?: number;
  readonly attempts?: number;
}

export interface WriteOutcome {
  /** Entries in the index this writer last wrote. */
  readonly entries: number;
  readonly attempts: number;
}

const DEFAULT_SETTLE_MS = 300;
const DEFAULT_ATTEMPTS = 6;

/**
 * Adds `mine` (entries whose blobs the registry confirmed in this repository) to
 * the index. Each round reads the index, merges, writes, then waits at least
 * twice as long as its own read-to-write took (plus jitter) and re-reads; it
 * returns once the re-read holds every key of `mine`. Another writer can still
 * clobber these entries only if its own read came before this write and its
 * write after this re-read, i.e. if its read-to-write took longer than this
 * writer's wait; each writer checks its own entries the same way, so two
 * writers of similar speed lose nothing.
 */
export async function writeIndex(client: RegistryClient, at: IndexLocation, mine: readonly TeamCacheEntry[], options: WriteOptions = {}): Promise<WriteOutcome> {
  const attempts = options.attempts ?? DEFAULT_ATTEMPTS;
  const warn = onceEach(options.onWarning);
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const started = Date.now();
    const existing = await readForMerge(client, at, warn);
    const written = await putIndex(client, at, mergeEntries(existing.values(), mine), new Set(mine.map((e) => e.key)), warn);
    const took = Date.now() - started;
    await sleep(Math.max(options.settleMs ?? DEFAULT_SETTLE_MS, 2 * took) + Math.random() * 200, undefined, { signal: client.transport.signal });
    const reread = await readForMerge(client, at, () => undefined);
    if (mine.every((e) => reread.has(e.key))) return { entries: written, attempts: attempt };
  }
  throw new LaminaError(`${where(client, at)} kept changing under other writers; this build's entries may be missing from it: run the build again`, 'team-cache-contended');
}

/** The entries to merge with: none when the tag holds nothing, or an index so broken that it is replaced (with a warning). */
async function readForMerge(client: RegistryClient, at: IndexLocation, warn: (text: string) => void): Promise<Map<string, TeamCacheEntry>> {
  try {
    const read = await readIndex(client, at);
    if (read.ignored > 0) warn(`${where(client, at)} had ${read.ignored} malformed entries; they are dropped`);
    return new Map(read.entries);
  } catch (err) {
    if (err instanceof LaminaError && err.code === 'bad-team-cache') {
      warn(`${err.message}; writing a fresh index over it`);
      return new Map();
    }
    if (err instanceof LaminaError && err.code === 'not-team-cache') {
      throw new LaminaError(`${err.message}; give --cache-to a tag of its own`, 'not-team-cache');
    }
    throw err;
  }
}

/**
 * Uploads the document and puts the manifest; answers the number of entries
 * written. When the registry refuses because a named blob is gone (deleted by
 * someone), the others' entries whose blobs are gone are dropped and it tries
 * once more. `own` blobs were just confirmed, so they are never the missing ones.
 */
async function putIndex(client: RegistryClient, at: IndexLocation, entries: Map<string, TeamCacheEntry>, own: ReadonlySet<string>, warn: (text: string) => void): Promise<number> {
  for (let pruned = false; ; pruned = true) {
    const doc = serializeIndexDocument(entries.values());
    const docDigest = sha256Digest(doc);
    if ((await client.blobSize(at.repository, docDigest, pushScope(at.repository))) === undefined) {
      await uploadBlob(client, at.repository, { digest: docDigest, size: doc.length, mediaType: TEAM_CACHE_MEDIA_TYPE, open: async () => Readable.from([doc]) });
    }
    const layers = new Map<string, { mediaType: string; digest: string; size: number }>();
    for (const e of entries.values()) layers.set(e.digest, { mediaType: e.mediaType, digest: e.digest, size: e.size });
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: MediaType.ociManifest,
        artifactType: TEAM_CACHE_ARTIFACT_TYPE,
        config: { mediaType: TEAM_CACHE_MEDIA_TYPE, digest: docDigest, size: doc.length },
        layers: [...layers.values()].sort((a, b) => (a.digest < b.digest ? -1 : 1)),
      }),
    );
    const res = await client.putManifest(at.repository, at.tag, { bytes: manifest, mediaType: MediaType.ociManifest });
    const text = await res.body.text().catch(() => '');
    if (res.status === 201) return entries.size;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const codes = errorCodes(body);
    if (!pruned && (codes.includes('MANIFEST_BLOB_UNKNOWN') || codes.includes('BLOB_UNKNOWN'))) {
      const gone = await missingBlobs(client, at.repository, [...entries.values()].filter((e) => !own.has(e.key)));
      for (const key of gone) entries.delete(key);
      if (gone.length > 0) warn(`${where(client, at)} named ${gone.length} layers the registry no longer has; those entries are dropped`);
      continue;
    }
    throw registryError({ status: res.status, body, registry: client.registry, repository: at.repository, doing: 'write the team cache index', sentCredentials: client.transport.sentCredentials });
  }
}

/** Keys of entries whose blob the repository does not hold. */
async function missingBlobs(client: RegistryClient, repository: string, entries: readonly TeamCacheEntry[]): Promise<string[]> {
  const limit = pLimit(8);
  const found = await Promise.all(entries.map((e) => limit(async () => ((await client.blobSize(repository, e.digest, pushScope(repository))) === undefined ? e.key : undefined))));
  return found.filter((key): key is string => key !== undefined);
}

/** A warning callback that says each distinct line once, however many rounds the write takes. */
function onceEach(warn: ((text: string) => void) | undefined): (text: string) => void {
  const said = new Set<string>();
  return (text) => {
    if (said.has(text)) return;
    said.add(text);
    warn?.(text);
  };
}
