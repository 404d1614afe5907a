/**
 * Layers bigger than a slice are gzip streams of several members. Every reader a
 * user's image meets must take them (skopeo, umoci, Python's gzip, GNU tar), and
 * the bytes must not depend on how many threads compressed them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { GZIP_CHUNK_BYTES } from '../../src-main/engine/tarball/format.js';
import type { LayerBlob } from '../../src-main/engine/tarball/index.js';
import { addToStore, run, sha256Of, shell, tempDir } from './helpers.js';

const dir = tempDir('members');
const file = (name: string): string => join(dir, name);
const tsx = join(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const writer = join(import.meta.dirname, 'write-layer-process.ts');

/** 2.5 slices of bytes from a fixed seed, half of them text: some compress, some do not. */
function bigFile(): Buffer {
  const data = Buffer.alloc(Math.floor(GZIP_CHUNK_BYTES * 2.5));
  let state = 0x9e3779b9;
  for (let i = 0; i < data.length; i++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    data[i] = i % 8192 < 4096 ? 97 + ((state >>> 0) % 26) : state & 0xff;
  }
  return data;
}

let bigPath = '';
let paths: string[] = [];
const layers: Record<string, LayerBlob> = {};

function writeInProcess(threads: number, dest: string): LayerBlob {
  const out = execFileSync(tsx, [writer, dest, ...paths], { encoding: 'utf8', env: { ...process.env, LAMINA_COMPRESSION_THREADS: String(threads) } });
  return JSON.parse(out) as LayerBlob;
}

/** A one-layer OCI image layout around the blob, as skopeo and umoci expect it. */
function ociLayout(blob: LayerBlob, blobFile: string): string {
  const layout = file('layout');
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  const put = (bytes: Buffer): string => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    writeFileSync(join(layout, 'blobs', 'sha256', digest.slice(7)), bytes);
    return digest;
  };
  put(readFileSync(blobFile));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {}, rootfs: { type: 'layers', diff_ids: [blob.diffId] } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
      layers: [{ mediaType: blob.mediaType, digest: blob.digest, size: blob.size }],
    }),
  );
  const index = {
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: put(manifest), size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 't' } }],
  };
  writeFileSync(join(layout, 'index.json'), JSON.stringify(index));
  writeFileSync(join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  return layout;
}

beforeAll(() => {
  const source = file('big');
  mkdirSync(source);
  writeFileSync(join(source, 'data'), bigFile());
  bigPath = addToStore(source);
  paths = [bigPath, ...Object.values(inject('testbedOutPaths'))];
  layers.one = writeInProcess(1, file('one-thread.tar.gz'));
  layers.two = writeInProcess(2, file('two-threads.tar.gz'));
});

describe('multi-member gzip layers', () => {
  it('are byte for byte the same whether one thread or two compressed them', () => {
    expect(readFileSync(file('two-threads.tar.gz')).equals(readFileSync(file('one-thread.tar.gz')))).toBe(true);
    expect(layers.two).toEqual(layers.one);
    expect(sha256Of(file('one-thread.tar.gz'))).toBe(layers.one!.digest);
  });

  it('hold one member per slice of tar, which Python reads as one stream', () => {
    const script = [
      'import gzip, hashlib, sys, zlib',
      'raw = open(sys.argv[1], "rb").read()',
      'members, rest = 0, raw',
      'while rest:',
      '    d = zlib.decompressobj(31)',
      '    d.decompress(rest)',
      '    members, rest = members + 1, d.unused_data',
      'print(members, "sha256:" + hashlib.sha256(gzip.decompress(raw)).hexdigest())',
    ].join('\n');
    const [members, diffId] = run('python3', ['-c', script, file('one-thread.tar.gz')]).toString().trim().split(' ');
    expect(Number(members)).toBe(Math.ceil(layers.one!.uncompressedSize / GZIP_CHUNK_BYTES));
    expect(Number(members)).toBeGreaterThanOrEqual(3);
    expect(diffId).toBe(layers.one!.diffId);
  });

  it('extract with tar -xz to the store path, byte for byte', () => {
    const out = file('tar-x');
    mkdirSync(out);
    shell(`tar -xzf '${file('one-thread.tar.gz')}' -C '${out}'`);
    expect(readFileSync(join(out, bigPath.slice(1), 'data')).equals(readFileSync(join(bigPath, 'data')))).toBe(true);
  });

  it('are read whole by skopeo (decompressed to the diffID) and unpacked by umoci', () => {
    const layout = ociLayout(layers.one!, file('one-thread.tar.gz'));
    const copied = file('skopeo-dir');
    run('skopeo', ['copy', '--quiet', '--dest-decompress', `oci:${layout}:t`, `dir:${copied}`]);
    expect(sha256Of(join(copied, layers.one!.diffId.slice(7)))).toBe(layers.one!.diffId);
    const bundle = file('bundle');
    run('umoci', ['unpack', '--rootless', '--image', `${layout}:t`, bundle]);
    expect(readFileSync(join(bundle, 'rootfs', bigPath.slice(1), 'data')).equals(readFileSync(join(bigPath, 'data')))).toBe(true);
  });
});
