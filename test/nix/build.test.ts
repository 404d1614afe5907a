import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildAttrs } from '../../src-main/engine/nix/build.js';
import type { NixLogLine } from '../../src-main/engine/nix/log.js';
import { parseSource } from '../../src-main/engine/nix/source.js';
import { nixSystem, useNixOffline, writeThrowawayFlake, writeThrowawaySet } from './throwaway-set.js';

beforeAll(useNixOffline);

describe('building packages', () => {
  it('builds the test bed roots and returns their out paths', async () => {
    const roots = inject('testbedRoots');
    const built = await buildAttrs(parseSource(inject('testbedDir')), roots);
    const expected = inject('testbedOutPaths');
    expect(Object.fromEntries(built)).toEqual(Object.fromEntries(roots.map((r) => [r, expected[r]])));
  });

  it('streams the build log, each line attributed to its derivation', async () => {
    const dir = writeThrowawaySet({
      first: 'echo compiling first; echo warning from first >&2; mkdir $out',
      second: 'echo compiling second; mkdir $out; echo done > $out/done',
    });
    const lines: NixLogLine[] = [];
    const built = await buildAttrs(parseSource(dir), ['first', 'second'], { onLog: (l) => lines.push(l), builders: '' });
    expect([...built.keys()]).toEqual(['first', 'second']);
    expect(existsSync(`${built.get('second')}/done`)).toBe(true);
    for (const attr of ['first', 'second']) {
      const start = lines.find((l) => l.text.startsWith('building') && l.drv?.includes(`-${attr}-`));
      expect(start, `a building line for ${attr}`).toBeDefined();
      expect(start!.host).toBeUndefined();
      const own = lines.filter((l) => l.drv === start!.drv).map((l) => l.text);
      expect(own).toContain(`compiling ${attr}`);
    }
    expect(lines.find((l) => l.text === 'warning from first')?.drv).toMatch(/-first-[0-9a-f]{8}\.drv$/);
  });

  it('passes remote builders through to Nix', async () => {
    // No remote machine can be reached here; with local builds turned off, Nix has to
    // try the one given, and its failure names it.
    const dir = writeThrowawaySet({ remote: 'mkdir $out' });
    const saved = process.env.NIX_CONFIG;
    process.env.NIX_CONFIG = `${saved}\nmax-jobs = 0`;
    try {
      const build = buildAttrs(parseSource(dir), ['remote'], { builders: `ssh://lamina-no-such-host ${nixSystem()}` });
      await expect(build).rejects.toThrow(/^Nix could not build from .*: cannot build on 'ssh:\/\/lamina-no-such-host': /);
    } finally {
      process.env.NIX_CONFIG = saved;
    }
  });

  it('names every unknown attribute in one error', async () => {
    const build = buildAttrs(parseSource(inject('testbedDir')), ['bash', 'no-such-tool', 'libc6.sub', 'zzz']);
    await expect(build).rejects.toMatchObject({
      code: 'unknown-attributes',
      message: expect.stringMatching(/has no attribute no-such-tool, libc6\.sub, zzz: check the names \(nix-env -f '.*' -qaP lists them\)$/),
    });
  });

  it('says which attributes are not packages', async () => {
    const dir = writeThrowawaySet({ ok: 'mkdir $out' }, '  lib = { x = 1; };\n  answer = 42;');
    await expect(buildAttrs(parseSource(dir), ['ok', 'lib', 'answer'])).rejects.toThrow(/^lib, answer are not packages: /);
  });

  it('reports an evaluation error on one line, without Nix noise', async () => {
    const dir = writeThrowawaySet({ ok: 'mkdir $out' }, '  gone = throw "gone was removed, use ok instead";\n  typo = let s = { name = 1; }; in s.nmae;');
    const gone = buildAttrs(parseSource(dir), ['gone']);
    await expect(gone).rejects.toThrow(`Nix could not evaluate ${dir}: gone was removed, use ok instead`);
    const typo = await buildAttrs(parseSource(dir), ['typo']).then(
      () => new Error('built'),
      (err: Error) => err,
    );
    expect(typo.message).toMatch(new RegExp(`^Nix could not evaluate ${dir}: attribute 'nmae' missing \\(at ${dir}/default.nix:\\d+:\\d+\\) Did you mean name\\?$`));
    expect(typo.message).not.toContain('\n');
  });

  it('reports a failed builder by name and its last log line', async () => {
    const dir = writeThrowawaySet({ broken: 'echo configuring; echo missing header foo.h; exit 7' });
    await expect(buildAttrs(parseSource(dir), ['broken'])).rejects.toMatchObject({
      code: 'nix-build-failed',
      message: expect.stringMatching(/^Building broken-[0-9a-f]{8} failed with exit code 7; its last log line: missing header foo\.h \(whole log: nix-store -l \/nix\/store\/.*\.drv\)$/),
    });
  });

  it('builds from a channel on NIX_PATH', async () => {
    const saved = process.env.NIX_PATH;
    process.env.NIX_PATH = `lamina-testbed=${inject('testbedDir')}`;
    try {
      const built = await buildAttrs({ kind: 'channel', name: 'lamina-testbed' }, ['gzip']);
      expect(built.get('gzip')).toBe(inject('testbedOutPaths').gzip);
    } finally {
      process.env.NIX_PATH = saved;
    }
  });

  it('says when a channel is not on NIX_PATH', async () => {
    await expect(buildAttrs({ kind: 'channel', name: 'lamina-no-such-channel' }, ['hello'])).rejects.toThrow(
      "Nix could not evaluate <lamina-no-such-channel>: file 'lamina-no-such-channel' was not found in the Nix search path (add it using $NIX_PATH or -I)",
    );
  });

  it('builds from a flake, finding packages where nix build does', async () => {
    const dir = writeThrowawayFlake({ hello: 'echo hello from a flake; mkdir $out' });
    const lines: NixLogLine[] = [];
    const built = await buildAttrs(parseSource(`${dir}#`), ['hello', 'nested.inner'], { onLog: (l) => lines.push(l) });
    expect(built.get('hello')).toMatch(/^\/nix\/store\/[0-9a-z]{32}-hello-[0-9a-f]{8}$/);
    expect(built.get('nested.inner')).toBe(built.get('hello'));
    expect(lines.find((l) => l.text === 'hello from a flake')?.drv).toMatch(/-hello-[0-9a-f]{8}\.drv$/);
    await expect(buildAttrs(parseSource(`${dir}#`), ['hello', 'nope', 'nested.nope'])).rejects.toThrow(/has no attribute nope, nested\.nope: /);
  });
});
