/**
 * Checks, in one evaluation, that every attribute asked for exists and is a
 * package, so that a user who misspelt three names hears about all three at once
 * (Nix itself stops at the first). Nixery does the same before it builds.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { flakeInstallable, splitAttrPath } from './attr-path.js';
import { nixFailure } from './error-message.js';
import { NixLogReader, type NixLogLine } from './log.js';
import { FLAKE_FLAGS, runNix, type NixRunResult } from './process.js';
import { describeSource, type PackageSource } from './source.js';

// Flake attributes are looked up the way `nix build flake#attr` does: under
// packages.<system>, then legacyPackages.<system>, then as written (unless the
// fragment starts with a dot, which means "exactly this path").
const CHECK_EXPRESSION = `
{ sourceKind, source, attrsJson, withOutPaths }:
let
  imported =
    if sourceKind == "flake" then (builtins.getFlake source).outputs
    else if sourceKind == "channel" then import (builtins.findFile builtins.nixPath source)
    else import source;
  root = if builtins.isFunction imported then imported { } else imported;
  lookup = set: path:
    if path == [ ] then { found = true; value = set; }
    else if builtins.isAttrs set && builtins.hasAttr (builtins.head path) set
    then lookup (builtins.getAttr (builtins.head path) set) (builtins.tail path)
    else { found = false; };
  system = builtins.currentSystem;
  candidates = a:
    if sourceKind != "flake" || a.exact then [ a.path ]
    else [ ([ "packages" system ] ++ a.path) ([ "legacyPackages" system ] ++ a.path) a.path ];
  firstFound = a: builtins.foldl' (hit: c: if hit.found then hit else lookup root c) { found = false; } (candidates a);
  results = map (a: let hit = firstFound a; in {
    inherit (a) name;
    inherit (hit) found;
    value = hit.value or null;
    isPackage = hit.found && builtins.isAttrs hit.value && (hit.value.type or null) == "derivation";
  }) (builtins.fromJSON attrsJson);
  missing = map (r: r.name) (builtins.filter (r: !r.found) results);
  notPackages = map (r: r.name) (builtins.filter (r: r.found && !r.isPackage) results);
in {
  inherit missing notPackages;
  # Only once every attribute is a package: an evaluation error in one package
  # must not hide the names that are wrong.
  outPaths = if withOutPaths == "1" && missing == [ ] && notPackages == [ ] then map (r: r.value.outPath) results else null;
}
`;

interface CheckResult {
  missing: string[];
  notPackages: string[];
  outPaths: string[] | null;
}

/** The attributes a source lacks or that are not packages, as data for callers that answer in their own words (the pull registry). */
export class UnknownAttributesError extends LaminaError {
  constructor(
    message: string,
    readonly missing: readonly string[],
    readonly notPackages: readonly string[],
  ) {
    super(message, 'unknown-attributes');
  }
}

export interface AttrCheckOptions {
  readonly onLog?: (line: NixLogLine) => void;
  readonly signal?: AbortSignal;
  /**
   * Evaluate each package's `outPath` too (the path nix-build prints for it), in
   * the same evaluation: what lets a build skip nix-build when they are all built.
   */
  readonly outPaths?: boolean;
}

/**
 * Throws one LaminaError naming every attribute of `attrs` that `source` lacks or
 * that is not a package. With `outPaths`, returns each attribute's output path, in
 * order; without, an empty list.
 */
export async function checkAttrs(source: PackageSource, attrs: readonly string[], options: AttrCheckOptions = {}): Promise<string[]> {
  const where = describeSource(source);
  const reader = new NixLogReader(options.onLog);
  const early = takeEarlyCheck(source, attrs, options.outPaths === true);
  const result = early
    ? await early.result(options.signal, (l) => reader.read(l))
    : await runNix('nix-instantiate', checkArgs(source, attrs, options.outPaths === true), { signal: options.signal, onStderrLine: (l) => reader.read(l) });
  if (result.exitCode !== 0) throw nixFailure(`Nix could not evaluate ${where}`, result, reader);
  const { missing, notPackages, outPaths } = JSON.parse(result.stdout) as CheckResult;
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`${where} has no attribute ${missing.join(', ')}`);
  if (notPackages.length > 0) problems.push(`${notPackages.join(', ')} ${notPackages.length === 1 ? 'is not a package' : 'are not packages'}`);
  if (problems.length > 0) {
    throw new UnknownAttributesError(`${problems.join('; ')}: check the names (${listingCommand(source)} lists them)`, missing, notPackages);
  }
  return outPaths ?? [];
}

