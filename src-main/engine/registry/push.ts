import { Readable } from 'node:stream';
import { LaminaError } from '../../../src-shared/errors.js';
import type { Image } from '../image/model.js';
import { pushScope, type RegistryClient } from './client.js';
import { sha256Digest } from '../image/sha256.js';
import type { ManifestBytes, PushBlob } from './payloads.js';
import { MediaType } from '../image/media-types.js';
import { isAbort } from './network-error.js';
import { toDockerManifest } from './docker-manifest.js';
import type { BlobLocations } from './push-records.js';
import { errorCodes, registryError } from './registry-error.js';
import { header } from './transport.js';
import { mountBlob, uploadBlob, type UploadOptions } from './upload.js';
import { DEFAULT_JOBS } from '../../../src-shared/push-jobs.js';

export type BlobAction = 'uploaded' | 'exists' | 'mounted';

export type PushEvent =
  | { readonly kind: 'blob'; readonly digest: string; readonly size: number; readonly phase: 'checking' | 'mounting' | 'uploading'; readonly sent: number }
  | { readonly kind: 'blob-done'; readonly digest: string; readonly size: number; readonly action: BlobAction }
  | { readonly kind: 'manifest'; readonly digest: string; readonly mediaType: string };

export interface PushOptions {
  /** Blobs sent at the same time. */
  readonly jobs?: number;
  readonly chunkSize?: UploadOptions['chunkSize'];
  /** Where blobs are known to be (for cross-repository mounts), and where confirmations go. */
  readonly locations?: BlobLocations;
  readonly onEvent?: (event: PushEvent) => void;
}

export interface PushResult {
  /** Digest of the manifest as pushed (a Docker schema2 one when the registry refused OCI). */
  readonly digest: string;
  readonly mediaType: string;
  readonly blobs: { digest: string; size: number; action: BlobAction }[];
  readonly bytesUploaded: number;
}

export interface PushTarget {
  readonly repository: string;
  readonly tag?: string;
}

/** An Image as a push sends it: the manifest's exact bytes, and every blob it names, the config first. */
interface WireImage {
  readonly manifest: ManifestBytes;
  readonly blobs: readonly PushBlob[];
}

/**
 * The config's exact bytes, then the layers in manifest order. An Image's layer
 * streams check themselves against their descriptors (see ImageLayer.open), so
 * the push does not hash them again.
 */
function wireImage(image: Image): WireImage {
  const config = image.manifest.config;
  return {
    manifest: { bytes: image.rawManifest, mediaType: image.manifest.mediaType, digest: image.manifestDigest },
    blobs: [
      { digest: config.digest, size: config.size, mediaType: config.mediaType, open: async () => Readable.from([image.rawConfig]) },
      ...image.layers.map((layer): PushBlob => ({ ...layer.descriptor, selfChecked: true, open: async () => layer.open() })),
    ],
  };
}

/**
 * Pushes an image: every blob first (HEAD, then a mount from another repository
 * where one is known to hold it, else an upload), several at a time, then the
 * manifest. The client's AbortSignal cancels it.
 */
export async function pushImage(client: RegistryClient, target: PushTarget, source: Image, options: PushOptions = {}): Promise<PushResult> {
  const image = wireImage(source);
  const already = await alreadyThere(client, target, image, options);
  if (already) return already;
  const unique = [...new Map(image.blobs.map((b) => [b.digest, b])).values()];
  const results = new Map<string, { digest: string; size: number; action: BlobAction }>();
  let bytesUploaded = 0;
  const jobs = Math.max(1, options.jobs ?? DEFAULT_JOBS);
  let nextIndex = 0;
  let failing = false;
  const worker = async (): Promise<void> => {
    while (!failing && nextIndex < unique.length) {
      const blob = unique[nextIndex++]!;
      const action = await pushBlob(client, target.repository, blob, options).catch((err: unknown) => {
        failing = true;
        throw err;
      });
      if (action === 'uploaded') bytesUploaded += blob.size;
      results.set(blob.digest, { digest: blob.digest, size: blob.size, action });
      options.onEvent?.({ kind: 'blob-done', digest: blob.digest, size: blob.size, action });
    }
  };
  const workers = Array.from({ length: Math.min(jobs, unique.length) }, worker);
  // Let every running upload settle before reporting, so none keeps going after a failure.
  const settled = await Promise.allSettled(workers);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw isAbort(failed.reason) ? new LaminaError('cancelled', 'cancelled', { cause: failed.reason }) : failed.reason;

  const pushed = await putManifest(client, target, image.manifest);
  bytesUploaded += pushed.bytes.length;
  options.onEvent?.({ kind: 'manifest', digest: pushed.digest, mediaType: pushed.mediaType });
  options.locations?.recordPush({
    registry: client.registry,
    repository: target.repository,
    ...(target.tag !== undefined ? { tag: target.tag } : {}),
    digest: pushed.digest,
    mediaType: pushed.mediaType,
    bytesUploaded,
  });
  return { digest: pushed.digest, mediaType: pushed.mediaType, blobs: image.blobs.map((b) => results.get(b.digest)!), bytesUploaded };
}

