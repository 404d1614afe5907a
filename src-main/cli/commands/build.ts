/**
 * `lamina build ATTR... --source SRC`: builds an image into the store and, with
 * --out, exports it. The definition: the build (build-run.ts) and the engine's
 * checks of some flag values (build-checks.ts) are loaded when they are needed.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { lazyChecks } from '../parse-time-checks.js';
import { addPlanOptions, type PlanFlags } from '../recipe-options.js';
import { addPushOptions, type PushFlags } from './push.js';
import { DEFAULT_COMPRESSION, LAYER_COMPRESSIONS, type LayerCompression } from '../../../src-shared/compressions.js';
import { withEarlyNix } from '../early-nix.js';

export interface BuildFlags extends PlanFlags, PushFlags {
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

/** The engine's checks of a port, an env entry, a location or a team cache reference: loaded once such a flag is given. */
const checks = lazyChecks(() => import('./build-checks.js'));

const checkLocation = (value: string): string => checks().checkLocation(value);
const checkCacheReference = (value: string): string => checks().checkCacheReference(value);

function collectPort(value: string, previous: string[] = []): string[] {
  checks().checkRuntime({ exposedPorts: [value] });
  return [...previous, value];
}

function collectEnv(value: string, previous: string[] = []): string[] {
  checks().checkRuntime({ env: [value] });
  return [...previous, value];
}

function collectCacheReference(value: string, previous: string[] = []): string[] {
  return [...previous, checkCacheReference(value)];
}

export function parseKeyValue(value: string, what: string): [string, string] {
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

function collectKeyValue(what: string): (value: string, previous?: string[]) => string[] {
  return (value, previous = []) => {
    parseKeyValue(value, what);
    return [...previous, value];
  };
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
    .action((attrs: string[], flags: BuildFlags) => withEarlyNix(attrs, flags, async () => (await import('./build-run.js')).build(attrs, flags)));
}
