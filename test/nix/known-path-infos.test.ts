import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { ClosureGraph } from '../../src-main/engine/closure/graph.js';
import { openDatabase } from '../../src-main/engine/db/database.js';
import { buildAttrs } from '../../src-main/engine/nix/build.js';
import { queryClosure } from '../../src-main/engine/nix/closure-query.js';
import { KnownPathInfos } from '../../src-main/engine/nix/known-path-infos.js';
import { parseSource } from '../../src-main/engine/nix/source.js';
import { useNixOffline, writeThrowawaySet } from './throwaway-set.js';

beforeAll(useNixOffline);

function freshTable(): KnownPathInfos {
  return new KnownPathInfos(openDatabase(join(mkdtempSync(join(tmpdir(), 'lamina-known-')), 'lamina.db')));
}

const asPlain = (graph: ClosureGraph): unknown => ({ roots: graph.roots, nodes: [...graph.nodes.values()].sort((a, b) => a.path.localeCompare(b.path)) });

/** Builds `attrs` with GC roots in a fresh folder, then queries their closure through `known` as a build does. */
async function buildAndQuery(dir: string, attrs: string[], known: KnownPathInfos): Promise<{ roots: string[]; graph: ClosureGraph; gcRootDir: string }> {
  const gcRootDir = mkdtempSync(join(tmpdir(), 'lamina-roots-'));
  const built = await buildAttrs(parseSource(dir), attrs, { gcRootDir });
  const roots = attrs.map((a) => built.get(a)!);
  return { roots, graph: await queryClosure(roots, { known, rooted: true }), gcRootDir };
}

describe('closures from the path infos Lamina kept', () => {
  const outPaths = inject('testbedOutPaths');
  const roots = inject('testbedRoots').map((r) => outPaths[r]!);

  it('are the graph Nix gives, read without Nix once it was asked', async () => {
    const known = freshTable();
    expect(known.walk(roots).unknown.sort()).toEqual([...new Set(roots)].sort());
    const first = await queryClosure(roots, { known, rooted: true });
    expect(asPlain(first)).toEqual(asPlain(await queryClosure(roots)));
    expect(known.walk(roots)).toMatchObject({ unknown: [] });
    expect(asPlain(await queryClosure(roots, { known }))).toEqual(asPlain(first));
    // A subset asks nothing new either, and is Nix's subset.
    expect(asPlain(await queryClosure([outPaths.sed!], { known }))).toEqual(asPlain(await queryClosure([outPaths.sed!])));
  });

  it('keep nothing when the roots are not GC roots', async () => {
    const known = freshTable();
    await queryClosure([outPaths.sed!], { known });
    expect(known.walk([outPaths.sed!]).infos).toEqual([]);
  });

  it('follow a changed package set to its new closure', async () => {
    const dir = writeThrowawaySet({}, '');
    const source = join(dir, 'default.nix');
    const write = (version: string): void =>
      writeFileSync(
        source,
        `let dep = derivation { name = "dep-${version}-${dir.slice(-6)}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo ${version} > $out" ]; };\n` +
          `in { app = derivation { name = "app-${dir.slice(-6)}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo \${dep} > $out" ]; }; }\n`,
      );
    const known = freshTable();
    write('1');
    const one = await buildAndQuery(dir, ['app'], known);
    write('2');
    const two = await buildAndQuery(dir, ['app'], known);
    expect(two.roots).not.toEqual(one.roots);
    expect(asPlain(two.graph)).toEqual(asPlain(await queryClosure(two.roots)));
    const deps = [...two.graph.nodes.keys()].filter((p) => p.includes('-dep-'));
    expect(deps).toHaveLength(1);
    expect(readFileSync(deps[0]!, 'utf8')).toBe('2\n');
    rmSync(one.gcRootDir, { recursive: true });
    rmSync(two.gcRootDir, { recursive: true });
  });

  it('ask Nix again about a path deleted and built again with other contents', async () => {
    // The dependency's size differs on every build: not reproducible, as some builds are not.
    const dir = writeThrowawaySet({
      lib: 'mkdir $out; n=$(od -An -N2 -tu2 /dev/urandom | tr -d " "); head -c $((n + 1)) /dev/zero > $out/blob',
    });
    const source = join(dir, 'default.nix');
    writeFileSync(source, readFileSync(source, 'utf8').replace(/\n}\n$/, '\n  app = derivation { name = "app"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo ${lib} > $out" ]; };\n}\n').replace('{\n', 'rec {\n'));
    const known = freshTable();
    const before = await buildAndQuery(dir, ['app', 'lib'], known);
    rmSync(before.gcRootDir, { recursive: true });
    execFileSync('nix-store', ['--delete', ...before.roots], { stdio: 'ignore' });
    const after = await buildAndQuery(dir, ['app', 'lib'], known);
    expect(after.roots).toEqual(before.roots);
    const lib = before.roots[1]!;
    const nixNow = await queryClosure(after.roots);
    expect(after.graph.nodes.get(lib)!.narSize).toBe(nixNow.nodes.get(lib)!.narSize);
    expect(nixNow.nodes.get(lib)!.narSize).not.toBe(before.graph.nodes.get(lib)!.narSize);
    expect(asPlain(after.graph)).toEqual(asPlain(nixNow));
    rmSync(after.gcRootDir, { recursive: true });
  });
});
