/**
 * A big OCI image layout written to disk as it is made (never whole in memory):
 * plain tar layers, each a folder of a few small files and one large file of
 * random bytes, so that reading it takes visible time without slowing anything
 * down on purpose.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack, type Pack } from 'tar-stream';

const CHUNK = 4 * 1024 * 1024;
const TAR_LAYER = 'application/vnd.oci.image.layer.v1.tar';

export interface BigLayer {
  /** The folder at the layer's root that holds its files. */
  readonly folder: string;
  readonly smallFiles: readonly string[];
  /** The large file's size in bytes (a multiple of 4 MiB). */
  readonly bigBytes: number;
}

export interface BigLayout {
  /** `oci:DIR:big` */
  readonly ref: string;
  /** Every layer blob's size: what the manifest declares, the total a progress bar counts to. */
  readonly layerBytes: number;
  /** Each layer's file paths, as the Files tab lists them. */
  readonly files: readonly (readonly string[])[];
}

const MTIME = new Date(1000);

/** A folder (no body) or a small file, once the entry before it is written. */
function addEntry(tar: Pack, name: string, body?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error | null): void => (err ? reject(err) : resolve());
    if (body) tar.entry({ name, type: 'file', mode: 0o644, mtime: MTIME, uid: 0, gid: 0 }, body, done);
    else tar.entry({ name, type: 'directory', mode: 0o755, mtime: MTIME, uid: 0, gid: 0 }, done);
  });
}

async function writeLayer(blobs: string, layer: BigLayer): Promise<{ digest: string; size: number }> {
  const tar = pack();
  const hash = createHash('sha256');
  let size = 0;
  const ingest = join(blobs, `ingest-${layer.folder}`);
  const written = pipeline(
    tar,
    new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    }),
    createWriteStream(ingest),
  );
  await addEntry(tar, `${layer.folder}/`);
  for (const name of layer.smallFiles) await addEntry(tar, `${layer.folder}/${name}`, Buffer.from(`${layer.folder} ${name}\n`));
  await new Promise<void>((resolve, reject) => {
    const entry = tar.entry({ name: `${layer.folder}/noise.bin`, mode: 0o644, mtime: MTIME, uid: 0, gid: 0, size: layer.bigBytes }, (err) => (err ? reject(err) : resolve()));
    void (async () => {
      for (let done = CHUNK; done < layer.bigBytes; done += CHUNK) {
        if (!entry.write(randomBytes(CHUNK))) await once(entry, 'drain');
      }
      entry.end(randomBytes(CHUNK));
    })().catch(reject);
  });
  tar.finalize();
  await written;
  const digest = `sha256:${hash.digest('hex')}`;
  renameSync(ingest, join(blobs, digest.slice(7)));
  return { digest, size };
}

export async function writeBigLayout(dir: string, layers: readonly BigLayer[]): Promise<BigLayout> {
  const blobs = join(dir, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (bytes: Buffer): string => {
    const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    writeFileSync(join(blobs, digest.slice(7)), bytes);
    return digest;
  };
  const descriptors: { mediaType: string; digest: string; size: number }[] = [];
  for (const layer of layers) descriptors.push({ mediaType: TAR_LAYER, ...(await writeLayer(blobs, layer)) });
  // A plain tar's digest is its diffID.
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: descriptors.map((d) => d.digest) } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
      layers: descriptors,
    }),
  );
  const manifestDigest = put(manifest);
  writeFileSync(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'big' } }],
    }),
  );
  return {
    ref: `oci:${dir}:big`,
    layerBytes: descriptors.reduce((sum, d) => sum + d.size, 0),
    files: layers.map((l) => [...l.smallFiles, 'noise.bin'].map((name) => `${l.folder}/${name}`)),
  };
}
