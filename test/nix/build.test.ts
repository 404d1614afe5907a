import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { buildAttrs, startBuild, takeEarlyRootDir } from '../../src-main/engine/nix/build.js';
import { useNixFrom } from '../../src-main/engine/nix/locate.js';
import type { NixLogLine } from '../../src-main/engine/nix/log.js';
import { parseSource } from '../../src-main/engine/nix/source.js';
import { gcRootsUnder, nixSystem, sleepingBuilder, until, useNixOffline, wrappedNix, writeThrowawayFlake, writeThrowawaySet } from './throwaway-set.js';

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

  it('gives each of two names for one package (an alias) its path', async () => {
    const dir = writeThrowawaySet({ hello: 'mkdir $out' }, '  greeting = (import ./default.nix).hello;');
    const built = await buildAttrs(parseSource(dir), ['hello', 'greeting']);
    expect([...built.keys()]).toEqual(['hello', 'greeting']);
    expect(built.get('greeting')).toBe(built.get('hello'));
  });

  it('builds nothing of a set of packages named as one (nix-build alone would build them all)', async () => {
    // A name of its own, so that it is not in the store from an earlier run.
    const big = `big-${randomUUID().slice(0, 8)}`;
    const dir = writeThrowawaySet({ ok: 'mkdir $out' }, `  tools = { recurseForDerivations = true; big = derivation { name = "${big}"; system = builtins.currentSystem; builder = "/bin/sh"; PATH = "/usr/bin:/bin"; args = [ "-c" "echo compiling big; mkdir $out" ]; }; };`);
    const lines: NixLogLine[] = [];
    await expect(buildAttrs(parseSource(dir), ['ok', 'tools'], { onLog: (l) => lines.push(l) })).rejects.toThrow(/^tools is not a package: /);
    expect(lines.map((l) => l.text)).not.toContain('compiling big');
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

describe('building packages that are already built', () => {
  it('answers the same paths, builds nothing, and roots them as nix-build --out-link does', async () => {
    const dir = writeThrowawaySet({ one: 'mkdir $out', two: 'mkdir $out; echo 2 > $out/two' });
    const built = await buildAttrs(parseSource(dir), ['one', 'two']);
    const gcRootDir = mkdtempSync(join(tmpdir(), 'lamina-roots-'));
    const lines: NixLogLine[] = [];
    const rebuilt = await buildAttrs(parseSource(dir), ['one', 'two'], { gcRootDir, onLog: (l) => lines.push(l) });
    expect(Object.fromEntries(rebuilt)).toEqual(Object.fromEntries(built));
    expect(lines.filter((l) => l.text.startsWith('building'))).toEqual([]);
    // result, result-2: each a root a `nix-store --gc` keeps, to the attributes' paths in order.
    expect(Object.fromEntries(gcRootsUnder(gcRootDir))).toEqual({ [join(gcRootDir, 'result')]: built.get('one'), [join(gcRootDir, 'result-2')]: built.get('two') });
    rmSync(gcRootDir, { recursive: true });
  });

  it('builds what is missing, with its log, when only some outputs are built', async () => {
    const dir = writeThrowawaySet({ old: 'mkdir $out', fresh: 'echo compiling fresh; mkdir $out' });
    const old = await buildAttrs(parseSource(dir), ['old']);
    const lines: NixLogLine[] = [];
    const built = await buildAttrs(parseSource(dir), ['old', 'fresh'], { onLog: (l) => lines.push(l) });
    expect(built.get('old')).toBe(old.get('old'));
    expect(existsSync(built.get('fresh')!)).toBe(true);
    expect(lines.map((l) => l.text)).toContain('compiling fresh');
  });

  it('builds again after a changed source, and after the output was deleted', async () => {
    const dir = writeThrowawaySet({ tool: 'mkdir $out; echo v1 > $out/version' });
    const v1 = (await buildAttrs(parseSource(dir), ['tool'])).get('tool')!;
    const source = join(dir, 'default.nix');
    writeFileSync(source, readFileSync(source, 'utf8').replace('echo v1', 'echo v2'));
    const v2 = (await buildAttrs(parseSource(dir), ['tool'])).get('tool')!;
    expect(v2).not.toBe(v1);
    expect(readFileSync(`${v2}/version`, 'utf8')).toBe('v2\n');
    execFileSync('nix-store', ['--delete', v2], { stdio: 'ignore' });
    expect(existsSync(v2)).toBe(false);
    expect((await buildAttrs(parseSource(dir), ['tool'])).get('tool')).toBe(v2);
    expect(readFileSync(`${v2}/version`, 'utf8')).toBe('v2\n');
  });
});

describe('a build started before its caller is ready', () => {
  /** Runs `fn` with nix-build wrapped to count its runs (`runs()` so far); returns the count. */
  async function countingBuilds(fn: (runs: () => number) => Promise<void>): Promise<number> {
    const { dir, runs } = wrappedNix(['nix-build']);
    const count = (): number => runs().length;
    const saved = process.env.PATH;
    process.env.PATH = `${dir}:${saved}`;
    try {
      await fn(count);
    } finally {
      process.env.PATH = saved;
    }
    return count();
  }

  const slow = sleepingBuilder(30);
  const sleeping = slow.running;

  it('is the one the build takes up, with its log, its roots and the same answer', async () => {
    const dir = writeThrowawaySet({ one: 'echo compiling one; mkdir $out', two: 'mkdir $out' });
    const gcRootDir = join(mkdtempSync(join(tmpdir(), 'lamina-roots-')), 'nix-roots');
    const lines: NixLogLine[] = [];
    let built = new Map<string, string>();
    const runs = await countingBuilds(async () => {
      startBuild(parseSource(dir), ['one', 'two', 'one'], { gcRootDir, builders: '' });
      expect(takeEarlyRootDir()).toBe(gcRootDir);
      expect(takeEarlyRootDir()).toBeUndefined();
      built = await buildAttrs(parseSource(dir), ['one', 'two'], { gcRootDir, builders: '', onLog: (l) => lines.push(l) });
    });
    expect(runs).toBe(1);
    expect([...built.keys()]).toEqual(['one', 'two']);
    // The lines Nix printed before the build took it up are not lost.
    expect(lines.map((l) => l.text)).toContain('compiling one');
    expect([...gcRootsUnder(gcRootDir).values()].sort()).toEqual([...built.values()].sort());
    rmSync(dirname(gcRootDir), { recursive: true });
  });

  it('reports unknown attributes and evaluation errors as the build always did', async () => {
    const dir = writeThrowawaySet({ ok: 'mkdir $out' }, '  gone = throw "gone was removed, use ok instead";');
    startBuild(parseSource(dir), ['ok', 'nope'], {});
    await expect(buildAttrs(parseSource(dir), ['ok', 'nope'])).rejects.toMatchObject({ code: 'unknown-attributes', message: expect.stringMatching(/has no attribute nope: /) });
    startBuild(parseSource(dir), ['gone'], {});
    await expect(buildAttrs(parseSource(dir), ['gone'])).rejects.toThrow(`Nix could not evaluate ${dir}: gone was removed, use ok instead`);
  });

  it('is stopped, not taken, by a build of anything else, and stops when the build that took it is cancelled', async () => {
    const dir = writeThrowawaySet({ other: 'mkdir $out', slow: slow.script });
    const runs = await countingBuilds(async (soFar) => {
      startBuild(parseSource(dir), ['slow'], {});
      await until(sleeping);
      expect(sleeping()).toBe(true);
      // Other attributes (or other builders, or another root folder): not the same command.
      expect([...(await buildAttrs(parseSource(dir), ['other'])).keys()]).toEqual(['other']);
      await until(() => !sleeping());
      expect(sleeping()).toBe(false);
      startBuild(parseSource(dir), ['slow'], {});
      await until(() => soFar() === 3 && sleeping());
      await expect(buildAttrs(parseSource(dir), ['slow'], { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'cancelled' });
      await until(() => !sleeping());
      expect(sleeping()).toBe(false);
    });
    // slow's early run, other's own, and slow's second early run, which the cancelled build took up (and stopped) rather than starting another.
    expect(runs).toBe(3);
  });

  it('is not taken when Settings name another Nix folder meanwhile: the nix-build there builds', async () => {
    const dir = writeThrowawaySet({ tool: 'mkdir $out' });
    const chosen = wrappedNix(['nix-build']);
    startBuild(parseSource(dir), ['tool'], {});
    useNixFrom(chosen.dir);
    try {
      expect([...(await buildAttrs(parseSource(dir), ['tool'])).keys()]).toEqual(['tool']);
    } finally {
      useNixFrom(null);
    }
    expect(chosen.runs()).toEqual(['nix-build']);
    rmSync(chosen.dir, { recursive: true });
  });
});
