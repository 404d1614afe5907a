import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packageIndexJob, type PackageIndexInput } from '../../src-main/engine/jobs/kinds/package-index.js';
import { formatNixLogLine } from '../../src-main/engine/nix/log.js';
import { isRedacted, redactCredentials } from '../../src-main/engine/nix/redact.js';
import { describeSource, parseSource } from '../../src-main/engine/nix/source.js';

describe('redactCredentials', () => {
  it.each([
    ['git+https://alice:tok@example.com/repo', 'git+https://***@example.com/repo'],
    ['git+ssh://git@github.com/o/r?ref=main#pkgs', 'git+ssh://***@github.com/o/r?ref=main#pkgs'],
    ["fetching 'https://u:p@h/x' and https://v@h2/y", "fetching 'https://***@h/x' and https://***@h2/y"],
    ['github:owner/repo', 'github:owner/repo'],
    ['https://example.com/a@b', 'https://example.com/a@b'],
    ['mail alice@example.com', 'mail alice@example.com'],
    ['https://gitlab.example/api/v4/p/1/archive.tar.gz?sha=abc&private_token=glpat-XYZ', 'https://gitlab.example/api/v4/p/1/archive.tar.gz?sha=abc&private_token=***'],
    ["tarball 'https://h/x.tar.gz?access_token=s3cr3t#frag'", "tarball 'https://h/x.tar.gz?access_token=***#frag'"],
    ['https://h/x?ref=main&tokens=1', 'https://h/x?ref=main&tokens=1'],
  ])('%s -> %s', (text, shown) => {
    expect(redactCredentials(text)).toBe(shown);
  });

  it('leaves no user name or password of any URL, and keeps the rest of it', () => {
    const part = fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:-]{1,20}$/).filter((s) => !s.includes("'"));
    fc.assert(
      fc.property(part, fc.option(part), fc.stringMatching(/^[a-z0-9.-]{1,20}$/), fc.stringMatching(/^(\/[a-z0-9]{0,8}){0,3}$/), (user, password, host, path) => {
        const userinfo = password === null ? user : `${user}:${password}`;
        const shown = redactCredentials(`error: cannot fetch git+https://${userinfo}@${host}${path} now`);
        expect(shown).toBe(`error: cannot fetch git+https://***@${host}${path} now`);
        expect(isRedacted(shown)).toBe(true);
      }),
    );
  });

  it('knows a source whose token was taken out of its query (Nix cannot fetch it as it is)', () => {
    expect(isRedacted(redactCredentials('https://h/x.tar.gz?token=abc'))).toBe(true);
    expect(isRedacted('https://h/x.tar.gz?token=***x')).toBe(false);
    expect(isRedacted('https://h/x.tar.gz?ref=main')).toBe(false);
  });

  it('describes a flake source without its credentials, and Nix still gets them', () => {
    const source = parseSource('git+https://alice:tok@example.com/repo#pkgs');
    expect(source).toEqual({ kind: 'flake', ref: 'git+https://alice:tok@example.com/repo#pkgs' });
    expect(describeSource(source)).toBe('git+https://***@example.com/repo#pkgs');
  });
});

describe('job titles', () => {
  it('name a package source without its credentials (titles are made from the stored input)', () => {
    const job = packageIndexJob(() => {
      throw new Error('a title needs no index');
    });
    const stored = job.storedInput!({ source: 'git+https://alice:tok@example.com/repo', force: false }) as PackageIndexInput;
    expect(stored.source).toBe('git+https://***@example.com/repo');
    expect(job.title(stored)).toBe('index packages of git+https://***@example.com/repo');
  });
});

describe('formatNixLogLine', () => {
  const drv = '/nix/store/i5zz0q1ayhkmvazm6iffc5yy4ss008pv-hello-2.12.drv';
  it.each([
    [{ text: 'checking for gcc' }, 'checking for gcc'],
    [{ text: 'checking for gcc', drv }, '[hello-2.12] checking for gcc'],
    [{ text: 'checking for gcc', drv, host: 'ssh://nix@builder1.lan' }, '[hello-2.12@builder1.lan] checking for gcc'],
    [{ text: 'x', drv, host: 'ssh-ng://builder2' }, '[hello-2.12@builder2] x'],
  ])('%j -> %s', (line, shown) => {
    expect(formatNixLogLine(line)).toBe(shown);
  });
});
