/**
 * Efficiency and wasted space: property tests against a plain model of how
 * layers stack (a map scanned by prefix, unlike the engine's indexed tree), and
 * the examples where dive's double count would differ.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { measureEfficiency, type LayerFile } from '../../src-main/engine/inspect/index.js';
import { StoreMentionScanner } from '../../src-main/engine/inspect/store-refs.js';

const file = (path: string, size: number): LayerFile => ({ path, kind: 'file', size, mode: 0o644 });
const dir = (path: string): LayerFile => ({ path, kind: 'directory', size: 0, mode: 0o755 });
const whiteout = (target: string): LayerFile => {
  const slash = target.lastIndexOf('/');
  return { path: `${target.slice(0, slash + 1)}.wh.${target.slice(slash + 1)}`, kind: 'whiteout', size: 0, mode: 0 };
};
const opaque = (path: string): LayerFile => ({ path: `${path}/.wh..wh..opq`, kind: 'opaque', size: 0, mode: 0 });

/** The final filesystem by the book: whiteouts and opaque directories hide lower paths by prefix, then the layer's entries land. */
function modelKeptBytes(layers: readonly LayerFile[][]): number {
  const fs = new Map<string, LayerFile>();
  const dropUnder = (prefix: string) => {
    for (const key of [...fs.keys()]) if (key.startsWith(`${prefix}/`)) fs.delete(key);
  };
  for (const layer of layers) {
    for (const entry of layer) {
      const base = entry.path.slice(entry.path.lastIndexOf('/') + 1);
      const parent = entry.path.includes('/') ? entry.path.slice(0, entry.path.lastIndexOf('/')) : '';
      if (entry.kind === 'opaque') {
        if (parent === '') fs.clear();
        else dropUnder(parent);
      } else if (entry.kind === 'whiteout') {
        const target = parent === '' ? base.slice(4) : `${parent}/${base.slice(4)}`;
        fs.delete(target);
        dropUnder(target);
      }
    }
    for (const entry of layer) {
      if (entry.kind === 'whiteout' || entry.kind === 'opaque') continue;
      if (entry.kind !== 'directory') dropUnder(entry.path);
      fs.set(entry.path, entry);
    }
  }
  let kept = 0;
  for (const entry of fs.values()) if (entry.kind === 'file') kept += entry.size;
  return kept;
}

const segment = fc.constantFrom('a', 'b', 'c');
const pathArb = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const entryArb: fc.Arbitrary<LayerFile> = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(pathArb, fc.nat(1000)).map(([p, size]) => file(p, size)) },
  { weight: 2, arbitrary: pathArb.map(dir) },
  { weight: 2, arbitrary: pathArb.map(whiteout) },
  { weight: 1, arbitrary: pathArb.map(opaque) },
);
/** One entry per path in a layer, as in the index. */
const layerArb = fc.array(entryArb, { maxLength: 12 }).map((entries) => [...new Map(entries.map((e) => [e.path, e])).values()]);
const imageArb = fc.array(layerArb, { minLength: 1, maxLength: 6 });

describe('efficiency and wasted bytes', () => {
  it('agree: wasted = total - kept and efficiency = kept / total, with kept as the model computes it', () => {
    fc.assert(
      fc.property(imageArb, (layers) => {
        const e = measureEfficiency(layers);
        const total = layers.flat().reduce((sum, f) => sum + (f.kind === 'file' ? f.size : 0), 0);
        expect(e.totalBytes).toBe(total);
        expect(e.keptBytes).toBe(modelKeptBytes(layers));
        expect(e.wastedBytes).toBe(e.totalBytes - e.keptBytes);
        expect(e.wastedBytes).toBeGreaterThanOrEqual(0);
        expect(e.efficiency).toBeGreaterThanOrEqual(0);
        expect(e.efficiency).toBeLessThanOrEqual(1);
        if (total > 0) expect(Math.abs(e.wastedBytes - total * (1 - e.efficiency))).toBeLessThan(1e-6 * total);
        else expect(e.efficiency).toBe(1);
        expect(e.wastedPaths.reduce((sum, p) => sum + p.wastedBytes, 0)).toBe(e.wastedBytes);
      }),
      { numRuns: 500 },
    );
  });

  it('finds no waste when every path is in one layer only and nothing is removed', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(pathArb.map((p) => `u/${p}`), fc.nat(1000)), { selector: ([p]) => p, maxLength: 20 }), fc.nat(4), (files, cut) => {
        // Paths that are both a file and a prefix of another are not a real tree: keep leaves only.
        const leaves = files.filter(([p]) => !files.some(([q]) => q.startsWith(`${p}/`)));
        const split = Math.min(cut, leaves.length);
        const layers = [leaves.slice(0, split), leaves.slice(split)].map((part) => part.map(([p, s]) => file(p, s)));
        const e = measureEfficiency(layers);
        expect(e.wastedBytes).toBe(0);
        expect(e.efficiency).toBe(1);
      }),
    );
  });

  it('counts a repeated file once as waste, not twice as dive does', () => {
    const e = measureEfficiency([[file('etc/big', 100)], [file('etc/big', 100)]]);
    expect(e).toMatchObject({ totalBytes: 200, keptBytes: 100, wastedBytes: 100, efficiency: 0.5 });
    expect(e.wastedPaths).toEqual([{ path: 'etc/big', layers: [0, 1], wastedBytes: 100 }]);
  });

  it('counts a file that a later layer removes as wasted whole, also below an unlisted directory', () => {
    const e = measureEfficiency([[file('opt/tool/lib/a.so', 300), file('keep', 100)], [whiteout('opt')]]);
    expect(e).toMatchObject({ totalBytes: 400, keptBytes: 100, wastedBytes: 300, efficiency: 0.25 });
  });

  it('lets an opaque directory hide lower contents but not its own layer', () => {
    const e = measureEfficiency([[file('d/old', 50)], [opaque('d'), file('d/new', 20)]]);
    expect(e).toMatchObject({ totalBytes: 70, keptBytes: 20, wastedBytes: 50 });
  });
});

describe('store path mentions', () => {
  const hash = (n: number) => '0123456789abcdfghijklmnpqrsvwxyz'.repeat(2).slice(n % 32, (n % 32) + 32).padEnd(32, 'a');

  it('finds the same mentions however the bytes are split into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.nat(40).map((n) => `/nix/store/${hash(n)}-pkg`), fc.string({ maxLength: 20 })), { maxLength: 15 }),
        fc.array(fc.nat(60), { maxLength: 10 }),
        (parts, cuts) => {
          const bytes = Buffer.from(parts.join(''));
          const whole = new Set<string>();
          new StoreMentionScanner((h) => whole.add(h)).write(bytes);
          const split = new Set<string>();
          const scanner = new StoreMentionScanner((h) => split.add(h));
          let at = 0;
          for (const cut of cuts) {
            scanner.write(bytes.subarray(at, Math.min(bytes.length, at + cut)));
            at = Math.min(bytes.length, at + cut);
          }
          scanner.write(bytes.subarray(at));
          expect([...split].sort()).toEqual([...whole].sort());
          for (const part of parts) if (part.startsWith('/nix/store/')) expect(whole.has(part.slice(11, 43))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('ignores a hash not followed by a dash and letters outside Nix base32', () => {
    const found: string[] = [];
    new StoreMentionScanner((h) => found.push(h)).write(Buffer.from(`/nix/store/${'e'.repeat(32)}-x /nix/store/${'a'.repeat(32)}x /nix/store/${'a'.repeat(32)}-ok`));
    expect(found).toEqual(['a'.repeat(32)]);
  });
});
