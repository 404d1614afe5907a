/**
 * Builds packages of a source: attribute -> main output store path. One nix-build
 * (or `nix build` for flakes) evaluates, builds what is missing with its log
 * streaming to `onLog` (attributed to derivations), and makes the GC roots; for
 * packages already built that is one Nix process, about the cost of evaluating
 * them. When Nix fails, the attributes are checked (checkAttrs), so that every
 * unknown name is reported at once rather than Nix's first.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';
import { checkAttrs, packagesExpression } from './attr-check.js';
import { flakeInstallable } from './attr-path.js';
import { hasEarlyRun, startEarlyRun, stopEarlyRun, takeEarlyRun } from './early-run.js';
import { nixFailure } from './error-message.js';
import { NixLogReader, type NixLogLine } from './log.js';
import { cancelledError, FLAKE_FLAGS, runNix, type NixProgram } from './process.js';
import { describeSource, type PackageSource } from './source.js';

export interface BuildOptions {
  readonly onLog?: (line: NixLogLine) => void;
  readonly signal?: AbortSignal;
  /**
   * Nix's remote builders (`--builders`, same syntax as nix.conf's `builders`):
   * passed through as is; '' builds locally only; unset keeps nix.conf's.
   */
  readonly builders?: string;
  /**
   * A folder for `result…` links to the outputs: Nix then counts them as GC roots,
   * so a `nix-store --gc` cannot delete the outputs (and their closure) while the
   * caller still reads them; removing the folder lets them go. Without it, no links.
   */
  readonly gcRootDir?: string;
}

export async function buildAttrs(source: PackageSource, attrs: string[], options: BuildOptions = {}): Promise<Map<string, string>> {
  const unique = [...new Set(attrs)];
  if (unique.length === 0) return new Map();
  const { signal } = options;
  const reader = new NixLogReader(options.onLog);
  const [program, args] = nixBuildCommand(source, unique, options);
  const early = await takeEarlyRun(program, args);
  const onStderrLine = (line: string): void => reader.read(line);
  const result = early ? await early.result(signal, onStderrLine) : await runNix(program, args, { signal, onStderrLine });
  if (result.exitCode !== 0) {
    if (signal?.aborted) throw cancelledError();
    // Nix names the first unknown attribute only: the check names them all, and says which are not packages.
    await checkAttrs(source, unique, { signal });
    throw nixFailure(`Nix could not build from ${describeSource(source)}`, result, reader);
  }
  const paths = source.kind === 'flake' ? flakeOutPaths(result.stdout) : result.stdout.split('\n').filter(Boolean);
  // The expression (and `nix build` for flakes) makes each attribute one derivation, so Nix prints one path per attribute, in order.
  if (paths.length !== unique.length) {
    throw new Error(`${program} printed ${paths.length} store paths for ${unique.length} attributes`);
  }
  return new Map(unique.map((attr, i) => [attr, paths[i]!]));
}

/** The GC root folder startBuild was given, until a build takes it (takeEarlyRootDir) or endEarlyBuild removes it. */
let earlyRootDir: string | undefined;

/**
 * Starts the Nix command that buildAttrs(source, attrs, options) will run, so
 * that Nix evaluates (and builds, and roots) while the caller loads the rest of
 * its code: `lamina build` does, before it loads the engine. buildAttrs takes it
 * up when it runs the same command (see early-run.ts); the options' gcRootDir is
 * then the build's own, which takeEarlyRootDir hands over. One at a time; the
 * caller ends it with endEarlyBuild whatever happens.
 */
export function startBuild(source: PackageSource, attrs: readonly string[], options: Pick<BuildOptions, 'builders' | 'gcRootDir'>): void {
  const unique = [...new Set(attrs)];
  if (unique.length === 0 || hasEarlyRun() || earlyRootDir !== undefined) return;
  if (options.gcRootDir !== undefined) mkdirSync(options.gcRootDir, { recursive: true });
  startEarlyRun(...nixBuildCommand(source, unique, options));
  earlyRootDir = options.gcRootDir;
}

/** The gcRootDir startBuild was given, if any and once: the folder the build keeps its GC roots in (and removes). */
export function takeEarlyRootDir(): string | undefined {
  const dir = earlyRootDir;
  earlyRootDir = undefined;
  return dir;
}

/**
 * Ends what startBuild began and no build took up: stops its Nix command (once
 * it has ended, nothing writes to the root folder) and removes the root folder
 * unless a build took it. For a build that failed, or was interrupted, before it
 * ran Nix.
 */
export async function endEarlyBuild(): Promise<void> {
  const dir = earlyRootDir;
  earlyRootDir = undefined;
  await stopEarlyRun();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs `work` with a folder to keep the packages' GC roots in while it needs them:
 * the one `lamina build` or `lamina plan` started Nix with (takeEarlyRootDir), or
 * else `fresh`. The folder goes afterwards, once an early nix-build that `work`
 * never took up (it failed before it ran Nix) has ended.
 */
export async function withGcRootDir<T>(fresh: string, work: (gcRootDir: string) => Promise<T>): Promise<T> {
  const early = takeEarlyRootDir();
  const gcRootDir = early ?? fresh;
  mkdirSync(gcRootDir, { recursive: true });
  try {
    return await work(gcRootDir);
  } finally {
    if (early !== undefined) await endEarlyBuild();
    rmSync(gcRootDir, { recursive: true, force: true });
  }
}

/**
 * The Nix command that builds `attrs` (unique) of `source`: nix-build of the
 * packages expression (see attr-check.ts), or `nix build` for flakes. Exported
 * for bench/build.ts, which times it alone.
 */
export function nixBuildCommand(source: PackageSource, attrs: readonly string[], { builders, gcRootDir }: Pick<BuildOptions, 'builders' | 'gcRootDir'>): [NixProgram, string[]] {
  const common = ['--log-format', 'internal-json', ...(builders === undefined ? [] : ['--builders', builders])];
  const link = gcRootDir === undefined ? undefined : join(gcRootDir, 'result');
  if (source.kind === 'flake') {
    const installables = attrs.map((attr) => flakeInstallable(source.ref, attr));
    return ['nix', [...FLAKE_FLAGS, 'build', ...(link ? ['--out-link', link] : ['--no-link']), '--json', ...common, ...installables]];
  }
  // One -A per package, by its place in the list: nix-build gives each -A its own path, where a list alone
  // would give two attributes of one package (an alias, as nixpkgs has many) a single path.
  const picks = attrs.flatMap((_, i) => ['-A', String(i)]);
  return ['nix-build', [...(link ? ['--out-link', link] : ['--no-out-link']), ...common, ...packagesExpression(source, attrs), ...picks]];
}

interface FlakeBuildResult {
  outputs?: Record<string, string>;
}

// `nix build --json` prints one entry per installable: its derivation and built outputs.
function flakeOutPaths(stdout: string): string[] {
  const built = JSON.parse(stdout) as FlakeBuildResult[];
  return built.map((entry) => {
    const outputs = entry.outputs ?? {};
    const main = outputs.out ?? Object.values(outputs)[0];
    if (main === undefined) throw new LaminaError('nix build reported a package without outputs: report this with `nix --version`', 'nix-output');
    return main;
  });
}
