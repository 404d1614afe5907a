/**
 * Sink: writes an Image as a docker-archive (`docker save` format) that
 * `docker load` and `skopeo copy docker-archive:…` accept: manifest.json, the
 * config as `<hex>.json` and each layer as an uncompressed `<diffid hex>/layer.tar`
 * (docker save's layout), so the tar's digest is the config's diff_id. Layers are
 * decompressed on the fly and checked against their diff_ids; the archive is
 * written to a temporary sibling and renamed when whole.
 */
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import * as tar from 'tar-stream';
import { LaminaError } from '../../../src-shared/errors.js';
import { digestHex } from './digest.js';
import { decompressor, DigestCheck } from './layer-streams.js';
import { layerCompressionOf } from './media-types.js';
import type { Image, ImageLayer } from './model.js';

const ENTRY_DEFAULTS = { mtime: new Date(1000), uid: 0, gid: 0, mode: 0o644 } as const;

export async function writeDockerArchive(image: Image, file: string, reference?: string, signal?: AbortSignal): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  const pack = tar.pack();
  const written = pipeline(pack, createWriteStream(temp), { signal });
  try {
    await fillArchive(pack, image, reference, signal);
    pack.finalize();
    await written;
    await rename(temp, file);
  } catch (err) {
    pack.destroy();
    await written.catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
}

async function fillArchive(pack: tar.Pack, image: Image, reference: string | undefined, signal?: AbortSignal): Promise<void> {
  const configName = `${digestHex(image.manifest.config.digest)}.json`;
  const layerNames: string[] = [];
  const done = new Set<string>();
  for (const layer of image.layers) {
    const name = `${digestHex(layer.diffId)}/layer.tar`;
    layerNames.push(name);
    if (done.has(name)) continue;
    done.add(name);
    await addLayer(pack, name, layer, signal);
  }
  await addBytes(pack, configName, image.rawConfig);
  const manifest = [{ Config: configName, RepoTags: reference ? [reference] : [], Layers: layerNames }];
  await addBytes(pack, 'manifest.json', Buffer.from(JSON.stringify(manifest)));
}

function addBytes(pack: tar.Pack, name: string, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ ...ENTRY_DEFAULTS, name }, bytes, (err) => (err ? reject(err) : resolve())));
}

/** A tar entry needs its size up front: known from the source, or counted in a first pass. */
async function addLayer(pack: tar.Pack, name: string, layer: ImageLayer, signal?: AbortSignal): Promise<void> {
  const compression = layerCompressionOf(layer.descriptor.mediaType);
  if (!compression) {
    throw new LaminaError(`layer ${layer.descriptor.digest} has media type ${layer.descriptor.mediaType}, which a docker archive cannot hold`, 'unsupported-layer');
  }
  const what = `layer ${layer.descriptor.digest} (uncompressed)`;
  let size = layer.uncompressedSize;
  if (size === undefined) {
    const counter = new DigestCheck({ digest: layer.diffId }, what);
    await pipeline(layer.open(), decompressor(compression), counter, discard(), { signal });
    size = counter.size;
  }
  await new Promise<void>((resolve, reject) => {
    const entry = pack.entry({ ...ENTRY_DEFAULTS, name, size }, (err) => (err ? reject(err) : resolve()));
    pipeline(layer.open(), decompressor(compression), new DigestCheck({ digest: layer.diffId, size }, what), entry, { signal }).catch(reject);
  });
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _enc, done) => done() });
}
