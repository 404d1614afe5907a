import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeClosureGraph } from '../../src-main/engine/closure/graph.js';
import { LaminaError } from '../../src-shared/errors.js';
import { loadPopularity, popularityFromGraph } from '../../src-main/engine/layering/index.js';
import { storePath } from './random-closure.js';

const dir = mkdtempSync(join(tmpdir(), 'lamina-popularity-'));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

function errorOf(run: () => unknown): LaminaError {
  try {
    run();
  } catch (err) {
    if (err instanceof LaminaError) return err;
    throw err;
  }
  throw new Error('expected a LaminaError');
}

describe('popularity.json', () => {
  it('reads Nixery\'s flat name -> count object', () => {
    const popularity = loadPopularity(file('ok.json', '{"glibc-2.40-66": 312345, "zlib-1.3.1": 4021, "hello-2.12.1": 2}'));
    expect([...popularity]).toEqual([
      ['glibc-2.40-66', 312345],
      ['hello-2.12.1', 2],
      ['zlib-1.3.1', 4021],
    ]);
  });

  it('says what is wrong with a bad file, in one line', () => {
    const cases: [string, RegExp][] = [
      ['{"glibc": 3', /not valid JSON.*popcount/],
      ['[["glibc", 3]]', /holds an array.*name -> reference count/],
      ['"glibc"', /holds string/],
      ['null', /holds null/],
      ['{"glibc": "many"}', /gives "glibc" the count "many"/],
      ['{"glibc": -1}', /gives "glibc" the count -1/],
      ['{"glibc": 1.5}', /the count 1.5/],
    ];
    for (const [text, message] of cases) {
      const err = errorOf(() => loadPopularity(file('bad.json', text)));
      expect(err.message).toMatch(message);
      expect(err.message).not.toContain('\n');
    }
    expect(errorOf(() => loadPopularity(join(dir, 'missing.json'))).message).toMatch(/cannot read popularity file .*missing\.json \(ENOENT\)/);
  });
});

describe('popularity counted from the graph', () => {
  it('counts referrers per name, self references included, and drops counts of one as popcount does', () => {
    const libc = storePath(1, 'libc-2.40');
    const zlib = storePath(2, 'zlib-1.3');
    const app = storePath(3, 'app-1');
    const tool = storePath(4, 'tool-1');
    const graph = makeClosureGraph(
      [
        { path: libc, name: '', narSize: 1, references: [libc] },
        { path: zlib, name: '', narSize: 1, references: [libc] },
        { path: app, name: '', narSize: 1, references: [app, zlib, libc] },
        { path: tool, name: '', narSize: 1, references: [libc] },
      ],
      [app, tool],
    );
    expect([...popularityFromGraph(graph)]).toEqual([['libc-2.40', 4]]);
  });
});
