import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layerTitle, linksTitle, mainPackages, packageName, plural } from '../../src-shared/layer-name.js';

const store = (name: string): string => `/nix/store/${'a'.repeat(32)}-${name}`;

describe('layer names', () => {
  it('takes the version off a store name the way Nix does', () => {
    expect(packageName(store('bash-5.2.15-2+b8'))).toBe('bash');
    expect(packageName(store('python3.11-3.11.2-6'))).toBe('python3.11');
    expect(packageName(store('libstdc__6-12.2.0-14'))).toBe('libstdc__6');
    expect(packageName(store('git-man-1_2.39.2-1.1'))).toBe('git-man');
    expect(packageName(store('hello'))).toBe('hello');
    // Debian-style names with digits after a dash keep them; the version is the part with a dot.
    expect(packageName(store('gcc-12-base-12.2.0-14'))).toBe('gcc-12-base');
    expect(packageName(store('libpcre2-8-0-10.42-1'))).toBe('libpcre2-8-0');
    expect(packageName(store('tzdata-2024a-0'))).toBe('tzdata');
    expect(packageName(store('gcc-13.2.0-lib'))).toBe('gcc');
  });

  it('names a layer by its top-level package, else its largest program, and counts the rest', () => {
    const paths = [
      { path: store('libc6-2.36-9'), size: 12_000_000 },
      { path: store('gzip-1.12-1'), size: 4_000_000 },
      { path: store('libpcre2-8-0-10.42-1'), size: 600_000 },
    ];
    expect(layerTitle(paths)).toBe('gzip + 2 more');
    // A library that dwarfs the only program names the layer.
    expect(layerTitle([paths[0]!, { path: store('gcc-12-base-12.2.0-14'), size: 90_000 }])).toBe('libc6 + 1 more');
    expect(layerTitle(paths, [store('libc6-2.36-9')])).toBe('libc6 + 2 more');
    expect(layerTitle([paths[0]!])).toBe('libc6');
    expect(layerTitle([paths[0]!, paths[2]!])).toBe('libc6 + 1 more');
    expect(layerTitle([])).toBe('empty');
    expect(linksTitle([store('bash-5.2'), store('gzip-1.12')])).toBe('links to bash, gzip');
    expect([plural(1, 'path'), plural(3, 'path'), plural(1, 'layer')]).toEqual(['1 path', '3 paths', '1 layer']);
  });

  it('writes counts as English does, thousands grouped, for any whole number and anything else', () => {
    expect([plural(1234, 'path'), plural(1_000_000, 'layer'), plural(999, 'path')]).toEqual(['1,234 paths', '1,000,000 layers', '999 paths']);
    const english = (n: number): string => `${n.toLocaleString('en')} ${n === 1 ? 'path' : 'paths'}`;
    fc.assert(
      fc.property(fc.oneof(fc.maxSafeInteger(), fc.nat(), fc.double()), (n) => {
        expect(plural(n, 'path')).toBe(english(n));
      }),
      { numRuns: 2000 },
    );
  });

  it('always names at least one package of a non-empty layer, counts every other path, and ignores the order given', () => {
    const sized = fc.record({ path: fc.stringMatching(/^[a-z][a-z0-9]{0,8}-[0-9]\.[0-9]$/).map(store), size: fc.nat() });
    fc.assert(
      fc.property(fc.uniqueArray(sized, { minLength: 1, maxLength: 20, selector: (p) => p.path }), (paths) => {
        const main = mainPackages(paths);
        expect(main).toHaveLength(1);
        const title = layerTitle(paths);
        expect(title).toBe(paths.length === 1 ? main[0] : `${main[0]} + ${paths.length - 1} more`);
        expect(layerTitle([...paths].reverse())).toBe(title);
      }),
    );
  });
});

describe('the package that names a layer', () => {
  // What mainPackages answered when it sorted the paths, kept to hold the one-pass version to the same answers.
  function bySorting(paths: { path: string; size: number }[]): string[] {
    const sorted = [...paths].sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
    const largest = sorted[0]?.size ?? 0;
    const main = sorted.find((p) => !/^(lib|glibc)/.test(packageName(p.path)) && !/-(lib|libs|dev|data|common|doc|man|locales?)$/.test(packageName(p.path)) && p.size * 4 >= largest) ?? sorted[0];
    return main ? [packageName(main.path)] : [];
  }

  it('is the one a sort by size, then name, gave, ties and libraries included', () => {
    const names = fc.constantFrom('bash-5.2', 'libc6-2.36', 'gzip-1.12', 'git-man-2.39', 'Zlib-1.3', 'perl-5.36', 'libperl-5.36', 'gcc-12-base-12.2', 'coreutils-9.1');
    const sizedPaths = fc.uniqueArray(fc.record({ path: names.map(store), size: fc.constantFrom(0, 1, 4, 5, 16, 17, 100) }), { selector: (p) => p.path, maxLength: 9 });
    fc.assert(
      fc.property(sizedPaths, (paths) => {
        expect(mainPackages(paths)).toEqual(bySorting(paths));
      }),
    );
  });
});
