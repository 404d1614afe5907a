/**
 * Builds packages of a source: attribute -> main output store path. Attributes are
 * checked first (all unknown names in one error), then built by one nix-build (or
 * `nix build` for flakes) whose log streams to `onLog`, attributed to derivations.
 * When the check's evaluation finds every output already in the store, nix-build
 * is skipped: the outputs are only rooted (see rootIfBuilt).
 */
import { join } from 'node:path';
import { LaminaError } from '../../../src-shared/errors.js';
import { checkAttrs, startAttrCheck } from './attr-check.js';
import { flakeInstallable } from './attr-path.js';
import { nixFailure } from './error-message.js';
import { NixLogReader, type NixLogLine } from './log.js';
import { FLAKE_FLAGS, runNix, type NixProgram } from './process.js';
import { rootIfBuilt } from './root-built.js';
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
  /**
   * The out paths these attributes built to before (OutPathGuesses): rooted while
   * the source is evaluated, and taken only if the evaluation gives these paths.
   */
  readonly guess?: readonly string[];
}

export async function buildAttrs(source: PackageSource, attrs: string[], options: BuildOptions = {}): Promise<Map<string, string>> {
  const unique = [...new Set(attrs)];
  if (unique.length === 0) return new Map();
  const fast = maySkipBuild(source);
  const { gcRootDir, signal } = options;
  const guess = fast && options.guess && options.guess.length > 0 ? options.guess : undefined;
  // Side by side with the evaluation; a failure (or cancellation) only means "not this way".
  const guessed = guess && rootIfBuilt(guess, gcRootDir, signal, 'guess').catch(() => false);
  let evaluated: string[];
  try {
    evaluated = await checkAttrs(source, unique, { ...options, outPaths: fast });
  } finally {
    // Never left running once this returns: the caller may remove gcRootDir.
    await guessed;
  }
  if (evaluated.length === unique.length) {
    const outPaths = new Map(unique.map((attr, i) => [attr, evaluated[i]!]));
    if (guess && (await guessed) && evaluated.every((path) => guess.includes(path))) return outPaths;
    if (await rootIfBuilt(evaluated, gcRootDir, signal)) return outPaths;
  }
  const reader = new NixLogReader(options.onLog);
  const [program, args] = buildCommand(source, unique, options);
  const result = await runNix(program, args, { signal: options.signal, onStderrLine: (l) => reader.read(l) });
  if (result.exitCode !== 0) throw nixFailure(`Nix could not build from ${describeSource(source)}`, result, reader);
  const paths = source.kind === 'flake' ? flakeOutPaths(result.stdout) : result.stdout.split('\n').filter(Boolean);
  // checkAttrs made sure each attribute is one derivation, so Nix prints one path per attribute, in order.
  if (paths.length !== unique.length) {
    throw new Error(`${program} printed ${paths.length} store paths for ${unique.length} attributes`);
  }
  return new Map(unique.map((attr, i) => [attr, paths[i]!]));
}

/**
 * Starts the attribute check that buildAttrs(source, attrs) will make, so that
 * Nix evaluates while the caller loads the rest of its code (see startAttrCheck).
 */
export function startBuildCheck(source: PackageSource, attrs: readonly string[]): void {
  const unique = [...new Set(attrs)];
  if (unique.length > 0) startAttrCheck(source, unique, maySkipBuild(source));
}

// Flakes keep `nix build`: which output it builds is its own choice, not just outPath.
function maySkipBuild(source: PackageSource): boolean {
  return source.kind !== 'flake';
}

function buildCommand(source: PackageSource, attrs: string[], { builders, gcRootDir }: BuildOptions): [NixProgram, string[]] {
  const common = ['--log-format', 'internal-json', ...(builders === undefined ? [] : ['--builders', builders])];
  const link = gcRootDir === undefined ? undefined : join(gcRootDir, 'result');
  if (source.kind === 'flake') {
    const installables = attrs.map((attr) => flakeInstallable(source.ref, attr));
    return ['nix', [...FLAKE_FLAGS, 'build', ...(link ? ['--out-link', link] : ['--no-link']), '--json', ...common, ...installables]];
  }
  const file = source.kind === 'path' ? source.path : `<${source.name}>`;
  return ['nix-build', [file, ...(link ? ['--out-link', link] : ['--no-out-link']), ...common, ...attrs.flatMap((attr) => ['-A', attr])]];
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
