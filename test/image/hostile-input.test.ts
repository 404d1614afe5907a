/** Damaged or hostile images give one clear line, never a stack trace or a file outside the image. */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync, truncateSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLaminaError } from '../../src-shared/errors.js';
import { architectureOf, makeImageConfig } from '../../src-main/engine/image/config.js';
import { digestHex } from '../../src-main/engine/image/digest.js';
import { openLocation, writeLocation } from '../../src-main/engine/locations.js';
import { parseImageLocation } from '../../src-main/engine/image/transport.js';
import { tempDir } from '../builder/helpers.js';
import { randomImage, readAll, tarOf } from './random-image.js';

async function expectOneLine(promise: Promise<unknown>, pattern: RegExp): Promise<void> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isLaminaError(err), String(err)).toBe(true);
  expect((err as Error).message).toMatch(pattern);
  expect((err as Error).message).not.toContain('\n');
}

async function ociCopy(): Promise<{ dir: string; manifestDigest: string; layerDigest: string }> {
  const image = await randomImage([{ f: Buffer.from('hello world') }], 'gzip');
  const dir = tempDir('hostile-oci');
  await writeLocation(image, `oci:${dir}:t`);
  return { dir, manifestDigest: image.manifestDigest, layerDigest: image.layers[0]!.descriptor.digest };
}

