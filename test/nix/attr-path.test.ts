import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { flakeInstallable, splitAttrPath } from '../../src-main/engine/nix/attr-path.js';

describe('attribute paths', () => {
  it('splits on dots outside quotes', () => {
    expect(splitAttrPath('bash')).toEqual(['bash']);
    expect(splitAttrPath('python3Packages."zope.interface"')).toEqual(['python3Packages', 'zope.interface']);
    expect(() => splitAttrPath('a..b')).toThrow(/empty name/);
    expect(() => splitAttrPath('a."b')).toThrow(/quote is not closed/);
  });

  it('gives back the names it was written from', () => {
    const name = fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !s.includes('"'));
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 5 }), (names) => {
        const written = names.map((n) => (/^[A-Za-z_][\w'-]*$/.test(n) ? n : `"${n}"`)).join('.');
        expect(splitAttrPath(written)).toEqual(names);
      }),
    );
  });

  it('appends attributes to a flake reference and its fragment', () => {
    expect(flakeInstallable('github:o/r', 'hello')).toBe('github:o/r#hello');
    expect(flakeInstallable('/src#', 'hello')).toBe('/src#hello');
    expect(flakeInstallable('/src#legacyPackages.x86_64-linux', 'hello')).toBe('/src#legacyPackages.x86_64-linux.hello');
  });
});
