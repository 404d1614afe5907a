/**
 * The store paths packages would build to, by evaluation only (nothing is built):
 * what lets a cached image be reused when Nix would make the same paths again.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { flakeInstallable } from './attr-path.js';
import { nixFailure } from './error-message.js';
import { NixLogReader } from './log.js';
import { FLAKE_FLAGS, runNix } from './process.js';
import { describeSource, type PackageSource } from './source.js';

const STORE_PATH_STRING = /"(\/[^"\\]+)"/g;

/** attribute -> main output path (`outPath`), in the order given; the attributes must be packages (see checkAttrs). */
export async function evalOutPaths(source: PackageSource, attrs: readonly string[], signal?: AbortSignal): Promise<string[]> {
  if (source.kind === 'flake') {
    const paths: string[] = [];
    for (const attr of attrs) paths.push((await evaluate('nix', [...FLAKE_FLAGS, 'eval', '--raw', `${flakeInstallable(source.ref, attr)}.outPath`], source, signal)).trim());
    return paths;
  }
  const file = source.kind === 'path' ? source.path : `<${source.name}>`;
  // One evaluation for all: nix-instantiate prints one JSON string per -A, back to back.
  const stdout = await evaluate('nix-instantiate', ['--eval', '--json', file, ...attrs.flatMap((attr) => ['-A', `${attr}.outPath`])], source, signal);
  const paths = [...stdout.matchAll(STORE_PATH_STRING)].map((m) => m[1]!);
  if (paths.length !== attrs.length) throw new Error(`nix-instantiate printed ${paths.length} store paths for ${attrs.length} attributes`);
  return paths;
}

async function evaluate(program: 'nix' | 'nix-instantiate', args: string[], source: PackageSource, signal: AbortSignal | undefined): Promise<string> {
  const reader = new NixLogReader();
  const result = await runNix(program, [...args, '--log-format', 'internal-json'], { signal, onStderrLine: (l) => reader.read(l) });
  if (result.exitCode !== 0) throw nixFailure(`Nix could not evaluate ${describeSource(source)}`, result, reader);
  if (result.stdout.trim() === '') throw new LaminaError(`Nix printed no store path for a package of ${describeSource(source)}; report this with \`nix --version\``, 'nix-output');
  return result.stdout;
}
