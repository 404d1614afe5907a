/**
 * Source: reads an Image from a docker-archive (`docker save` output). The
 * archive is unpacked once into a private temporary folder under the data dir
 * (`tmp/`; tar has no index, and layers are read more than once), then checked: manifest.json's shape, file
 * names that stay inside the folder, the config against the diff_ids, each layer
 * tar against its diff_id. Layers may be plain or gzip/zstd compressed tars.
 * Call `close()` to remove the temporary folder.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, open, readFile, rm } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import * as tar from 'tar-stream';
import { z } from 'zod';
import { LaminaError } from '../../../src-shared/errors.js';
import { laminaHome } from '../home.js';
import { hashFile, sha256Digest } from './sha256.js';
import { decompressor, DigestCheck } from './layer-streams.js';
import { MediaType } from './media-types.js';
import { layerMediaType, type LayerCompression } from './media-types.js';
import { serializeManifest } from './manifest.js';
import type { Descriptor, Image, ImageLayer } from './model.js';
import { parseConfig, parseJson } from './validate.js';

export interface OpenedArchive {
  readonly image: Image;
  close(): Promise<void>;
}

const archiveManifestSchema = z
  .array(z.object({ Config: z.string().min(1), RepoTags: z.array(z.string()).nullish(), Layers: z.array(z.string().min(1)) }))
  .min(1);

export async function readDockerArchive(file: string, reference?: string, signal?: AbortSignal): Promise<OpenedArchive> {
  const where = reference ? `docker-archive:${file}:${reference}` : `docker-archive:${file}`;
  const scratch = join(laminaHome(), 'tmp');
  await mkdir(scratch, { recursive: true });
  const dir = await mkdtemp(join(scratch, 'archive-'));
  try {
    await unpack(file, dir, where, signal);
    const image = await assemble(dir, where, reference, signal);
    return { image, close: () => rm(dir, { recursive: true, force: true }) };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

async function unpack(file: string, dir: string, where: string, signal?: AbortSignal): Promise<void> {
  const extract = tar.extract();
  // A hostile name is remembered and the entry skipped: failing the extract from
  // inside its own entry handler would surface the error twice.
  let hostile: unknown;
  extract.on('entry', (header, stream, next) => {
    let name: string | undefined;
    try {
      name = safeName(header.name, where);
    } catch (err) {
      hostile ??= err;
    }
    if (header.type !== 'file' || name === undefined) {
      stream.on('end', () => next());
      stream.resume();
      return;
    }
    const target = join(dir, name);
    mkdir(dirname(target), { recursive: true })
      .then(() => pipeline(stream, createWriteStream(target)))
      .then(() => next(), (err: unknown) => next(err as Error));
  });
  await pipeline(createReadStream(file), extract, { signal }).catch((err: unknown) => {
    if (err instanceof LaminaError || (err as Error).name === 'AbortError') throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LaminaError(`${file} does not exist; check the path`, 'not-found');
    throw new LaminaError(`${where} is not a readable tar archive (${(err as Error).message}); is it a docker save file?`, 'bad-image');
  });
  if (hostile) throw hostile;
}

/** The entry's path relative to the archive root; names that would escape it are refused. */
function safeName(name: string, where: string): string {
  const normal = normalize(name.replace(/^\.\//, ''));
  if (normal.startsWith('..') || normal.startsWith(sep) || normal === '.') {
    throw new LaminaError(`${where} has an entry named "${name}", outside the archive; refusing a hostile archive`, 'bad-image');
  }
  return normal;
}

async function assemble(dir: string, where: string, reference: string | undefined, signal?: AbortSignal): Promise<Image> {
  const entries = parseJson(await readMember(dir, 'manifest.json', where), archiveManifestSchema, `manifest.json of ${where}`);
  const entry = reference ? entries.find((e) => e.RepoTags?.includes(reference)) : entries.length === 1 ? entries[0] : undefined;
  if (!entry) {
    const tags = entries.flatMap((e) => e.RepoTags ?? []);
    throw new LaminaError(
      reference
        ? `${where}: no image tagged ${reference} (the archive has ${tags.join(', ') || 'no tags'})`
        : `${where} holds ${entries.length} images; name one as docker-archive:FILE:NAME:TAG`,
      'not-found',
    );
  }
  const rawConfig = await readMember(dir, entry.Config, where);
  const configDescriptor: Descriptor = { mediaType: MediaType.ociConfig, digest: sha256Digest(rawConfig), size: rawConfig.length };
  const config = parseConfig(rawConfig, entry.Layers.length, `the config of ${where}`);

  const layers: ImageLayer[] = [];
  for (const [i, name] of entry.Layers.entries()) {
    const file = join(dir, safeName(name, where));
    const diffId = config.rootfs.diff_ids[i]!;
    const compression = await sniffCompression(file, where);
    const blob = await hashFile(file, signal);
    const what = `layer ${i + 1} of ${where} (${name})`;
    const tarCheck = new DigestCheck({ digest: diffId }, `${what}: its content`);
    await pipeline(createReadStream(file), decompressor(compression), tarCheck, new Writable({ write: (_c, _e, done) => done() }), { signal }).catch(
      (err: unknown) => {
        if (err instanceof LaminaError || (err as Error).name === 'AbortError') throw err;
        throw new LaminaError(`${what} cannot be decompressed (${(err as Error).message}); the archive is damaged`, 'bad-image');
      },
    );
    const descriptor: Descriptor = { mediaType: layerMediaType(compression), digest: blob.digest, size: blob.size };
    layers.push({ descriptor, diffId, uncompressedSize: tarCheck.size, open: () => createReadStream(file).pipe(new DigestCheck(descriptor, what)) });
  }
  const manifest = serializeManifest(configDescriptor, layers.map((l) => l.descriptor));
  return { manifest: manifest.value, rawManifest: manifest.bytes, manifestDigest: manifest.descriptor.digest, config, rawConfig, layers };
}

async function readMember(dir: string, name: string, where: string): Promise<Buffer> {
  const path = join(dir, safeName(name, where));
  return readFile(path).catch(() => {
    throw new LaminaError(`${where} has no ${name}; it is not a complete docker save archive`, 'bad-image');
  });
}

async function sniffCompression(file: string, where: string): Promise<LayerCompression> {
  const handle = await open(file, 'r').catch(() => {
    throw new LaminaError(`${where} lists a layer that is not in the archive; it is incomplete`, 'bad-image');
  });
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
    if (head.readUInt32LE(0) === 0xfd2fb528) return 'zstd';
    return 'none';
  } finally {
    await handle.close();
  }
}
