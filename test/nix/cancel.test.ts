import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildAttrs } from '../../src-main/engine/nix/build.js';
import { queryClosure } from '../../src-main/engine/nix/closure-query.js';
import { listPackages } from '../../src-main/engine/nix/packages.js';
import { NIX_MISSING_MESSAGE } from '../../src-main/engine/nix/process.js';
import { parseSource } from '../../src-main/engine/nix/source.js';
import { useNixOffline, writeThrowawaySet } from './throwaway-set.js';

beforeAll(useNixOffline);

const savedPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = savedPath;
});

/** Command lines of running processes that contain `text`. */
function processesWith(text: string): string[] {
  const out = execFileSync('ps', ['-A', '-o', 'args='], { encoding: 'utf8' });
  return out.split('\n').filter((line) => line.includes(text));
}

/** A sleep long enough to never end by itself, with a duration no other test uses. */
function uniqueSleep(): string {
  return `sleep ${100_000 + Math.floor(Math.random() * 800_000)}`;
}

describe('cancelling Nix', () => {
  it('stops a long build and leaves no nix-build or builder behind', async () => {
    const sleep = uniqueSleep();
    const dir = writeThrowawaySet({ slow: `echo sleeping now; ${sleep}; mkdir $out` });
    const controller = new AbortController();
    const build = buildAttrs(parseSource(dir), ['slow'], {
      signal: controller.signal,
      onLog: (line) => {
        if (line.text === 'sleeping now') controller.abort();
      },
    });
    await expect(build).rejects.toMatchObject({ code: 'cancelled' });
    expect(processesWith(sleep)).toEqual([]);
    expect(processesWith(dir)).toEqual([]);
  });

  it('kills a Nix that ignores SIGTERM, and the builder it started in its own session', async () => {
    // Real Nix stops on SIGTERM; a hung one is played by a script that ignores it
    // and starts a "builder" with setsid, as Nix does.
    const sleep = uniqueSleep();
    const bin = mkdtempSync(join(tmpdir(), 'lamina-hung-nix-'));
    writeFileSync(join(bin, 'nix-build'), `#!/bin/sh\ntrap '' TERM\nsetsid ${sleep} &\necho hung >&2\nwait\n`);
    chmodSync(join(bin, 'nix-build'), 0o755);
    process.env.PATH = `${bin}:${savedPath}`;
    // A package not built yet: one already in the store needs no nix-build at all.
    const dir = writeThrowawaySet({ unbuilt: 'mkdir $out' });
    const controller = new AbortController();
    const build = buildAttrs(parseSource(dir), ['unbuilt'], {
      signal: controller.signal,
      onLog: (line) => {
        if (line.text === 'hung') controller.abort();
      },
    });
    await expect(build).rejects.toMatchObject({ code: 'cancelled' });
    expect(processesWith(sleep)).toEqual([]);
    expect(processesWith(join(bin, 'nix-build'))).toEqual([]);
  });

  it('does not start Nix when already cancelled', async () => {
    await expect(buildAttrs(parseSource(inject('testbedDir')), ['bash'], { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });
});

describe('without Nix', () => {
  it('says how to install it', async () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'lamina-empty-path-'));
    const source = parseSource(inject('testbedDir'));
    await expect(buildAttrs(source, ['bash'])).rejects.toMatchObject({ code: 'nix-missing', message: NIX_MISSING_MESSAGE });
    await expect(queryClosure([inject('testbedOutPaths').bash!])).rejects.toThrow(NIX_MISSING_MESSAGE);
    await expect(listPackages(source)).rejects.toThrow(NIX_MISSING_MESSAGE);
  });
});
