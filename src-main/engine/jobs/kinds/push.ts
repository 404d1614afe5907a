/**
 * Pushing an image to a registry, as a job: from the app's Push view and from
 * `lamina push` alike, so a push from a terminal shows in the app's job history.
 * The image is any location (a store image by name, `oci:`, `docker-archive:`,
 * `docker://`). Every blob's state (checking, uploading with bytes sent, then
 * uploaded / already there / mounted) is the job's detail, and goes to the log as
 * a line for people; the job's progress counts bytes over all blobs; the result
 * is the manifest digest the registry now names.
 */
import { LaminaError } from '../../../../src-shared/errors.js';
import { formatBlobLine, type BlobLine } from '../../../../src-shared/push-detail.js';
import { formatReference, parseReference } from '../../../../src-shared/reference.js';
import type { Image } from '../../image/model.js';
import { openLocation } from '../../locations.js';
import { RegistryClient } from '../../registry/client.js';
import { lookupCredentials, type Credentials } from '../../registry/credentials.js';
import { PushRecords } from '../../registry/push-records.js';
import { pushImage, type BlobAction, type PushEvent } from '../../registry/push.js';
import { DEFAULT_JOBS } from '../../../../src-shared/push-jobs.js';
import type { Store } from '../../store/store.js';
import type { JobKind } from '../kind.js';

export interface PushInput {
  /** What to push: the name of an image in the local store, or a location (`oci:…`, `docker-archive:…`, `docker://…`). */
  readonly image: string;
  /** `HOST[:PORT]/REPOSITORY[:TAG]`, with or without `docker://`. */
  readonly target: string;
  /** false also allows plain HTTP (a local registry); unset: verify unless registries.conf marks the registry insecure. */
  readonly tlsVerify?: boolean;
  /**
   * `auto`: the login the caller's access gives for the registry (the app: Settings,
   * else what docker, podman and skopeo keep; the CLI: its flags); `anonymous`: none
   * at all. Passwords never travel in a job's input, which is stored.
   */
  readonly credentials: 'auto' | 'anonymous';
  /** Blobs sent at the same time. */
  readonly jobs?: number;
}

export interface PushJobResult {
  readonly reference: string;
  readonly digest: string;
  readonly blobs: readonly { digest: string; size: number; action: BlobAction }[];
  readonly bytesUploaded: number;
}

/** How a push reaches the target registry: with which login and trust. The caller closes nothing; the job closes the client. */
export interface PushAccess {
  client(registry: string, options: { readonly tlsVerify?: boolean; readonly anonymous: boolean; readonly connections: number; readonly signal: AbortSignal }): Promise<RegistryClient>;
}

/** The credentials the app keeps for a registry host (Settings), if any. */
export type SavedCredentials = (host: string) => Promise<Credentials | undefined>;

/** The app's access: Settings' login for the registry, else docker's and podman's files, asked only when the registry wants a login. */
export function savedLogins(saved: SavedCredentials): PushAccess {
  return {
    client: async (registry, { tlsVerify, anonymous, connections, signal }) =>
      new RegistryClient({
        registry,
        signal,
        connections,
        ...(tlsVerify !== undefined ? { tlsVerify } : {}),
        ...(anonymous ? {} : { credentials: async () => (await saved(registry)) ?? (await lookupCredentials(registry)) }),
      }),
  };
}

/** Sending progress is logged at most every this many bytes per blob, so a big layer stays a few lines. */
const LOG_STEP = 4 * 1024 * 1024;

function parseTarget(target: string): ReturnType<typeof parseReference> {
  const ref = parseReference(target.trim().replace(/^docker:\/\//, ''));
  if (ref.digest) throw new LaminaError('push to a tag (HOST/REPOSITORY:TAG), not a digest: the registry names a pushed manifest by its digest itself', 'bad-location');
  return ref;
}

/** Who watches a push as it happens besides the job's own record: the CLI draws its byte bars from these. */
export interface PushWatch {
  /** The image is open: its blobs and their sizes are known. */
  opened?(image: Image): void;
  /** The push's own events; the job's detail, progress and log are made from the same. */
  event?(event: PushEvent): void;
}

export function pushJob(openStore: () => Promise<Store>, access: PushAccess, watch: PushWatch = {}): JobKind<PushInput> {
  return {
    title: ({ image, target }) => `push ${image} to ${target.replace(/^docker:\/\//, '')}`,
    async run(input, { emit, signal }): Promise<PushJobResult> {
      const target = parseTarget(input.target);
      const tag = target.tag ?? 'latest';
      const jobs = input.jobs ?? DEFAULT_JOBS;
      const store = await openStore();
      const opened = await openLocation(input.image, { store, signal, ...(input.tlsVerify !== undefined ? { tlsVerify: input.tlsVerify } : {}) });
      const { image } = opened;
      watch.opened?.(image);
      const client = await access.client(target.registry, {
        anonymous: input.credentials === 'anonymous',
        connections: jobs + 2,
        signal,
        ...(input.tlsVerify !== undefined ? { tlsVerify: input.tlsVerify } : {}),
      }).catch(async (err: unknown) => {
        await opened.close();
        throw err;
      });
      const config = image.manifest.config;
      const sizes = new Map([[config.digest, config.size], ...image.layers.map((l): [string, number] => [l.descriptor.digest, l.descriptor.size])]);
      const total = [...sizes.values()].reduce((a, b) => a + b, 0);
      const done = new Map<string, number>();
      const logged = new Map<string, number>();
      const blobs = new Map<string, BlobLine>();
      const report = (line: BlobLine): void => {
        blobs.set(line.digest, line);
        emit({ type: 'detail', detail: { blobs: [...blobs.values()] } });
      };
      const progress = (): void => emit({ type: 'progress', done: [...done.values()].reduce((a, b) => a + b, 0), total, unit: 'bytes' });
      emit({ type: 'phase', name: 'blobs' });
      emit({ type: 'log', stream: 'info', text: `Pushing ${input.image} to ${formatReference({ ...target, tag })}: ${sizes.size} blobs` });
      try {
        const result = await pushImage(client, { repository: target.repository, tag }, image, {
          jobs,
          locations: new PushRecords(store.db),
          onEvent: (event) => {
            watch.event?.(event);
            if (event.kind === 'blob') {
              report({ digest: event.digest, state: event.phase, sent: event.sent, size: event.size });
              const last = logged.get(event.digest);
              const changed = last === undefined || event.phase !== 'uploading' || event.sent - last >= LOG_STEP;
              if (changed) {
                logged.set(event.digest, event.sent);
                emit({ type: 'log', stream: 'info', text: formatBlobLine({ digest: event.digest, state: event.phase, sent: event.sent, size: event.size }) });
              }
              done.set(event.digest, event.sent);
              progress();
            } else if (event.kind === 'blob-done') {
              report({ digest: event.digest, state: event.action, sent: event.size, size: event.size });
              emit({ type: 'log', stream: 'info', text: formatBlobLine({ digest: event.digest, state: event.action, sent: event.size, size: event.size }) });
              done.set(event.digest, event.size);
              progress();
            } else {
              emit({ type: 'phase', name: 'manifest' });
              emit({ type: 'log', stream: 'info', text: `manifest ${event.digest}` });
            }
          },
        });
        return {
          reference: formatReference({ ...target, tag }),
          digest: result.digest,
          blobs: result.blobs.map(({ digest, size, action }) => ({ digest, size, action })),
          bytesUploaded: result.bytesUploaded,
        };
      } finally {
        await client.close();
        await opened.close();
      }
    },
  };
}
