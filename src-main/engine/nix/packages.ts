/**
 * The packages a source offers, for search: `nix-env -qaP --json --meta` for Nix
 * files and channels, `nix search --json` for flakes.
 */
import { nixFailure } from './error-message.js';
import { NixLogReader } from './log.js';
import { FLAKE_FLAGS, runNix } from './process.js';
import { describeSource, type PackageSource } from './source.js';
import { LaminaError } from '../../../src-shared/errors.js';

export interface PackageEntry {
  /** What buildAttrs takes: `python3Packages.requests`. */
  readonly attrPath: string;
  /** The derivation name: `requests-2.31.0`. */
  readonly name: string;
  readonly pname: string;
  readonly version: string;
  readonly description?: string;
}

export interface ListPackagesOptions {
  readonly signal?: AbortSignal;
}

export async function listPackages(source: PackageSource, options: ListPackagesOptions = {}): Promise<PackageEntry[]> {
  const reader = new NixLogReader();
  const where = describeSource(source);
  const [program, args] =
    source.kind === 'flake'
      ? (['nix', [...FLAKE_FLAGS, 'search', '--json', '--log-format', 'internal-json', source.ref, '^']] as const)
      : (['nix-env', ['-f', where, '-qaP', '--json', '--meta', '--log-format', 'internal-json']] as const);
  const result = await runNix(program, args, { signal: options.signal, onStderrLine: (l) => reader.read(l) });
  if (result.exitCode !== 0) throw nixFailure(`Nix could not list the packages of ${where}`, result, reader);
  return source.kind === 'flake' ? parseSearchResults(result.stdout) : parsePackageList(result.stdout);
}

/** `nix-env -qaP --json --meta` output: an object keyed by attribute path. */
export function parsePackageList(json: string): PackageEntry[] {
  return Object.entries(parseObject(json, 'nix-env -qaP --json')).map(([attrPath, value]) => {
    const info = isObject(value) ? value : {};
    const name = typeof info.name === 'string' ? info.name : attrPath;
    // Nix before 2.9 or so prints only `name`; split it the way Nix does.
    const parsed = parseDrvName(name);
    const meta = isObject(info.meta) ? info.meta : {};
    return entry(
      attrPath,
      name,
      typeof info.pname === 'string' ? info.pname : parsed.pname,
      typeof info.version === 'string' ? info.version : parsed.version,
      meta.description,
    );
  });
}

/**
 * `nix search --json` output: keyed by the flake output path
 * (`packages.x86_64-linux.hello`), shortened here to what `flake#attr` accepts.
 */
export function parseSearchResults(json: string): PackageEntry[] {
  return Object.entries(parseObject(json, 'nix search --json')).map(([outputPath, value]) => {
    const info = isObject(value) ? value : {};
    const attrPath = outputPath.replace(/^(packages|legacyPackages)\.[^.]+\./, '');
    const pname = typeof info.pname === 'string' ? info.pname : attrPath;
    const version = typeof info.version === 'string' ? info.version : '';
    return entry(attrPath, version === '' ? pname : `${pname}-${version}`, pname, version, info.description);
  });
}

/** Nix's own rule: the version starts at the first dash followed by something other than a letter. */
export function parseDrvName(name: string): { pname: string; version: string } {
  const split = /-[^A-Za-z]/.exec(name);
  return split ? { pname: name.slice(0, split.index), version: name.slice(split.index + 1) } : { pname: name, version: '' };
}

function entry(attrPath: string, name: string, pname: string, version: string, description: unknown): PackageEntry {
  return typeof description === 'string' && description !== ''
    ? { attrPath, name, pname, version, description }
    : { attrPath, name, pname, version };
}

function parseObject(json: string, what: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    throw new LaminaError(`Lamina cannot read ${what}: ${(err as Error).message} (report this with nix --version)`, 'nix-output');
  }
  if (!isObject(value)) throw new LaminaError(`Lamina cannot read ${what}: it is not an object (report this with nix --version)`, 'nix-output');
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
