/**
 * The team cache index: a JSON document of our own media type that maps layer
 * cache keys (store-layer-cache's layerCacheKey) to the layers' descriptors. It
 * comes from a registry any colleague can write to, so it is read as hostile
 * input: the size is capped before it is fetched, the shape is checked with a
 * schema, and an entry is kept only if its key is the one its own fields give
 * and its media type is the one its compression gives. What is still unproven
 * after that (that the blob holds what the entry says) is proven when the blob
 * is fetched: digest and diffID are checked as it streams in.
 */
import { z } from 'zod';
import { LaminaError } from '../../../src-shared/errors.js';
import { LAYER_COMPRESSIONS } from '../../../src-shared/compressions.js';
import { layerMediaType } from '../image/media-types.js';
import { layerCacheKey } from '../store/layer-cache.js';

export const TEAM_CACHE_MEDIA_TYPE = 'application/vnd.lamina.cache.v1+json';
/** The manifest's artifactType, so registries and tools that list artifacts can tell what it is. */
export const TEAM_CACHE_ARTIFACT_TYPE = TEAM_CACHE_MEDIA_TYPE;

/** Bigger documents are refused unread: 10,000 entries of a few hundred store paths fit well below it. */
export const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;
/**
 * Entries kept in one index; a write drops the oldest beyond it. The index's
 * manifest names every entry's blob (so the registry keeps them), and this keeps
 * that manifest under distribution's 4 MiB limit.
 */
export const MAX_ENTRIES = 10_000;

const digest = z.string().regex(/^sha256:[a-f0-9]{64}$/);

export const entrySchema = z.object({
  key: z.string().regex(/^[a-f0-9]{64}$/),
  kind: z.enum(['store-paths', 'customisation']),
  /** Store paths of the layer, or the customisation layer's roots in order. */
  paths: z.array(z.string().startsWith('/nix/store/').max(4096)).max(100_000),
  compression: z.enum(LAYER_COMPRESSIONS),
  // A number for the first formats; since gzip became libdeflate's, a string naming the engine too (layers/format.ts).
  formatVersion: z.union([z.number().int().positive(), z.string().min(1).max(64)]),
  digest,
  diffId: digest,
  size: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  uncompressedSize: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  mediaType: z.string().max(255),
  /** Milliseconds since the epoch when a writer last confirmed the blob: the oldest go first past MAX_ENTRIES. */
  confirmedAt: z.number().int().nonnegative(),
});

export type TeamCacheEntry = z.infer<typeof entrySchema>;

const documentSchema = z.object({
  schemaVersion: z.literal(1),
  entries: z.array(z.unknown()).max(MAX_ENTRIES * 2),
});

export interface ParsedIndex {
  readonly entries: ReadonlyMap<string, TeamCacheEntry>;
  /** Entries dropped as malformed or inconsistent. */
  readonly ignored: number;
}

/** True when the entry's key is the one its own fields give, and its media type matches its compression. */
export function isConsistent(entry: TeamCacheEntry): boolean {
  return (
    entry.mediaType === layerMediaType(entry.compression) &&
    entry.key === layerCacheKey({ kind: entry.kind, paths: entry.paths, compression: entry.compression, formatVersion: entry.formatVersion })
  );
}

/** Parses a document; a wrong whole (not JSON, wrong shape) throws, wrong entries are counted and left out. */
export function parseIndexDocument(bytes: Buffer, what: string): ParsedIndex {
  if (bytes.length > MAX_DOCUMENT_BYTES) throw new LaminaError(`${what} is ${bytes.length} bytes, more than a cache index may be`, 'bad-team-cache');
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new LaminaError(`${what} is not valid JSON`, 'bad-team-cache');
  }
  const doc = documentSchema.safeParse(json);
  if (!doc.success) throw new LaminaError(`${what} is not a Lamina cache index (${doc.error.issues[0]?.message ?? 'wrong shape'})`, 'bad-team-cache');
  const entries = new Map<string, TeamCacheEntry>();
  let ignored = 0;
  for (const raw of doc.data.entries) {
    const entry = entrySchema.safeParse(raw);
    if (!entry.success || !isConsistent(entry.data) || entries.has(entry.data.key)) ignored++;
    else entries.set(entry.data.key, entry.data);
  }
  return { entries, ignored };
}

/** The document's bytes, entries sorted by key so equal indexes have equal digests. */
export function serializeIndexDocument(entries: Iterable<TeamCacheEntry>): Buffer {
  const sorted = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return Buffer.from(JSON.stringify({ schemaVersion: 1, entries: sorted }));
}

/**
 * Existing entries plus `mine`; on the same key, mine win (just confirmed by the
 * registry). Past MAX_ENTRIES the least recently confirmed others are dropped.
 */
export function mergeEntries(existing: Iterable<TeamCacheEntry>, mine: Iterable<TeamCacheEntry>): Map<string, TeamCacheEntry> {
  const merged = new Map<string, TeamCacheEntry>();
  for (const entry of existing) merged.set(entry.key, entry);
  const own = new Map([...mine].map((e) => [e.key, e]));
  for (const [key, entry] of own) merged.set(key, entry);
  if (merged.size <= MAX_ENTRIES) return merged;
  const others = [...merged.values()].filter((e) => !own.has(e.key)).sort((a, b) => b.confirmedAt - a.confirmedAt);
  const keep = others.slice(0, Math.max(0, MAX_ENTRIES - own.size));
  return new Map([...keep, ...own.values()].map((e) => [e.key, e]));
}