describe('reading damaged OCI layouts', () => {
  it('names a truncated layer', async () => {
    const { dir, layerDigest } = await ociCopy();
    truncateSync(join(dir, 'blobs', 'sha256', digestHex(layerDigest)), 5);
    await expectOneLine(openLocation(`oci:${dir}:t`), /layer 1 .* is 5 bytes, not \d+/);
  });

  it('refuses a layer whose bytes changed but not its size, while streaming it', async () => {
    const { dir, layerDigest } = await ociCopy();
    const file = join(dir, 'blobs', 'sha256', digestHex(layerDigest));
    const bytes = readFileSync(file);
    bytes[bytes.length - 1] = bytes.at(-1)! ^ 0xff;
    writeFileSync(file, bytes);
    const { image } = await openLocation(`oci:${dir}:t`);
    await expectOneLine(readAll(image.layers[0]!.open()), /has digest sha256:\w+ but sha256:\w+ was promised; it is damaged/);
  });

  it('refuses to copy such a layer into another layout, leaving no blob under its name', async () => {
    const { dir, layerDigest } = await ociCopy();
    const file = join(dir, 'blobs', 'sha256', digestHex(layerDigest));
    const bytes = readFileSync(file);
    bytes[0] = bytes[0]! ^ 0xff;
    writeFileSync(file, bytes);
    const target = tempDir('hostile-oci-copy');
    const { image } = await openLocation(`oci:${dir}:t`);
    await expectOneLine(writeLocation(image, `oci:${target}:t`), /has digest sha256:\w+ but sha256:\w+ was promised; it is damaged/);
    expect(readdirSync(join(target, 'blobs', 'sha256'))).toEqual([]);
  });

  it('refuses a manifest that does not match its digest', async () => {
    const { dir, manifestDigest } = await ociCopy();
    writeFileSync(join(dir, 'blobs', 'sha256', digestHex(manifestDigest)), '{"schemaVersion":2,"config":{},"layers":[]}');
    await expectOneLine(openLocation(`oci:${dir}:t`), /the manifest of .* (is \d+ bytes|has digest)/);
  });

  it('refuses an index entry whose digest is a path', async () => {
    const { dir } = await ociCopy();
    const index = { schemaVersion: 2, manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:../../../etc/passwd', size: 10 }] };
    writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
    await expectOneLine(openLocation(`oci:${dir}`), /index.json is malformed at manifests.0.digest/);
  });

  it('says which names exist when the tag is wrong, and what is missing when the folder is not a layout', async () => {
    const { dir } = await ociCopy();
    await expectOneLine(openLocation(`oci:${dir}:nope`), /no image named "nope" \(the layout has t\)/);
    await expectOneLine(openLocation(`oci:${tempDir('empty')}`), /not an OCI image layout/);
  });
});

describe('reading hostile docker archives', () => {
  it('refuses entries that would land outside the archive', async () => {
    const file = join(tempDir('evil'), 'evil.tar');
    writeFileSync(file, await tarOf({ '../escape': Buffer.from('x'), 'manifest.json': Buffer.from('[]') }));
    await expectOneLine(openLocation(`docker-archive:${file}`), /outside the archive; refusing a hostile archive/);
  });

  it('refuses a file that is not a tar, and a tar without manifest.json', async () => {
    const dir = tempDir('not-tar');
    writeFileSync(join(dir, 'junk.tar'), 'this is not a tar archive at all, just some bytes'.repeat(20));
    await expectOneLine(openLocation(`docker-archive:${join(dir, 'junk.tar')}`), /not a readable tar archive|no manifest.json/);
    writeFileSync(join(dir, 'empty.tar'), await tarOf({ 'hello.txt': Buffer.from('hi') }));
    await expectOneLine(openLocation(`docker-archive:${join(dir, 'empty.tar')}`), /has no manifest.json/);
    await expectOneLine(openLocation(`docker-archive:${join(dir, 'missing.tar')}`), /does not exist/);
  });

  it('refuses a layer that does not match its diff_id', async () => {
    const image = await randomImage([{ f: Buffer.from('original') }], 'none');
    const dir = tempDir('swapped');
    const file = join(dir, 'a.tar');
    await writeLocation(image, `docker-archive:${file}`);
    const unpacked = join(dir, 'x');
    mkdirSync(unpacked);
    execFileSync('tar', ['-xf', file, '-C', unpacked]);
    const layerName = `${digestHex(image.layers[0]!.diffId)}/layer.tar`;
    writeFileSync(join(unpacked, layerName), await tarOf({ f: Buffer.from('tampered') }));
    execFileSync('tar', ['-cf', file, '-C', unpacked, 'manifest.json', layerName, `${digestHex(image.manifest.config.digest)}.json`]);
    await expectOneLine(openLocation(`docker-archive:${file}`), /its content has digest .* it is damaged/);
  });
});

describe('locations and configs', () => {
  it('parses skopeo-style locations and refuses others with a hint', () => {
    expect(parseImageLocation('oci:/tmp/x:app')).toEqual({ transport: 'oci', dir: '/tmp/x', tag: 'app' });
    expect(parseImageLocation('oci:/tmp/x')).toEqual({ transport: 'oci', dir: '/tmp/x' });
    expect(parseImageLocation('docker-archive:/tmp/a.tar:repo/app')).toEqual({ transport: 'docker-archive', file: '/tmp/a.tar', reference: 'repo/app:latest' });
    expect(parseImageLocation('docker-archive:/tmp/a.tar:app:v1')).toEqual({ transport: 'docker-archive', file: '/tmp/a.tar', reference: 'app:v1' });
    expect(() => parseImageLocation('docker://x/y')).toThrow(/use oci:DIR\[:TAG\] or docker-archive/);
    expect(() => parseImageLocation('docker-archive:/tmp/a.tar:Bad Name')).toThrow(/not a docker image reference/);
    expect(() => parseImageLocation('oci:')).toThrow(/names no folder/);
  });

  it('maps Nix systems to OCI architectures and refuses what is not Linux', () => {
    expect(architectureOf('x86_64-linux')).toBe('amd64');
    expect(architectureOf('aarch64-linux')).toBe('arm64');
    expect(() => architectureOf('x86_64-darwin')).toThrow(/cannot make a Linux container image/);
  });

  it('writes the runtime settings a user gives, and refuses a bad port', () => {
    const config = makeImageConfig({
      system: 'aarch64-linux',
      layers: [],
      runtime: { entrypoint: ['/bin/app'], env: ['A=1'], exposedPorts: ['80', '53/udp'], workingDir: '/srv', user: '1000', labels: { b: '2', a: '1' } },
    });
    expect(config.config).toEqual({
      Env: ['PATH=/bin:/usr/bin:/sbin:/usr/sbin', 'A=1'],
      Entrypoint: ['/bin/app'],
      WorkingDir: '/srv',
      User: '1000',
      ExposedPorts: { '53/udp': {}, '80/tcp': {} },
      Labels: { a: '1', b: '2' },
    });
    expect(config.created).toBe('1970-01-01T00:00:01Z');
    expect(() => makeImageConfig({ system: 'x86_64-linux', layers: [], runtime: { exposedPorts: ['99999'] } })).toThrow(/exposed port "99999"/);
  });
});
