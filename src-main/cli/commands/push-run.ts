/**
 * What `lamina push` (push.ts) does when it runs: the push runs as a job in the
 * store's database, as the app's pushes do, so it shows in the app's job history.
 * One line per blob on stderr for people; --json prints one object on stdout for machines.
 */
import { writeFile } from 'node:fs/promises';
import { LaminaError } from '../../../src-shared/errors.js';
import { pushJob, type PushAccess, type PushInput, type PushJobResult } from '../../engine/jobs/kinds/push.js';
import { JobRunner } from '../../engine/jobs/runner.js';
import type { PushEvent } from '../../engine/registry/push.js';
import { openStore, type Store } from '../../engine/store/store.js';
import { byteProgress, type ByteProgress } from '../byte-progress.js';
import { shortDigest } from '../output.js';
import type { PushFlags } from './push.js';
import { parseDockerLocation, registryClient } from './registry-access.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';

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

export async function push(src: string, dest: string, flags: PushFlags): Promise<void> {
  parseDockerLocation(dest);
  const store = await openStore();
  try {
    const outcome = await runPush(store, src, dest, flags);
    process.stdout.write(flags.json ? JSON.stringify({ digest: outcome.digest, blobs: outcome.blobs }) + '\n' : pushSummary(outcome));
  } finally {
    store.close();
  }
}

