/** In-memory images for source/sink tests (after go-containerregistry's random.Image). */
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import * as tar from 'tar-stream';
import { makeImageConfig } from '../../src-main/engine/image/config.js';
import { sha256Digest } from '../../src-main/engine/image/sha256.js';
import { serializeConfig, serializeManifest } from '../../src-main/engine/image/manifest.js';
import { layerMediaType } from '../../src-main/engine/image/media-types.js';
import type { Image } from '../../src-main/engine/image/model.js';

export async function tarOf(files: Readonly<Record<string, Uint8Array>>): Promise<Buffer> {
  const pack = tar.pack();
  for (const [name, data] of Object.entries(files)) pack.entry({ name, mtime: new Date(1000) }, Buffer.from(data));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function randomImage(layerFiles: readonly Readonly<Record<string, Uint8Array>>[], compression: 'gzip' | 'none'): Promise<Image> {
  const tars = await Promise.all(layerFiles.map(tarOf));
  const blobs = tars.map((t) => (compression === 'gzip' ? gzipSync(t) : t));
  const config = serializeConfig(
    makeImageConfig({ system: 'x86_64-linux', layers: tars.map((t, i) => ({ diffId: sha256Digest(t), description: `layer ${i}` })), runtime: {} }),
  );
  const descriptors = blobs.map((b) => ({ mediaType: layerMediaType(compression), digest: sha256Digest(b), size: b.length }));
  const manifest = serializeManifest(config.descriptor, descriptors);
  return {
    manifest: manifest.value,
    rawManifest: manifest.bytes,
    manifestDigest: manifest.descriptor.digest,
    config: config.value,
    rawConfig: config.bytes,
    layers: blobs.map((blob, i) => ({ descriptor: descriptors[i]!, diffId: sha256Digest(tars[i]!), open: () => Readable.from([blob]) })),
  };
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
