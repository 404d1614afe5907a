import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../src-main/engine/registry/challenge.js';
import { formatReference, isLoopback, parseReference } from '../../src-shared/reference.js';
import { backoffDelay, retryAfterMs, DEFAULT_RETRY } from '../../src-main/engine/registry/transport.js';

const HEX = 'a'.repeat(64);

describe('image references, as docker reads them', () => {
  it.each([
    ['ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }],
    ['ubuntu:22.04', { registry: 'docker.io', repository: 'library/ubuntu', tag: '22.04' }],
    ['docker.io/ubuntu', { registry: 'docker.io', repository: 'library/ubuntu' }],
    ['index.docker.io/library/ubuntu:x', { registry: 'docker.io', repository: 'library/ubuntu', tag: 'x' }],
    ['someone/app', { registry: 'docker.io', repository: 'someone/app' }],
    ['localhost/app', { registry: 'localhost', repository: 'app' }],
    ['localhost:5000/a/b/c:v1', { registry: 'localhost:5000', repository: 'a/b/c', tag: 'v1' }],
    ['127.0.0.1:5000/app', { registry: '127.0.0.1:5000', repository: 'app' }],
    ['[::1]:5000/app:v2', { registry: '[::1]:5000', repository: 'app', tag: 'v2' }],
    [`ghcr.io/org/app:v1@sha256:${HEX}`, { registry: 'ghcr.io', repository: 'org/app', tag: 'v1', digest: `sha256:${HEX}` }],
    [`quay.io/org/app@sha256:${HEX}`, { registry: 'quay.io', repository: 'org/app', digest: `sha256:${HEX}` }],
    ['my-registry.example.com:443/team_x/app.web:1.0-rc', { registry: 'my-registry.example.com:443', repository: 'team_x/app.web', tag: '1.0-rc' }],
  ])('%s', (text, expected) => {
    expect(parseReference(text)).toEqual(expected);
  });

  it.each([
    ['Ubuntu', /not a valid repository name/],
    ['app:bad tag', /not a valid tag/],
    ['app@sha256:abc', /"sha256:abc" is not a digest/],
    [`app@sha256:${'A'.repeat(64)}`, /a sha256 digest has 64 lowercase hex digits/],
    ['localhost:5000/', /repository name is missing/],
    ['a//b', /not a valid repository name/],
    ['bad_host:x:1/app', /not a valid registry host/],
  ])('refuses %s with one line', (text, message) => {
    expect(() => parseReference(text)).toThrow(message);
  });

  it('formats back to a reference that parses to the same thing', () => {
    const component = fc.stringMatching(/^[a-z0-9]+(?:[._-][a-z0-9]+)?$/);
    const host = fc.oneof(
      fc.constant('docker.io'),
      fc.constant('localhost'),
      fc.tuple(component.filter((c) => /^[a-z0-9]+$/.test(c)), fc.integer({ min: 1, max: 65535 })).map(([h, p]) => `${h}.example:${p}`),
      fc.integer({ min: 1, max: 65535 }).map((p) => `127.0.0.1:${p}`),
    );
    const ref = fc.record({
      registry: host,
      path: fc.array(component, { minLength: 1, maxLength: 3 }),
      tag: fc.option(fc.stringMatching(/^\w[\w.-]{0,20}$/), { nil: undefined }),
      digest: fc.option(fc.stringMatching(/^[a-f0-9]{64}$/).map((h) => `sha256:${h}`), { nil: undefined }),
    });
    fc.assert(
      fc.property(ref, ({ registry, path, tag, digest }) => {
        const repository = registry === 'docker.io' && path.length === 1 ? `library/${path[0]}` : path.join('/');
        const parsed = { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
        expect(parseReference(formatReference(parsed))).toEqual(parsed);
      }),
    );
  });

  it('allows plain HTTP without asking only on loopback', () => {
    expect(['localhost:5000', '127.0.0.1:1', '127.3.4.5', '[::1]:5000', 'localhost'].every(isLoopback)).toBe(true);
    expect(['10.0.0.1:5000', 'example.com', 'localhost.example.com:5000', '[::2]:5000'].some(isLoopback)).toBe(false);
  });
});

describe('WWW-Authenticate challenges', () => {
  it('reads bearer parameters, quoted commas included', () => {
    expect(parseChallenges('Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'registry.example', scope: 'repository:a/b:pull,push' } },
    ]);
  });

  it('reads several challenges and unquoted values', () => {
    expect(parseChallenges('Basic realm="Registry Realm", Bearer realm=https://t.example/token, error="invalid_token"')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
      { scheme: 'bearer', params: { realm: 'https://t.example/token', error: 'invalid_token' } },
    ]);
  });
});

describe('retry timing', () => {
  it('backs off exponentially with jitter, within the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (attempt, r) => {
        const delay = backoffDelay(DEFAULT_RETRY, attempt, () => r);
        const ceiling = Math.min(DEFAULT_RETRY.maxDelayMs, DEFAULT_RETRY.baseDelayMs * 2 ** (attempt - 1));
        expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
        expect(delay).toBeLessThanOrEqual(ceiling);
      }),
    );
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });
});
