import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DistributionError } from '../../src-main/engine/pull-registry/errors.js';
import { MAX_NAME_LENGTH, MAX_PACKAGES, parseReference, parseRepository } from '../../src-main/engine/pull-registry/names.js';
import { byteRange } from '../../src-main/engine/pull-registry/routes.js';

const alnum = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), minLength: 1, maxLength: 6 });
const separator = fc.constantFrom('.', '_', '__', '-', '--');
const component = fc.tuple(alnum, fc.array(fc.tuple(separator, alnum), { maxLength: 2 })).map(([head, rest]) => head + rest.map(([s, a]) => s + a).join(''));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return err instanceof DistributionError ? err.code : `not a registry error: ${String(err)}`;
  }
}

describe('pull registry names', () => {
  it('reads every name of the distribution grammar as its packages, in order, each once', () => {
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 8 }), (components) => {
        const name = components.join('/');
        expect(parseRepository(name)).toEqual([...new Set(components)]);
      }),
    );
  });

  it('refuses a name with any character outside the grammar, as NAME_INVALID', () => {
    const hostile = fc.constantFrom('%', '%2f', '..', ' ', '\u00e9', '\u202e', 'A', '\0', '\\', '?', '#', ':', '@', '\n', '$', '`');
    fc.assert(
      fc.property(component, hostile, component, (before, bad, after) => {
        expect(codeOf(() => parseRepository(`${before}${bad}${after}`))).toBe('NAME_INVALID');
      }),
    );
  });

  it('refuses empty components, leading and trailing separators, long names and long lists', () => {
    for (const name of ['', '/bash', 'bash/', 'bash//gzip', '.bash', 'bash-', '_x', '..', 'a/../b']) expect(codeOf(() => parseRepository(name)), name).toBe('NAME_INVALID');
    expect(codeOf(() => parseRepository('a'.repeat(MAX_NAME_LENGTH)))).toBeUndefined();
    expect(codeOf(() => parseRepository('a'.repeat(MAX_NAME_LENGTH + 1)))).toBe('NAME_INVALID');
    const many = Array.from({ length: MAX_PACKAGES + 1 }, (_, i) => `p${i}`).join('/');
    expect(codeOf(() => parseRepository(many))).toBe('NAME_INVALID');
  });

  it('quotes hostile input bounded and escaped in its message', () => {
    const message = (() => {
      try {
        parseRepository(`x/${'\u001b[31m'.repeat(50)}`);
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(message).not.toContain('\u001b');
    expect(message.length).toBeLessThan(400);
  });

  it('tells tags from digests and refuses what is neither', () => {
    expect(parseReference('latest')).toEqual({ kind: 'tag', tag: 'latest' });
    const digest = `sha256:${'ab'.repeat(32)}`;
    expect(parseReference(digest)).toEqual({ kind: 'digest', digest });
    expect(codeOf(() => parseReference('sha256:abc'))).toBe('DIGEST_INVALID');
    expect(codeOf(() => parseReference(`sha512:${'a'.repeat(128)}`))).toBe('DIGEST_INVALID');
    expect(codeOf(() => parseReference('-x'))).toBe('TAG_INVALID');
    expect(codeOf(() => parseReference('a'.repeat(129)))).toBe('TAG_INVALID');
  });
});

describe('byte ranges', () => {
  it('answers a range inside the blob, clamped to its end, or unsatisfiable; never outside it', () => {
    fc.assert(
      fc.property(fc.nat(10_000), fc.option(fc.nat(20_000), { nil: undefined }), fc.option(fc.nat(20_000), { nil: undefined }), (size, first, last) => {
        if (first === undefined && last === undefined) return;
        const header = `bytes=${first ?? ''}-${last ?? ''}`;
        const range = byteRange(header, size);
        if (range === null) throw new Error(`${header} was ignored`);
        if (range === 'unsatisfiable') return;
        expect(range.start).toBeGreaterThanOrEqual(0);
        expect(range.end).toBeLessThan(size);
        expect(range.start).toBeLessThanOrEqual(range.end);
        if (first !== undefined) expect(range.start).toBe(first);
        else expect(range.end).toBe(size - 1);
      }),
    );
  });

  it('ignores what is not one byte range', () => {
    for (const header of [undefined, 'bytes=0-1,5-9', 'items=0-1', 'bytes=-', 'bytes=a-b']) expect(byteRange(header, 100), header).toBeNull();
    expect(byteRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(byteRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
  });
});
