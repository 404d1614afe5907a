/**
 * `lamina push SRC DEST`: SRC is the name of an image in the store, `oci:DIR[:TAG]`,
 * `docker-archive:FILE` or `docker://…` (a copy between registries); DEST is
 * `docker://HOST[:PORT]/REPO[:TAG]`. The push runs as a job in the store's
 * database, as the app's pushes do, so it shows in the app's job history. One
 * line per blob on stderr for people; --json prints one object on stdout for machines.
 */
import { writeFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { LaminaError } from '../../../src-shared/errors.js';
import { pushJob, type PushAccess, type PushInput, type PushJobResult } from '../../engine/jobs/kinds/push.js';
import { JobRunner } from '../../engine/jobs/runner.js';
import { DEFAULT_JOBS, type PushEvent } from '../../engine/registry/push.js';
import { openStore, type Store } from '../../engine/store/store.js';
import { byteProgress, type ByteProgress } from '../byte-progress.js';
import { shortDigest } from '../output.js';
import { addRegistryOptions, parseDockerLocation, registryClient, type RegistryFlags } from './registry-flags.js';
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

function describe(event: PushEvent): string | undefined {
  if (event.kind === 'blob-done') return `  ${event.action.padEnd(8)} ${shortDigest(event.digest)} ${formatBytes(event.size)}`;
  if (event.kind === 'manifest') return `  manifest ${shortDigest(event.digest)}`;
  return undefined;
}

export type PushOutcome = PushJobResult;

/** The registry as the flags reach it: --creds, --authfile, --tls-verify, --cert-dir (they never go into the stored job). */
function flagAccess(flags: PushFlags): PushAccess {
  return { client: (registry, { connections, signal }) => registryClient({ registry, repository: 'lamina' }, flags, signal, connections) };
}

/** Lines per blob on stderr, or byte bars on a terminal: what a person sees of the push's events. */
function terminalWatch(flags: PushFlags): { opened(total: number): void; event(event: PushEvent): void; stop(): void } {
  let bars: ByteProgress | undefined;
  const counted = new Map<string, number>();
  let handled = 0;
  // Bytes sent, and whole blobs the registry already had or mounted, move the total.
  const count = (digest: string, bytes: number): void => {
    handled += bytes - (counted.get(digest) ?? 0);
    counted.set(digest, bytes);
    bars?.total(handled);
  };
  return {
    opened: (total) => {
      bars = byteProgress('total', total, flags);
    },
    event: (event) => {
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
    stop: () => bars?.stop(),
  };
}

/**
 * Pushes `src` (a store image name or any location) to `dest` as a push job in
 * the store's database; Ctrl-C cancels the job. Writes --digestfile once the
 * registry holds the manifest.
 */
export async function runPush(store: Store, src: string, dest: string, flags: PushFlags): Promise<PushOutcome> {
  const target = parseDockerLocation(dest);
  if (target.digest) throw new LaminaError('push to a tag (docker://HOST/REPO:TAG), not a digest: the registry names a pushed manifest by its digest itself', 'bad-location');
  const shown = terminalWatch(flags);
  const runner = new JobRunner(store.db, {
    push: pushJob(async () => store, flagAccess(flags), {
      opened: (image) => shown.opened(image.manifest.config.size + image.layers.reduce((sum, l) => sum + l.descriptor.size, 0)),
      event: (event) => shown.event(event),
    }),
  });
  let jobId: number | undefined;
  const cancel = (): void => {
    if (jobId !== undefined) runner.cancel(jobId);
  };
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    const input: PushInput = { image: src, target: dest, credentials: 'auto', jobs: flags.jobs, ...(flags.tlsVerify !== undefined ? { tlsVerify: flags.tlsVerify } : {}) };
    jobId = runner.start('push', input).id;
    const job = await runner.wait(jobId);
    shown.stop();
    if (job.state !== 'succeeded') throw new LaminaError(job.error ?? `the push ended ${job.state}`, job.state);
    const outcome = job.result as PushOutcome;
    // As podman's --digestfile: the digest alone, no newline, once the registry holds the manifest.
    if (flags.digestfile) await writeFile(flags.digestfile, outcome.digest);
    return outcome;
  } finally {
    shown.stop();
    await runner.close();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

export function pushSummary(outcome: PushOutcome): string {
  const count = (action: string) => outcome.blobs.filter((b) => b.action === action).length;
  return `pushed ${outcome.reference}@${outcome.digest} (blobs: ${count('uploaded')} uploaded, ${count('mounted')} mounted, ${count('exists')} already there; ${formatBytes(outcome.bytesUploaded)} sent)\n`;
}

async function push(src: string, dest: string, flags: PushFlags): Promise<void> {
  parseDockerLocation(dest);
  const store = await openStore();
  try {
    const outcome = await runPush(store, src, dest, flags);
    process.stdout.write(flags.json ? JSON.stringify({ digest: outcome.digest, blobs: outcome.blobs }) + '\n' : pushSummary(outcome));
  } finally {
    store.close();
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
    .description('Push an image to a registry: SRC is a store image name, oci:DIR[:TAG], docker-archive:FILE or docker://HOST/REPO[:TAG]; DEST is docker://HOST[:PORT]/REPO[:TAG].')
    .argument('<src>', 'the image to push')
    .argument('<dest>', 'docker://HOST[:PORT]/REPOSITORY[:TAG]');
  addPushOptions(command)
    .option('--json', 'print {"digest","blobs":[{"digest","size","action"}]} on stdout')
    .action(push);
}
