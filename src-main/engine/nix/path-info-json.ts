/**
 * Parsers for the JSON Nix prints about store paths. `nix path-info --json` has
 * two shapes: Nix <= 2.18 prints an array of objects with `path` (an invalid path
 * gets `"valid": false`); Nix 2.19+ prints an object keyed by path (an invalid path
 * maps to null). `exportReferencesGraph` files (closureInfo, dockerTools) hold the
 * array shape.
 */
import { makeClosureGraph, storePathName, type ClosureGraph, type StorePathInfo } from '../closure/graph.js';
import { LaminaError } from '../../../src-shared/errors.js';

export interface PathInfoList {
  readonly infos: StorePathInfo[];
  /** Paths Nix was asked about that are not in the store. */
  readonly invalid: string[];
}

export function parsePathInfo(json: string): PathInfoList {
  const value = parseJson(json, 'nix path-info --json');
  const infos: StorePathInfo[] = [];
  const invalid: string[] = [];
  const take = (path: unknown, entry: unknown): void => {
    if (typeof path !== 'string') throw unreadable('nix path-info --json', 'an entry has no path');
    if (entry === null || (isObject(entry) && entry.valid === false)) invalid.push(path);
    else infos.push(pathInfo(path, entry, 'nix path-info --json'));
  };
  if (Array.isArray(value)) for (const entry of value) take(isObject(entry) ? entry.path : undefined, entry);
  else if (isObject(value)) for (const [path, entry] of Object.entries(value)) take(path, entry);
  else throw unreadable('nix path-info --json', 'it is neither a list nor an object');
  return { infos, invalid };
}

/**
 * The graph in an `exportReferencesGraph` JSON file. Its roots are the paths no
 * other path refers to: the file does not say which paths were asked for.
 */
export function parseReferencesGraph(json: string): ClosureGraph {
  const value = parseJson(json, 'the references graph');
  if (!Array.isArray(value)) throw unreadable('the references graph', 'it is not a list');
  const infos = value.map((entry) => pathInfo(isObject(entry) ? entry.path : undefined, entry, 'the references graph'));
  const referenced = new Set(infos.flatMap((info) => info.references.filter((ref) => ref !== info.path)));
  const roots = infos.map((info) => info.path).filter((path) => !referenced.has(path)).sort();
  return closedGraph(infos, roots, 'the references graph');
}

/** makeClosureGraph, with a hole in the input reported as unreadable input rather than a bug. */
export function closedGraph(infos: StorePathInfo[], roots: readonly string[], what: string): ClosureGraph {
  try {
    return makeClosureGraph(infos, roots);
  } catch (err) {
    throw unreadable(what, (err as Error).message);
  }
}

function pathInfo(path: unknown, entry: unknown, what: string): StorePathInfo {
  if (typeof path !== 'string' || !isObject(entry)) throw unreadable(what, 'an entry has no path');
  const { narSize, references } = entry;
  if (typeof narSize !== 'number' || !Number.isSafeInteger(narSize) || narSize < 0) {
    throw unreadable(what, `${path} has no valid narSize`);
  }
  if (!Array.isArray(references) || !references.every((r) => typeof r === 'string')) {
    throw unreadable(what, `${path} has no valid references`);
  }
  return { path, name: storePathName(path), narSize, references: references as string[] };
}

function parseJson(json: string, what: string): unknown {
  try {
    return JSON.parse(json);
  } catch (err) {
    throw unreadable(what, (err as Error).message);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unreadable(what: string, why: string): LaminaError {
  return new LaminaError(`Lamina cannot read ${what}: ${why} (report this with the output of nix --version)`, 'nix-output');
}
