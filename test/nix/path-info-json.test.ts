import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closureOf, type StorePathInfo } from '../../src-main/engine/closure/graph.js';
import { parsePathInfo, parseReferencesGraph } from '../../src-main/engine/nix/path-info-json.js';

const storePath = (i: number): string => `/nix/store/${String(i).padStart(32, '0')}-pkg${i}-1.0`;

/** Random closures: path i may refer to any lower-numbered path and to itself. */
const closures = fc
  .array(fc.record({ narSize: fc.nat({ max: 2 ** 40 }), refs: fc.array(fc.nat(), { maxLength: 4 }), self: fc.boolean() }), {
    minLength: 1,
    maxLength: 30,
  })
  .map((nodes) =>
    nodes.map(({ narSize, refs, self }, i): StorePathInfo => {
      const references = [...new Set(refs.filter(() => i > 0).map((r) => storePath(r % i)))];
      if (self) references.push(storePath(i));
      return { path: storePath(i), name: `pkg${i}-1.0`, narSize, references };
    }),
  );

// Extra fields Nix prints that the parser must pass over.
const extras = { narHash: 'sha256-J6mr4iuKjDqpHQ2c6IyjxHMWJHlvQl370v4ob037lg0=', deriver: null, registrationTime: 1795448085, ultimate: true };

const byPath = (infos: StorePathInfo[]): StorePathInfo[] => [...infos].sort((a, b) => a.path.localeCompare(b.path));

describe('nix path-info --json', () => {
  it('reads the array shape (Nix <= 2.18) and the object shape (Nix 2.19+) alike', () => {
    fc.assert(
      fc.property(closures, (infos) => {
        const array = JSON.stringify(infos.map((i) => ({ path: i.path, narSize: i.narSize, references: i.references, ...extras })));
        const object = JSON.stringify(Object.fromEntries(infos.map((i) => [i.path, { narSize: i.narSize, references: i.references, ...extras }])));
        const fromArray = parsePathInfo(array);
        const fromObject = parsePathInfo(object);
        expect(byPath(fromArray.infos)).toEqual(byPath(infos));
        expect(byPath(fromObject.infos)).toEqual(byPath(infos));
        expect(fromArray.invalid).toEqual([]);
      }),
    );
  });

  it('lists invalid paths in both shapes', () => {
    const missing = storePath(99);
    expect(parsePathInfo(JSON.stringify([{ path: missing, valid: false }])).invalid).toEqual([missing]);
    expect(parsePathInfo(JSON.stringify({ [missing]: null })).invalid).toEqual([missing]);
  });

  it('says what is wrong with output it cannot read', () => {
    expect(() => parsePathInfo('{')).toThrow(/^Lamina cannot read nix path-info --json: /);
    expect(() => parsePathInfo(JSON.stringify([{ path: storePath(1), narSize: '12', references: [] }]))).toThrow(/has no valid narSize/);
    expect(() => parsePathInfo('42')).toThrow(/neither a list nor an object/);
  });
});

describe('exportReferencesGraph files', () => {
  it('read as a closed graph whose roots are the paths nothing refers to', () => {
    fc.assert(
      fc.property(closures, (infos) => {
        const graph = parseReferencesGraph(JSON.stringify(infos.map((i) => ({ ...i, ...extras, closureSize: 0 }))));
        expect(graph.nodes.size).toBe(infos.length);
        expect(closureOf(graph, graph.roots)).toEqual(infos.map((i) => i.path).sort());
        for (const root of graph.roots) {
          expect(infos.some((i) => i.path !== root && i.references.includes(root))).toBe(false);
        }
      }),
    );
  });

  it('refuses a graph with a hole in it', () => {
    const file = JSON.stringify([{ path: storePath(1), narSize: 1, references: [storePath(2)] }]);
    expect(() => parseReferencesGraph(file)).toThrow(/^Lamina cannot read the references graph: closure is not closed/);
  });
});
