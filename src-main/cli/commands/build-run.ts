/**
 * What `lamina build` (build.ts) does when it runs: builds the image into the
 * store as a job in the shared database and, with --out or --push, exports or
 * pushes it. Progress goes to stderr for people; --json prints one JSON object on
 * stdout for machines. Ctrl-C cancels cleanly.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { imageBuildJob, type ImageBuildInput, type ImageBuildResult } from '../../engine/jobs/kinds/image-build.js';
import { JobRunner } from '../../engine/jobs/runner.js';
import { openStore } from '../../engine/store/store.js';
import type { RegistryAccess } from '../../engine/team-cache/cache-reference.js';
import { buildProgress, conflictWarnings } from '../output.js';
import { handOverInterrupts } from '../early-nix.js';
import { parseKeyValue, type BuildFlags } from './build.js';
import type { PushOutcome } from './push-run.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';

/** The flags as an image-build job's input (plain JSON, stored with the job; the job kind withholds the source's credentials). */
function jobInput(attrs: string[], flags: BuildFlags): ImageBuildInput {
  return {
    source: flags.source,
    attrs,
    strategy: flags.strategy,
    maxLayers: flags.maxLayers,
    compression: flags.compression,
    ...(flags.popularity ? { popularityFile: flags.popularity } : {}),
    ...(flags.builders !== undefined ? { builders: flags.builders } : {}),
    ...(flags.tag ? { name: flags.tag } : {}),
    ...(flags.out ? { out: flags.out } : {}),
    ...(flags.allowMissingEntrypoint ? { allowMissingEntrypoint: true } : {}),
    ...(flags.cacheFrom.length > 0 ? { cacheFrom: flags.cacheFrom } : {}),
    ...(flags.cacheTo ? { cacheTo: flags.cacheTo } : {}),
    config: {
      ...(flags.entrypoint ? { entrypoint: flags.entrypoint } : {}),
      ...(flags.cmd ? { cmd: flags.cmd } : {}),
      env: flags.env,
      ...(flags.workdir ? { workingDir: flags.workdir } : {}),
      ...(flags.user ? { user: flags.user } : {}),
      exposedPorts: flags.port,
      labels: Object.fromEntries(flags.label.map((l) => parseKeyValue(l, 'label'))),
    },
  };
}

/** The `--json` shape: exactly these fields, for scripts (and what `push --json` prints, with --push). */
function jsonResult(result: ImageBuildResult, pushed: PushOutcome | undefined): string {
  return JSON.stringify({
    manifestDigest: result.manifestDigest,
    configDigest: result.configDigest,
    layers: result.layers.map((l) => ({
      digest: l.digest,
      diffId: l.diffId,
      size: l.size,
      key: l.key,
      planKey: l.planKey,
      cached: l.cached,
      source: l.source,
      paths: l.paths,
    })),
    conflicts: result.conflicts,
    ...(result.teamCache ? { cacheTo: result.teamCache } : {}),
    ...(pushed ? { push: { digest: pushed.digest, blobs: pushed.blobs } } : {}),
  });
}

function summary(result: ImageBuildResult, out: string | undefined): string {
  const cached = result.layers.filter((l) => l.source === 'local').length;
  const team = result.layers.filter((l) => l.source === 'team').length;
  const size = result.layers.reduce((sum, l) => sum + l.size, 0);
  const lines = [
    `built ${result.name}: ${result.layers.length} layers (${cached} cached${team > 0 ? `, ${team} from the team cache` : ''}), ${formatBytes(size)}`,
    `manifest ${result.manifestDigest}`,
    ...(out ? [`exported to ${out}`] : []),
    ...(result.teamCache ? [`team cache ${result.teamCache.reference}: ${result.teamCache.written} entries written, ${result.teamCache.entries} in the index`] : []),
  ];
  return lines.join('\n') + '\n';
}

/**
 * Team cache registries reached with the flags: --tls-verify always, --creds only
 * for the --push registry (a login is never sent to another host), else the auth files.
 */
function flagAccess(flags: BuildFlags, pushRegistry: string | undefined): RegistryAccess {
  return {
    client: async (registry, signal) => {
      const { creds: _creds, ...rest } = flags;
      const { registryClient } = await import('./registry-access.js');
      return registryClient({ registry, repository: 'lamina' }, registry === pushRegistry ? flags : rest, signal ?? new AbortController().signal);
    },
  };
}

/**
 * Runs the build as a job in the shared database, like the app does, so it shows
 * in the app's job history and cache statistics; progress comes from the
 * pipeline's own events.
 */
export async function build(attrs: string[], flags: BuildFlags): Promise<void> {
  const input = jobInput(attrs, flags);
  // The registry code is loaded for --push (and team caches) only: most builds never reach a registry.
  const pushTarget = flags.push ? (await import('./registry-access.js')).parseDockerLocation(flags.push) : undefined;
  const pushing = flags.push ? await import('./push-run.js') : undefined;
  const progress = flags.json ? undefined : buildProgress();
  const onEvent = progress?.onEvent ?? conflictWarnings((text) => process.stderr.write(text));
  const store = await openStore();
  const runner = new JobRunner(store.db, { 'image-build': imageBuildJob(async () => store, () => undefined, onEvent, undefined, flagAccess(flags, pushTarget?.registry)) });
  const controller = new AbortController();
  let jobId: number | undefined;
  const cancel = (): void => {
    controller.abort();
    if (jobId !== undefined) runner.cancel(jobId);
  };
  let stopListening = (): void => undefined;
  try {
    stopListening = handOverInterrupts(cancel);
    jobId = runner.start('image-build', input).id;
    const job = await runner.wait(jobId);
    progress?.stop();
    if (job.state !== 'succeeded') throw new LaminaError(job.error ?? `the build ended ${job.state}`, job.state);
    const result = job.result as ImageBuildResult;
    // A second job, as a push from the app after a build is: it shows in the job history on its own.
    const pushed = flags.push && pushing && !controller.signal.aborted ? await pushing.runPush(store, result.name, flags.push, flags) : undefined;
    process.stdout.write(flags.json ? jsonResult(result, pushed) + '\n' : summary(result, flags.out) + (pushed && pushing ? pushing.pushSummary(pushed) : ''));
  } finally {
    progress?.stop();
    await runner.close();
    store.close();
    stopListening();
  }
}
