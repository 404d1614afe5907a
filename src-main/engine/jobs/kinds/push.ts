/**
 * Pushing an image from the local store to a registry, as a job. Every blob's
 * state (checking, uploading with bytes sent, then uploaded / already there /
 * mounted) is the job's detail, and goes to the log as a line for people; the
 * job's progress counts bytes over all blobs; the result is the manifest digest
 * the registry now names.
 */
import { LaminaError } from '../../../../src-shared/errors.js';
import { imageFromStore } from '../../store/image-source.js';
import { RegistryClient } from '../../registry/client.js';
import { lookupCredentials, type Credentials } from '../../registry/credentials.js';
import { pushableImage } from '../../registry/from-image.js';
import { PushRecords } from '../../registry/push-records.js';
import { DEFAULT_JOBS, pushImage, type BlobAction } from '../../registry/push.js';
import { formatReference, parseReference } from '../../../../src-shared/reference.js';
import type { Store } from '../../store/store.js';
import type { JobKind } from '../kind.js';
import { formatBlobLine, type BlobLine } from '../../../../src-shared/push-detail.js';

export interface PushInput {
  /** The image's name in the local store. */
  readonly image: string;
  /** `HOST[:PORT]/REPOSITORY[:TAG]`, with or without `docker://`. */
  readonly target: string;
  /** False also allows plain HTTP (a local registry). */
  readonly tlsVerify: boolean;
  /**
   * `auto`: the registry's credentials from Settings, else those docker, podman
   * and skopeo keep for it (none if neither has any); `anonymous`: none at all. Passwords never travel in a job's
   * input, which is stored.
   */
  readonly credentials: 'auto' | 'anonymous';
}

export interface PushJobResult {
  readonly reference: string;
  readonly digest: string;
  readonly blobs: readonly { digest: string; size: number; action: BlobAction }[];
  readonly bytesUploaded: number;
}

/** Sending progress is logged at most every this many bytes per blob, so a big layer stays a few lines. */
const LOG_STEP = 4 * 1024 * 1024;

function parseTarget(target: string): ReturnType<typeof parseReference> {
  const ref = parseReference(target.trim().replace(/^docker:\/\//, ''));
  if (ref.digest) throw new LaminaError('push to a tag (HOST/REPOSITORY:TAG), not a digest: the registry names a pushed manifest by its digest itself', 'bad-location');
  return ref;
}

/** The credentials the app keeps for a registry host (Settings), if any. */
export type SavedCredentials = (host: string) => Promise<Credentials | undefined>;

export function pushJob(openStore: () => Promise<Store>, saved: SavedCredentials): JobKind<PushInput> {
  return {
    title: ({ image, target }) => `push ${image} to ${target.replace(/^docker:\/\//, '')}`,
    async run(input, { emit, signal }): Promise<PushJobResult> {
      const target = parseTarget(input.target);
      const tag = target.tag ?? 'latest';
      const store = await openStore();
      const image = pushableImage(await imageFromStore(store, input.image));
      // Asked only when the registry wants a login: Settings first, then docker's and podman's files.
      const credentials = input.credentials === 'auto' ? async () => (await saved(target.registry)) ?? (await lookupCredentials(target.registry)) : undefined;
      const client = new RegistryClient({
        registry: target.registry,
        tlsVerify: input.tlsVerify,
        signal,
        connections: DEFAULT_JOBS + 2,
        ...(credentials ? { credentials } : {}),
      });
      const sizes = new Map(image.blobs.map((b) => [b.digest, b.size]));
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
          jobs: DEFAULT_JOBS,
          locations: new PushRecords(store.db),
          onEvent: (event) => {
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
      }
    },
  };
}
