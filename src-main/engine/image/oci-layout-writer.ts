/**
 * Sink: writes an Image into an OCI image layout folder (`oci:DIR[:TAG]`),
 * creating the layout or adding to an existing one. A blob from Lamina's store
 * is cloned (reflink) or hard-linked where the file system allows: blobs are
 * never changed in place, by Lamina or by OCI tools, so sharing the bytes is
 * safe, and an export costs no copy. Any other blob is copied from its layer
 * stream, which checks it against its descriptor as it flows (ImageLayer.open),
 * so a damaged blob fails the copy. Either way it lands by rename, so an
 * interrupted export never leaves a blob with the wrong bytes under its name.
 */
import { constants, createWriteStream, existsSync } from 'node:fs';
import { copyFile, link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { makeDirs } from '../make-dirs.js';
import { digestHex } from './digest.js';
import { MediaType } from './media-types.js';
import { REF_NAME_ANNOTATION as REF_NAME } from './media-types.js';
import type { Descriptor, Image, ImageLayer } from './model.js';
import { indexSchema, parseJson } from './validate.js';

export async function writeOciLayout(image: Image, dir: string, tag?: string, signal?: AbortSignal): Promise<void> {
  const blobs = join(dir, 'blobs', 'sha256');
  makeDirs(blobs);
  await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }) + '\n');
  for (const layer of image.layers) {
    await copyBlob(layer, blobs, signal);
  }
  await putBytes(image.rawConfig, image.manifest.config, blobs);
  const manifest: Descriptor = { mediaType: MediaType.ociManifest, digest: image.manifestDigest, size: image.rawManifest.length };
  await putBytes(image.rawManifest, manifest, blobs);
  await addToIndex(dir, tag ? { ...manifest, annotations: { [REF_NAME]: tag } } : manifest);
}

async function alreadyThere(file: string, size: number): Promise<boolean> {
  try {
    return (await stat(file)).size === size;
  } catch {
    return false;
  }
}

async function copyBlob(layer: ImageLayer, blobs: string, signal?: AbortSignal): Promise<void> {
  const { descriptor } = layer;
  const target = join(blobs, digestHex(descriptor.digest));
  if (await alreadyThere(target, descriptor.size)) return;
  const temp = `${target}.${process.pid}.tmp`;
  try {
    signal?.throwIfAborted();
    if (!(layer.file && (await linked(layer.file, temp, descriptor.size)))) {
      await pipeline(layer.open(), createWriteStream(temp), { signal });
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

/** A clone of `file` at `temp`, else a hard link to it; false when the file system allows neither (another device, FAT). */
async function linked(file: string, temp: string, size: number): Promise<boolean> {
  // A store blob that is missing or of another size is left to the checked copy, which says what is wrong.
  if ((await stat(file).catch(() => undefined))?.size !== size) return false;
  try {
    await copyFile(file, temp, constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch {
    await rm(temp, { force: true });
  }
  try {
    await link(file, temp);
    return true;
  } catch {
    return false;
  }
}

async function putBytes(bytes: Buffer, descriptor: Descriptor, blobs: string): Promise<void> {
  const target = join(blobs, digestHex(descriptor.digest));
  if (await alreadyThere(target, descriptor.size)) return;
  const temp = `${target}.${process.pid}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, target);
}

/** Adds the manifest to index.json; an entry with the same name is replaced (a tag moves). */
async function addToIndex(dir: string, entry: Descriptor): Promise<void> {
  const file = join(dir, 'index.json');
  const existing = existsSync(file) ? parseJson(await readFile(file), indexSchema, `${file}`).manifests : [];
  const name = entry.annotations?.[REF_NAME];
  const kept = existing.filter((d) =>
    name === undefined ? d.digest !== entry.digest || d.annotations?.[REF_NAME] !== undefined : d.annotations?.[REF_NAME] !== name,
  );
  const index = { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [...kept, entry] };
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(index, null, 2) + '\n');
  await rename(temp, file);
}
