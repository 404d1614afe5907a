/**
 * Checks, in one evaluation, that every attribute asked for exists and is a
 * package, so that a user who misspelt three names hears about all three at once
 * (Nix itself stops at the first). Nixery does the same before it builds; a
 * build here does it in the same nix-build (packagesExpression), and runs the
 * full check only when that fails, to say why.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { flakeInstallable, splitAttrPath } from './attr-path.js';
import { nixFailure } from './error-message.js';
import { NixLogReader, type NixLogLine } from './log.js';
import { FLAKE_FLAGS, runNix } from './process.js';
import { describeSource, type PackageSource } from './source.js';

// The attributes looked up, as `results`, `missing` and `notPackages`: the bindings of
// both expressions below, which Nix calls with --argstr sourceKind, source, attrsJson.
// Flake attributes are looked up the way `nix build flake#attr` does: under
// packages.<system>, then legacyPackages.<system>, then as written (unless the
// fragment starts with a dot, which means "exactly this path").
const LOOKUP = `
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
`;

const CHECK_EXPRESSION = `{ sourceKind, source, attrsJson }: let ${LOOKUP} in { inherit missing notPackages; }`;

/** The packages, in order, as a list nix-build builds; an evaluation error when any attribute is missing or not a package. */
const PACKAGES_EXPRESSION = `{ sourceKind, source, attrsJson }: let ${LOOKUP} in
  if missing == [ ] && notPackages == [ ] then map (r: r.value) results
  else throw "lamina: not every attribute asked for is a package"`;

interface CheckResult {
  missing: string[];
  notPackages: string[];
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
}

/** Throws one LaminaError naming every attribute of `attrs` that `source` lacks or that is not a package. */
export async function checkAttrs(source: PackageSource, attrs: readonly string[], options: AttrCheckOptions = {}): Promise<void> {
  const where = describeSource(source);
  const reader = new NixLogReader(options.onLog);
  const result = await runNix('nix-instantiate', checkArgs(source, attrs), { signal: options.signal, onStderrLine: (l) => reader.read(l) });
  if (result.exitCode !== 0) throw nixFailure(`Nix could not evaluate ${where}`, result, reader);
  const { missing, notPackages } = JSON.parse(result.stdout) as CheckResult;
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`${where} has no attribute ${missing.join(', ')}`);
  if (notPackages.length > 0) problems.push(`${notPackages.join(', ')} ${notPackages.length === 1 ? 'is not a package' : 'are not packages'}`);
  if (problems.length > 0) {
    throw new UnknownAttributesError(`${problems.join('; ')}: check the names (${listingCommand(source)} lists them)`, missing, notPackages);
  }
}

function checkArgs(source: PackageSource, attrs: readonly string[]): string[] {
  return [...(source.kind === 'flake' ? FLAKE_FLAGS : []), '--eval', '--strict', '--json', '--log-format', 'internal-json', ...expressionArgs(CHECK_EXPRESSION, source, attrs)];
}

/**
 * nix-build's arguments for the packages `attrs` of a path or channel source,
 * looked up as checkAttrs looks them up: one derivation per attribute, in order,
 * and nothing built unless every attribute is a package.
 */
export function packagesExpression(source: PackageSource, attrs: readonly string[]): string[] {
  return expressionArgs(PACKAGES_EXPRESSION, source, attrs);
}

function expressionArgs(expression: string, source: PackageSource, attrs: readonly string[]): string[] {
  return [
    '--expr',
    expression,
    '--argstr',
    'sourceKind',
    source.kind,
    '--argstr',
    'source',
    sourceLocation(source),
    '--argstr',
    'attrsJson',
    JSON.stringify(attrs.map((attr) => lookupPath(source, attr))),
  ];
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
