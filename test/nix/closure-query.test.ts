import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { queryClosure } from '../../src-main/engine/nix/closure-query.js';
import { parsePathInfo } from '../../src-main/engine/nix/path-info-json.js';
import { useNixOffline } from './throwaway-set.js';

beforeAll(useNixOffline);

const nix = (...args: string[]): string => execFileSync(args[0]!, args.slice(1), { encoding: 'utf8' });
const lines = (text: string): string[] => text.split('\n').filter(Boolean);

describe('querying the closure', () => {
  const outPaths = inject('testbedOutPaths');
  const roots = inject('testbedRoots').map((r) => outPaths[r]!);

  it('holds exactly the paths nix-store -qR gives, with the roots in the order asked', async () => {
    const graph = await queryClosure(roots);
    expect([...graph.nodes.keys()].sort()).toEqual(lines(nix('nix-store', '-qR', ...roots)).sort());
    expect(graph.roots).toEqual(roots);
  });

  it('has the sizes of nix path-info -s and the references of nix-store -q --references', async () => {
    const graph = await queryClosure(roots);
    const sizes = lines(nix('nix', '--extra-experimental-features', 'nix-command', 'path-info', '-s', ...graph.nodes.keys()));
    for (const line of sizes) {
      const [path, size] = line.split(/\s+/);
      expect(graph.nodes.get(path!)?.narSize, path).toBe(Number(size));
    }
    for (const node of graph.nodes.values()) {
      expect(node.references, node.path).toEqual(lines(nix('nix-store', '-q', '--references', node.path)).sort());
    }
  });

  it('parses the real path-info output of this Nix to the same infos', async () => {
    const real = nix('nix', '--extra-experimental-features', 'nix-command', 'path-info', '--json', '-r', outPaths.sed!);
    const { infos, invalid } = parsePathInfo(real);
    const graph = await queryClosure([outPaths.sed!]);
    expect(invalid).toEqual([]);
    expect(infos.map((i) => [i.path, i.narSize])).toEqual(infos.map((i) => [i.path, graph.nodes.get(i.path)?.narSize]));
  });

  it('says which paths are not built yet', async () => {
    const missing = `/nix/store/${'0'.repeat(32)}-never-built-1.0`;
    await expect(queryClosure([roots[0]!, missing])).rejects.toMatchObject({
      code: 'not-built',
      message: `Not in the Nix store: ${missing} (build it first)`,
    });
  });

  it('refuses things that are not store paths', async () => {
    await expect(queryClosure(['/usr/bin/bash', `${roots[0]}/bin/bash`])).rejects.toThrow(
      `Not Nix store paths: /usr/bin/bash, ${roots[0]}/bin/bash (give paths like /nix/store/<hash>-<name>)`,
    );
  });
});