/**
 * A repository that holds the manifest holds every blob it names (a registry
 * refuses a manifest whose blobs it lacks), so a no-change push only checks that
 * and moves the tag if needed. Answers undefined when there is work to do.
 */
async function alreadyThere(client: RegistryClient, target: PushTarget, image: WireImage, options: PushOptions): Promise<PushResult | undefined> {
  const scope = pushScope(target.repository);
  const held = await client.manifestHead(target.repository, image.manifest.digest, scope);
  if (held?.digest !== image.manifest.digest) return undefined;
  let bytesUploaded = 0;
  if (target.tag !== undefined && (await client.manifestHead(target.repository, target.tag, scope))?.digest !== image.manifest.digest) {
    await putManifest(client, target, image.manifest);
    bytesUploaded = image.manifest.bytes.length;
  }
  const blobs = image.blobs.map((b) => ({ digest: b.digest, size: b.size, action: 'exists' as const }));
  for (const blob of blobs) {
    options.locations?.confirmBlob(client.registry, target.repository, blob.digest, blob.size);
    options.onEvent?.({ kind: 'blob-done', ...blob });
  }
  options.onEvent?.({ kind: 'manifest', digest: image.manifest.digest, mediaType: image.manifest.mediaType });
  options.locations?.recordPush({
    registry: client.registry,
    repository: target.repository,
    ...(target.tag !== undefined ? { tag: target.tag } : {}),
    digest: image.manifest.digest,
    mediaType: image.manifest.mediaType,
    bytesUploaded,
  });
  return { digest: image.manifest.digest, mediaType: image.manifest.mediaType, blobs, bytesUploaded };
}

/** One blob into a repository: found there, mounted from a repository known to hold it, or uploaded; confirmed in `locations`. */
export async function pushBlob(client: RegistryClient, repository: string, blob: PushBlob, options: PushOptions): Promise<BlobAction> {
  const progress = (phase: 'checking' | 'mounting' | 'uploading', sent: number) =>
    options.onEvent?.({ kind: 'blob', digest: blob.digest, size: blob.size, phase, sent });
  const confirm = () => options.locations?.confirmBlob(client.registry, repository, blob.digest, blob.size);

  progress('checking', 0);
  if ((await client.blobSize(repository, blob.digest, pushScope(repository))) !== undefined) {
    confirm();
    return 'exists';
  }
  let session: URL | undefined;
  const holders = options.locations?.repositoriesWith(client.registry, blob.digest).filter((r) => r !== repository) ?? [];
  for (const from of holders.slice(0, 3)) {
    progress('mounting', 0);
    const mount = await mountBlob(client, repository, blob.digest, from).catch((err: unknown): Awaited<ReturnType<typeof mountBlob>> => {
      // A refused mount is no failure of the push: the blob is simply uploaded.
      if (err instanceof LaminaError && err.code !== 'cancelled') return { mounted: false as const };
      throw err;
    });
    if (mount.mounted) {
      confirm();
      return 'mounted';
    }
    if (mount.session) {
      session = mount.session;
      break;
    }
  }
  progress('uploading', 0);
  await uploadBlob(client, repository, blob, { ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}), onBytes: (sent) => progress('uploading', sent) }, session);
  confirm();
  return 'uploaded';
}

/** A refusal that means "not this manifest type" rather than "not allowed" or "broken". */
function refusesType(status: number, body: unknown): boolean {
  const codes = errorCodes(body);
  return status === 415 || (status === 400 && (codes.includes('MANIFEST_INVALID') || codes.includes('UNSUPPORTED') || codes.length === 0));
}

async function putManifest(client: RegistryClient, target: PushTarget, manifest: ManifestBytes): Promise<ManifestBytes> {
  const attempt = async (m: ManifestBytes) => {
    const res = await client.putManifest(target.repository, target.tag ?? m.digest, m);
    const text = await res.body.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { res, body };
  };
  let current = manifest;
  let { res, body } = await attempt(current);
  if (res.status !== 201 && current.mediaType === MediaType.ociManifest && refusesType(res.status, body)) {
    const bytes = toDockerManifest(current.bytes);
    current = { bytes, mediaType: MediaType.dockerManifest, digest: sha256Digest(bytes) };
    ({ res, body } = await attempt(current));
  }
  if (res.status !== 201) {
    throw registryError({ status: res.status, body, registry: client.registry, repository: target.repository, doing: 'push the manifest', sentCredentials: client.transport.sentCredentials });
  }
  const confirmed = header(res, 'docker-content-digest');
  if (confirmed && confirmed !== current.digest) {
    throw new LaminaError(`${client.registry} stored the manifest under ${confirmed}, not ${current.digest}; the registry rewrote it`, 'digest-mismatch');
  }
  return current;
}
