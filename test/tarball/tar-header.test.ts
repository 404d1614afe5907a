import fc from 'fast-check';
import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { entryHeader, MAX_USTAR_SIZE, type LayerEntry } from '../../src-main/engine/tarball/tar-header.js';
import { tarSlices } from '../../src-main/engine/tarball/tar-bytes.js';
import { run } from './helpers.js';

const GiB = 1024 ** 3;

/** The records of a PAX extended header body: `<length> <key>=<value>\n` each. */
function paxRecords(body: Buffer): Record<string, string> {
  const records: Record<string, string> = {};
  let offset = 0;
  while (offset < body.length && body[offset] !== 0) {
    const space = body.indexOf(0x20, offset);
    const length = Number(body.subarray(offset, space).toString());
    const [key, ...value] = body.subarray(space + 1, offset + length - 1).toString().split('=');
    records[key!] = value.join('=');
    offset += length;
  }
  return records;
}

describe('tar headers', () => {
  it('puts a size beyond ustar (8 GiB and more) in a PAX record that GNU tar reads', () => {
    const size = 9 * GiB;
    const header = entryHeader({ kind: 'file', name: 'nix/store/x-big/data.img', mode: 0o444, size, source: '' });
    expect(header.length).toBe(3 * 512);
    expect(String.fromCharCode(header[156]!)).toBe('x');
    expect(paxRecords(header.subarray(512, 1024)).size).toBe(String(size));
    expect(String.fromCharCode(header[1024 + 156]!)).toBe('0');
    // GNU tar lists the entry from its header before it runs out of (absent) data.
    const listing = (() => {
      try {
        return run('tar', ['--numeric-owner', '-tvf', '-'], header).toString();
      } catch (err) {
        return String((err as { stdout?: Buffer }).stdout);
      }
    })();
    expect(listing).toMatch(new RegExp(`^-r--r--r-- 0/0 +${size} 1970-01-01 00:00 nix/store/x-big/data.img`));
  });

  it('keeps the largest ustar size in one plain header', () => {
    const header = entryHeader({ kind: 'file', name: 'f', mode: 0o644, size: MAX_USTAR_SIZE, source: '' });
    expect(header.length).toBe(512);
    expect(header.subarray(124, 135).toString()).toBe('77777777777');
    expect(MAX_USTAR_SIZE).toBe(8 * GiB - 1);
  });

  it('round-trips any names and link targets through tar-stream, with PAX only when ustar cannot hold them', async () => {
    const segment = fc.oneof(
      fc.stringMatching(/^[a-zA-Z0-9._+-]{1,40}$/),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((s) => !s.includes('/') && !s.includes('\0') && s !== '.' && s !== '..'),
    );
    const name = fc.array(segment, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('/'));
    const entry: fc.Arbitrary<LayerEntry> = fc.oneof(
      name.map((n) => ({ kind: 'directory' as const, name: n, mode: 0o555 })),
      fc.tuple(name, name).map(([n, t]) => ({ kind: 'symlink' as const, name: n, target: `/nix/store/${t}` })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 6 }), async (entries) => {
        const chunks: Buffer[] = [];
        for await (const chunk of tarSlices(entries, 1 << 20)) chunks.push(chunk);
        const read: { name: string; linkname: string | null; pax: boolean }[] = [];
        const reader = extract();
        const done = (async () => {
          for await (const e of reader) {
            read.push({ name: e.header.name, linkname: e.header.linkname ?? null, pax: Boolean(e.header.pax) });
            e.resume();
          }
        })();
        reader.end(Buffer.concat(chunks));
        await done;
        expect(read.map((r) => r.name.replace(/\/$/, ''))).toEqual(entries.map((e) => e.name));
        expect(read.map((r) => r.linkname)).toEqual(entries.map((e) => (e.kind === 'symlink' ? e.target : null)));
        for (const [i, e] of entries.entries()) {
          const path = e.kind === 'directory' ? `${e.name}/` : e.name;
          expect(read[i]!.pax).toBe(!fitsUstar(path, e.kind === 'symlink' ? e.target : ''));
        }
      }),
      { numRuns: 200 },
    );
  });
});

/** Whether ustar alone holds the entry: ASCII, a link target <= 100 bytes, and a prefix (<= 155) / name (< 100) split. */
function fitsUstar(path: string, target: string): boolean {
  const ascii = (s: string): boolean => Buffer.byteLength(s) === s.length;
  if (!ascii(path) || !ascii(target) || target.length > 100) return false;
  if (path.length < 100) return true;
  const trimmed = path.replace(/\/$/, '');
  for (let i = trimmed.indexOf('/'); i !== -1; i = trimmed.indexOf('/', i + 1)) {
    if (i <= 155 && trimmed.length - i - 1 <= 100) return true;
  }
  return false;
}
