/**
 * `lamina push SRC DEST`: SRC is `oci:DIR[:TAG]`, `docker-archive:FILE` or the name
 * of an image in the store; DEST is `docker://HOST[:PORT]/REPO[:TAG]`. One line per
 * blob on stderr for people; --json prints one object on stdout for machines.
 */
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { LaminaError } from '../../../src-shared/errors.js';
import type { OpenedImage } from '../../engine/image/locations.js';
import { imageFromStore } from '../../engine/store/image-source.js';
import { pushableImage } from '../../engine/registry/from-image.js';
import { PushRecords } from '../../engine/registry/push-records.js';
import { DEFAULT_JOBS, pushImage, type PushEvent } from '../../engine/registry/push.js';
import { formatReference } from '../../../src-shared/reference.js';
import { openStore, type Store } from '../../engine/store/store.js';
import { byteProgress } from '../byte-progress.js';
import { shortDigest } from '../output.js';
import { addRegistryOptions, cancelOnInterrupt, parseDockerLocation, registryClient, type RegistryFlags } from './registry-flags.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';

export interface PushFlags extends RegistryFlags {
  jobs: number;
  digestfile?: string;
  json?: boolean;
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 32) throw new InvalidArgumentError('--jobs is a whole number from 1 to 32');
  return n;
}

async function openSource(spec: string, store: Store, signal: AbortSignal): Promise<OpenedImage> {
  // Loaded for those only: a store image needs no archive reader (tar-stream and its kin).
  if (spec.startsWith('oci:') || spec.startsWith('docker-archive:')) return (await import('../../engine/image/locations.js')).openImage(spec, signal);
  return { image: await imageFromStore(store, spec), close: async () => undefined };
}

function describe(event: PushEvent): string | undefined {
  if (event.kind === 'blob-done') return `  ${event.action.padEnd(8)} ${shortDigest(event.digest)} ${formatBytes(event.size)}`;
  if (event.kind === 'manifest') return `  manifest ${shortDigest(event.digest)}`;
  return undefined;
}

export interface PushOutcome {
  readonly reference: string;
  readonly digest: string;
  readonly blobs: readonly { digest: string; size: number; action: string }[];
  readonly bytesUploaded: number;
}

/** Pushes an opened image to `dest`, recording confirmed blobs in the store; one line per blob on stderr unless quiet. */
export async function pushOpened(opened: OpenedImage, dest: string, store: Store, flags: PushFlags, signal: AbortSignal): Promise<PushOutcome> {
  const target = parseDockerLocation(dest);
  if (target.digest) throw new LaminaError('push to a tag (docker://HOST/REPO:TAG), not a digest: the registry names a pushed manifest by its digest itself', 'bad-location');
  const client = await registryClient(target, flags, signal, flags.jobs + 2);
  try {
    const tag = target.tag ?? 'latest';
    const image = pushableImage(opened.image);
    const bars = byteProgress('total', image.blobs.reduce((sum, b) => sum + b.size, 0), flags);
    const counted = new Map<string, number>();
    let handled = 0;
    // Bytes sent, and whole blobs the registry already had or mounted, move the total.
    const count = (digest: string, bytes: number): void => {
      handled += bytes - (counted.get(digest) ?? 0);
      counted.set(digest, bytes);
      bars?.total(handled);
    };
    const result = await pushImage(client, { repository: target.repository, tag }, image, {
      jobs: flags.jobs,
      locations: new PushRecords(store.db),
      onEvent: (event) => {
        if (event.kind === 'blob' && event.phase === 'uploading' && bars) {
          bars.item(event.digest, shortDigest(event.digest), event.sent, event.size);
          count(event.digest, event.sent);
          return;
        }
        if (event.kind === 'blob-done') count(event.digest, event.size);
        const line = flags.json ? undefined : describe(event);
        if (bars && event.kind === 'blob-done') bars.itemDone(event.digest, line);
        else if (bars && line) bars.log(line);
        else if (line) process.stderr.write(`${line}\n`);
      },
    }).finally(() => bars?.stop());
    // As podman's --digestfile: the digest alone, no newline, once the registry holds the manifest.
    if (flags.digestfile) await writeFile(flags.digestfile, result.digest);
    const blobs = result.blobs.map(({ digest, size, action }) => ({ digest, size, action }));
    return { reference: formatReference({ ...target, tag }), digest: result.digest, blobs, bytesUploaded: result.bytesUploaded };
  } finally {
    await client.close();
  }
}

export function pushSummary(outcome: PushOutcome): string {
  const count = (action: string) => outcome.blobs.filter((b) => b.action === action).length;
  return `pushed ${outcome.reference}@${outcome.digest} (blobs: ${count('uploaded')} uploaded, ${count('mounted')} mounted, ${count('exists')} already there; ${formatBytes(outcome.bytesUploaded)} sent)\n`;
}

async function push(src: string, dest: string, flags: PushFlags): Promise<void> {
  parseDockerLocation(dest);
  const { signal, dispose } = cancelOnInterrupt();
  const store = await openStore();
  try {
    const opened = await openSource(src, store, signal);
    try {
      const outcome = await pushOpened(opened, dest, store, flags, signal);
      process.stdout.write(flags.json ? JSON.stringify({ digest: outcome.digest, blobs: outcome.blobs }) + '\n' : pushSummary(outcome));
    } finally {
      await opened.close();
    }
  } finally {
    store.close();
    dispose();
  }
}

/** The flags `push` and `build --push` share. */
export function addPushOptions(command: Command): Command {
  return addRegistryOptions(command)
    .option('--digestfile <file>', 'write the pushed manifest\'s digest to this file (as podman push)')
    .addOption(new Option('--jobs <n>', 'blobs to send at the same time').argParser(parseJobs).default(DEFAULT_JOBS));
}

export function addPushCommand(program: Command): void {
  const command = program
    .command('push')
    .description('Push an image to a registry: SRC is oci:DIR[:TAG], docker-archive:FILE or a store image name; DEST is docker://HOST[:PORT]/REPO[:TAG].')
    .argument('<src>', 'the image to push')
    .argument('<dest>', 'docker://HOST[:PORT]/REPOSITORY[:TAG]');
  addPushOptions(command)
    .option('--json', 'print {"digest","blobs":[{"digest","size","action"}]} on stdout')
    .action(push);
}