function checkArgs(source: PackageSource, attrs: readonly string[], outPaths: boolean): string[] {
  return [
    ...(source.kind === 'flake' ? FLAKE_FLAGS : []),
    '--eval',
    '--strict',
    '--json',
    '--log-format',
    'internal-json',
    '--expr',
    CHECK_EXPRESSION,
    '--argstr',
    'sourceKind',
    source.kind,
    '--argstr',
    'source',
    sourceLocation(source),
    '--argstr',
    'attrsJson',
    JSON.stringify(attrs.map((attr) => lookupPath(source, attr))),
    '--argstr',
    'withOutPaths',
    outPaths ? '1' : '0',
  ];
}

interface EarlyCheck {
  /** Nix's answer; `onStderrLine` gets the lines printed so far, then the rest as they come. */
  result(signal: AbortSignal | undefined, onStderrLine: (line: string) => void): Promise<NixRunResult>;
}

const earlyChecks = new Map<string, EarlyCheck>();

function earlyKey(source: PackageSource, attrs: readonly string[], outPaths: boolean): string {
  return JSON.stringify([source, attrs, outPaths]);
}

/**
 * Starts the check of `attrs` now, for the next checkAttrs of the same source,
 * attributes and `outPaths` in this process to take up: `lamina build` starts it
 * before it loads the rest of the engine, so Nix evaluates meanwhile. Not taken
 * up, it is stopped when the process exits (see runNix).
 */
export function startAttrCheck(source: PackageSource, attrs: readonly string[], outPaths: boolean): void {
  const key = earlyKey(source, attrs, outPaths);
  if (earlyChecks.has(key)) return;
  const stop = new AbortController();
  const lines: string[] = [];
  let sink: ((line: string) => void) | undefined;
  const running = runNix('nix-instantiate', checkArgs(source, attrs, outPaths), {
    signal: stop.signal,
    onStderrLine: (line) => (sink ? sink(line) : lines.push(line)),
  });
  // Its failure is the taker's to report.
  running.catch(() => undefined);
  earlyChecks.set(key, {
    result(signal, onStderrLine) {
      for (const line of lines.splice(0)) onStderrLine(line);
      sink = onStderrLine;
      if (signal?.aborted) stop.abort();
      else signal?.addEventListener('abort', () => stop.abort(), { once: true });
      return running;
    },
  });
}

function takeEarlyCheck(source: PackageSource, attrs: readonly string[], outPaths: boolean): EarlyCheck | undefined {
  const key = earlyKey(source, attrs, outPaths);
  const early = earlyChecks.get(key);
  earlyChecks.delete(key);
  return early;
}

function listingCommand(source: PackageSource): string {
  const where = describeSource(source);
  return source.kind === 'flake' ? `nix search ${where} ^` : `nix-env -f '${where}' -qaP`;
}

function sourceLocation(source: PackageSource): string {
  switch (source.kind) {
    case 'path':
      return source.path;
    case 'channel':
      return source.name;
    case 'flake': {
      const hash = source.ref.indexOf('#');
      return hash === -1 ? source.ref : source.ref.slice(0, hash);
    }
  }
}

function lookupPath(source: PackageSource, attr: string): { name: string; path: string[]; exact: boolean } {
  if (source.kind !== 'flake') return { name: attr, path: splitAttrPath(attr), exact: false };
  const installable = flakeInstallable(source.ref, attr);
  const fragment = installable.slice(installable.indexOf('#') + 1);
  const exact = fragment.startsWith('.');
  return { name: attr, path: splitAttrPath(exact ? fragment.slice(1) : fragment), exact };
}
