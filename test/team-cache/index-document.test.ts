import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layerMediaType } from '../../src-main/engine/image/media-types.js';
import { layerCacheKey } from '../../src-main/engine/store/layer-cache.js';
import {
  MAX_ENTRIES,
  mergeEntries,
  parseIndexDocument,
  serializeIndexDocument,
  type TeamCacheEntry,
} from '../../src-main/engine/team-cache/index-document.js';

const hex = (n: number) => fc.stringMatching(new RegExp(`^[a-f0-9]{${n}}$`));

const entryArb: fc.Arbitrary<TeamCacheEntry> = fc
  .record({
    kind: fc.constantFrom('store-paths' as const, 'customisation' as const),
    names: fc.array(hex(32), { minLength: 1, maxLength: 4 }),
    compression: fc.constantFrom('gzip' as const, 'zstd' as const, 'none' as const),
    digest: hex(64),
    diffId: hex(64),
    size: fc.nat(),
    uncompressedSize: fc.nat(),
    confirmedAt: fc.nat(),
  })
  .map(({ kind, names, compression, digest, diffId, size, uncompressedSize, confirmedAt }) => {
    const paths = names.map((n) => `/nix/store/${n}-p`);
    return {
      key: layerCacheKey({ kind, paths, compression, formatVersion: 1 }),
      kind,
      paths,
      compression,
      formatVersion: 1,
      digest: `sha256:${digest}`,
      diffId: `sha256:${diffId}`,
      size,
      uncompressedSize,
      mediaType: layerMediaType(compression),
      confirmedAt,
    };
  });

describe('the team cache index document', () => {
  it('reads back what it writes, byte for byte the same for the same entries in any order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(entryArb, { selector: (e) => e.key, maxLength: 20 }), (entries) => {
        const bytes = serializeIndexDocument(entries);
        const parsed = parseIndexDocument(bytes, 'the index');
        expect(parsed.ignored).toBe(0);
        expect([...parsed.entries.values()].sort((a, b) => a.key.localeCompare(b.key))).toEqual([...entries].sort((a, b) => a.key.localeCompare(b.key)));
        expect(serializeIndexDocument([...entries].reverse()).equals(bytes)).toBe(true);
      }),
    );
  });

  it('keeps every entry of both sides on merge, mine winning on the same key', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 20 }), fc.array(entryArb, { maxLength: 20 }), (theirs, mine) => {
        const merged = mergeEntries(theirs, mine);
        for (const e of theirs) expect(merged.has(e.key)).toBe(true);
        for (const e of mine) expect(merged.get(e.key)).toEqual(mine.findLast((m) => m.key === e.key));
      }),
    );
  });

  it('drops the least recently confirmed of the others past the cap, never mine', () => {
    const base = fc.sample(entryArb, 1)[0]!;
    const many = Array.from({ length: MAX_ENTRIES + 5 }, (_, i) => ({ ...base, key: i.toString(16).padStart(64, '0'), confirmedAt: i }));
    const mine = [{ ...base, key: 'f'.repeat(64), confirmedAt: 0 }];
    const merged = mergeEntries(many, mine);
    expect(merged.size).toBe(MAX_ENTRIES);
    expect(merged.has('f'.repeat(64))).toBe(true);
    expect(merged.has(many[5]!.key)).toBe(false);
    expect(merged.has(many[6]!.key)).toBe(true);
  });

  it('leaves out entries whose key is not the one their own fields give', () => {
    const [a, b] = fc.sample(entryArb, 2) as [TeamCacheEntry, TeamCacheEntry];
    const lying = { ...a, compression: a.compression === 'gzip' ? 'zstd' : 'gzip', mediaType: layerMediaType(a.compression === 'gzip' ? 'zstd' : 'gzip') };
    const wrongType = { ...b, mediaType: 'application/vnd.oci.image.layer.v1.tar+bzip2' };
    const parsed = parseIndexDocument(Buffer.from(JSON.stringify({ schemaVersion: 1, entries: [lying, wrongType, { ...a, paths: ['/etc/passwd'] }] })), 'the index');
    expect(parsed.entries.size).toBe(0);
    expect(parsed.ignored).toBe(3);
  });

  it('refuses a document that is not JSON or not an index, in one line', () => {
    expect(() => parseIndexDocument(Buffer.from('nope'), 'the index')).toThrow(/^the index is not valid JSON$/);
    expect(() => parseIndexDocument(Buffer.from('{"schemaVersion":2,"entries":[]}'), 'the index')).toThrow(/is not a Lamina cache index/);
  });
});
