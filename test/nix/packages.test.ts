import { beforeAll, describe, expect, inject, it } from 'vitest';
import { storePathName } from '../../src-main/engine/closure/graph.js';
import { listPackages, parseDrvName } from '../../src-main/engine/nix/packages.js';
import { parseSource } from '../../src-main/engine/nix/source.js';
import { useNixOffline, writeThrowawayFlake, writeThrowawaySet } from './throwaway-set.js';

beforeAll(useNixOffline);

describe('listing packages', () => {
  it('lists every package of a Nix folder with name, version and description', async () => {
    const outPaths = inject('testbedOutPaths');
    const entries = await listPackages(parseSource(inject('testbedDir')));
    expect(entries.map((e) => e.attrPath).sort()).toEqual(Object.keys(outPaths).sort());
    for (const entry of entries) {
      expect(entry.name).toBe(storePathName(outPaths[entry.attrPath]!));
      expect(`${entry.pname}-${entry.version}`).toBe(entry.name);
    }
    expect(entries.find((e) => e.attrPath === 'bash')?.description).toBe('Debian package bash');
  });

  it('lists the packages of a flake under the names buildAttrs takes', async () => {
    const dir = writeThrowawayFlake({ hello: 'mkdir $out', tool: 'mkdir $out' });
    const entries = await listPackages(parseSource(dir + '#'));
    // Like nix search, without nested.inner: its parent set does not ask to be recursed into.
    expect(entries.map((e) => e.attrPath).sort()).toEqual(['hello', 'tool']);
    const tool = entries.find((e) => e.attrPath === 'tool')!;
    expect(tool.name).toMatch(/^tool-[0-9a-f]{8}$/);
    expect(tool.version === '' ? tool.pname : `${tool.pname}-${tool.version}`).toBe(tool.name);
  });

  it('reports a source that does not evaluate', async () => {
    const dir = writeThrowawaySet({}, '  x = import ./nowhere.nix;');
    await expect(listPackages(parseSource(dir))).rejects.toMatchObject({ code: 'nix-error', message: expect.stringMatching(/^Nix could not list the packages of .*nowhere\.nix/) });
  });

  it('splits derivation names the way Nix does', () => {
    expect(parseDrvName('hello-2.12.1')).toEqual({ pname: 'hello', version: '2.12.1' });
    expect(parseDrvName('gtk+-3-3.24')).toEqual({ pname: 'gtk+', version: '3-3.24' });
    expect(parseDrvName('nix-output-monitor-2.1.0')).toEqual({ pname: 'nix-output-monitor', version: '2.1.0' });
    expect(parseDrvName('hello')).toEqual({ pname: 'hello', version: '' });
  });
});
