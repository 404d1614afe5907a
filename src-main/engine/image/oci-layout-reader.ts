/**
 * Source: reads an Image from an OCI image layout folder (`oci:DIR[:TAG]`).
 * Everything from the folder is checked before use: the layout version, the
 * index, the manifest and config against their digests, blob files against
 * their sizes up front and their digests as they are streamed.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';
import { digestHex } from './digest.js';
import { sha256Digest } from './sha256.js';
import { DigestCheck } from './layer-streams.js';
import { MediaType } from './media-types.js';
import { REF_NAME_ANNOTATION } from './media-types.js';
import type { Descriptor, Image, ImageLayer } from './model.js';
import { checkBlob } from './check-blob.js';
import { indexSchema, layoutSchema, parseConfig, parseJson, parseManifest } from './validate.js';

export async function readOciLayout(dir: string, tag?: string): Promise<Image> {
  const where = tag ? `oci:${dir}:${tag}` : `oci:${dir}`;
  const layoutBytes = await readFile(join(dir, 'oci-layout')).catch(() => {
    throw new LaminaError(`${dir} is not an OCI image layout (no oci-layout file); check the path`, 'not-found');
  });
  const layout = parseJson(layoutBytes, layoutSchema, `${dir}/oci-layout`);
  if (layout.imageLayoutVersion !== '1.0.0') {
    throw new LaminaError(`${dir} is OCI image layout version ${layout.imageLayoutVersion}; Lamina reads 1.0.0`, 'bad-image');
  }
  const index = parseJson(await readFile(join(dir, 'index.json')), indexSchema, `${dir}/index.json`);
  const manifestDescriptor = pickManifest(index.manifests, tag, where);
  const rawManifest = await readBlob(dir, manifestDescriptor, `the manifest of ${where}`);
  const manifest = parseManifest(rawManifest, `the manifest of ${where}`);
  const rawConfig = await readBlob(dir, manifest.config, `the config of ${where}`);
  const config = parseConfig(rawConfig, manifest.layers.length, `the config of ${where}`);
  const layers: ImageLayer[] = [];
  for (const [i, descriptor] of manifest.layers.entries()) {
    const file = join(dir, 'blobs', 'sha256', digestHex(descriptor.digest));
    const size = await stat(file).then((s) => s.size, () => -1);
    if (size !== descriptor.size) {
      const problem = size < 0 ? 'is missing' : `is ${size} bytes, not ${descriptor.size}`;
      throw new LaminaError(`layer ${i + 1} of ${where} (${descriptor.digest}) ${problem}; the layout is incomplete or damaged`, 'bad-image');
    }
    layers.push({
      descriptor,
      diffId: config.rootfs.diff_ids[i]!,
      open: () => createReadStream(file, { highWaterMark: 1 << 20 }).pipe(new DigestCheck(descriptor, `layer ${i + 1} of ${where}`)),
    });
  }
  return { manifest, rawManifest, manifestDigest: manifestDescriptor.digest, config, rawConfig, layers };
}

function pickManifest(manifests: readonly Descriptor[], tag: string | undefined, where: string): Descriptor {
  const images = manifests.filter((d) => d.mediaType === MediaType.ociManifest || d.mediaType === MediaType.dockerManifest);
  if (tag !== undefined) {
    const named = manifests.find((d) => d.annotations?.[REF_NAME_ANNOTATION] === tag);
    if (named?.mediaType === MediaType.ociIndex) {
      throw new LaminaError(`${where} is a multi-platform image index; copy one platform's image out of it first (skopeo copy --override-arch …)`, 'unsupported-image');
    }
    if (!named || !images.includes(named)) {
      const names = images.map((d) => d.annotations?.[REF_NAME_ANNOTATION]).filter(Boolean);
      throw new LaminaError(`${where}: no image named "${tag}" (the layout has ${names.length ? names.join(', ') : 'no named images'})`, 'not-found');
    }
    return named;
  }
  if (images.length !== 1) {
    throw new LaminaError(`${where} holds ${images.length} images; name one as oci:DIR:TAG`, images.length ? 'ambiguous' : 'not-found');
  }
  return images[0]!;
}

async function readBlob(dir: string, descriptor: Descriptor, what: string): Promise<Buffer> {
  if (descriptor.size > 4 << 20) throw new LaminaError(`${what} claims ${descriptor.size} bytes, too large for image metadata; it is not a valid image`, 'bad-image');
  const bytes = await readFile(join(dir, 'blobs', 'sha256', digestHex(descriptor.digest))).catch(() => {
    throw new LaminaError(`${what} (${descriptor.digest}) is missing from the layout; it is incomplete`, 'bad-image');
  });
  checkBlob(descriptor, { digest: sha256Digest(bytes), size: bytes.length }, what);
  return bytes;
}
