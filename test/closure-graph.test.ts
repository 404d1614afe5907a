import { describe, expect, it } from 'vitest';
import { closureOf, closureSize, makeClosureGraph, storePathName } from '../src-main/engine/closure/graph.js';

const p = (n: string): string => `/nix/store/${'a'.repeat(31)}${n.length}-${n}`;

describe('closure graph', () => {
  const graph = makeClosureGraph(
    [
      { path: p('app'), name: '', narSize: 10, references: [p('lib'), p('app')] },
      { path: p('lib'), name: '', narSize: 5, references: [p('libc')] },
      { path: p('libc'), name: '', narSize: 100, references: [] },
    ],
    [p('app')],
  );

  it('names paths after their hash', () => {
    expect(storePathName(p('libc'))).toBe('libc');
    expect(graph.nodes.get(p('lib'))?.name).toBe('lib');
  });

  it('computes closures and their sizes, self references included once', () => {
    expect(closureOf(graph, [p('lib')])).toEqual([p('lib'), p('libc')].sort());
    expect(closureSize(graph, [p('app')])).toBe(115);
  });

  it('refuses a closure with a hole in it', () => {
    expect(() => makeClosureGraph([{ path: p('x'), name: '', narSize: 1, references: [p('y')] }], [p('x')])).toThrow(/not closed/);
  });
});
