/**
 * `lamina build ATTR... --source SRC`: builds an image into the store and, with
 * --out, exports it. Progress goes to stderr for people; --json prints one JSON
 * object on stdout for machines. Ctrl-C cancels cleanly.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { hostNixSystem } from '../../engine/builder/recipe.js';
import { LaminaError } from '../../../src-shared/errors.js';
import { makeImageConfig, type RuntimeConfig } from '../../engine/image/config.js';
import { imageBuildJob, type ImageBuildInput, type ImageBuildResult } from '../../engine/jobs/kinds/image-build.js';
import { JobRunner } from '../../engine/jobs/runner.js';
import { parseImageLocation } from '../../engine/image/transport.js';
import { openStore } from '../../engine/store/store.js';
import { buildProgress, conflictWarnings } from '../output.js';
import { addPlanOptions, type PlanFlags } from '../recipe-options.js';
import { addPushOptions, pushSummary, runPush, type PushFlags, type PushOutcome } from './push.js';
import { parseDockerLocation, registryClient } from './registry-flags.js';
import { parseCacheReference, type RegistryAccess } from '../../engine/team-cache/cache-reference.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';
import { DEFAULT_COMPRESSION, LAYER_COMPRESSIONS, type LayerCompression } from '../../../src-shared/compressions.js';

interface BuildFlags extends PlanFlags, PushFlags {
  compression: LayerCompression;
  entrypoint?: string[];
  cmd?: string[];
  env: string[];
  workdir?: string;
  user?: string;
  port: string[];
  label: string[];
  tag?: string;
  out?: string;
  push?: string;
  cacheFrom: string[];
  cacheTo?: string;
  json?: boolean;
  allowMissingEntrypoint?: boolean;
}

/** The engine's own check of one runtime setting, run while the flags are parsed (exit 2 with usage, not a failed job). */
function checkRuntime(runtime: RuntimeConfig): void {
  try {
    makeImageConfig({ system: hostNixSystem(), layers: [], runtime });
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

function collectPort(value: string, previous: string[] = []): string[] {
  checkRuntime({ exposedPorts: [value] });
  return [...previous, value];
}

function parseKeyValue(value: string, what: string): [string, string] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`${what} "${value}" is not KEY=VALUE`);
  return [value.slice(0, eq), value.slice(eq + 1)];
}

/** `["a","b"]` (a JSON array) or a single argument given once per flag. */
function collectArgv(value: string, previous: string[] = []): string[] {
  if (!value.trimStart().startsWith('[')) return [...previous, value];
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a JSON array of strings`);
  }
  if (!Array.isArray(parsed) || !parsed.every((v) => typeof v === 'string')) throw new InvalidArgumentError(`"${value}" is not a JSON array of strings`);
  return [...previous, ...parsed];
}

function checkLocation(value: string): string {
  try {
    parseImageLocation(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

function collectKeyValue(what: string): (value: string, previous?: string[]) => string[] {
  return (value, previous = []) => {
    parseKeyValue(value, what);
    return [...previous, value];
  };
}

function collectEnv(value: string, previous: string[] = []): string[] {
  checkRuntime({ env: [value] });
  return [...previous, value];
}

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

function checkCacheReference(value: string): string {
  try {
    parseCacheReference(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
  return value;
}

function collectCacheReference(value: string, previous: string[] = []): string[] {
  return [...previous, checkCacheReference(value)];
}

/**
 * Team cache registries reached with the flags: --tls-verify always, --creds only
 * for the --push registry (a login is never sent to another host), else the auth files.
 */
function flagAccess(flags: BuildFlags, pushRegistry: string | undefined): RegistryAccess {
  return {
    client: async (registry, signal) => {
      const { creds: _creds, ...rest } = flags;
      return registryClient({ registry, repository: 'lamina' }, registry === pushRegistry ? flags : rest, signal ?? new AbortController().signal);
    },
  };
}

/**
 * Runs the build as a job in the shared database, like the app does, so it shows
 * in the app's job history and cache statistics; progress comes from the
 * pipeline's own events.
 */
async function build(attrs: string[], flags: BuildFlags): Promise<void> {
  const input = jobInput(attrs, flags);
  const pushTarget = flags.push ? parseDockerLocation(flags.push) : undefined;
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
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  try {
    jobId = runner.start('image-build', input).id;
    const job = await runner.wait(jobId);
    progress?.stop();
    if (job.state !== 'succeeded') throw new LaminaError(job.error ?? `the build ended ${job.state}`, job.state);
    const result = job.result as ImageBuildResult;
    // A second job, as a push from the app after a build is: it shows in the job history on its own.
    const pushed = flags.push && !controller.signal.aborted ? await runPush(store, result.name, flags.push, flags) : undefined;
    process.stdout.write(flags.json ? jsonResult(result, pushed) + '\n' : summary(result, flags.out) + (pushed ? pushSummary(pushed) : ''));
  } finally {
    progress?.stop();
    await runner.close();
    store.close();
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

export function addBuildCommand(program: Command): void {
  const command = addPlanOptions(
    program
      .command('build')
      .description('Build an image from Nix packages into the local store, and optionally export or push it.')
      .argument('<attr...>', 'attributes of the package source to put in the image'),
  )
    .addOption(new Option('--compression <kind>', 'layer compression').choices([...LAYER_COMPRESSIONS]).default(DEFAULT_COMPRESSION))
    .option('--entrypoint <arg>', 'entrypoint: a JSON array, or one argument per use of the flag', collectArgv)
    .option('--cmd <arg>', 'default command: a JSON array, or one argument per use of the flag', collectArgv)
    .option('--allow-missing-entrypoint', 'build even when the entrypoint (or command) is not in the image, for an image meant as a base')
    .option('--env <K=V>', 'environment variable (repeatable)', collectEnv, [])
    .option('--workdir <dir>', 'working directory')
    .option('--user <user>', 'user (and group) to run as, e.g. 1000:1000')
    .option('--port <port>', 'exposed port, e.g. 8080 or 53/udp (repeatable)', collectPort, [])
    .option('--label <K=V>', 'image label (repeatable)', collectKeyValue('label'), [])
    .option('-t, --tag <name>', 'name of the image in the store (default: the attributes joined by -)')
    .option('-o, --out <location>', 'also export to oci:DIR[:TAG] or docker-archive:FILE[:NAME:TAG]', checkLocation)
    .option('--push <dest>', 'also push to docker://HOST[:PORT]/REPO[:TAG] (with --creds, --tls-verify, --jobs)')
    .option('--cache-from <ref>', 'take layers from the team cache at docker://HOST[:PORT]/REPO[:TAG] (tag default: cache; repeatable)', collectCacheReference, [])
    .option('--cache-to <ref>', 'add this build\'s layers to the team cache at docker://HOST[:PORT]/REPO[:TAG] (tag default: cache)', checkCacheReference);
  addPushOptions(command)
    .option('--json', 'print the result as JSON on stdout, and no progress')
    .action((attrs: string[], flags: BuildFlags) => build(attrs, flags));
}
