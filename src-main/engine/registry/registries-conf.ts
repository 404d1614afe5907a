/**
 * The part of containers-registries.conf(5), version 2, that Lamina honours:
 * `[[registry]]` tables with `prefix`, `location`, `insecure`, `blocked` and
 * `mirror-by-digest-only`, each with `[[registry.mirror]]` tables (`location`,
 * `insecure`). Prefixes are `HOST[:PORT][/NAMESPACE...]` or `*.DOMAIN`; the longest
 * match wins. Not read: version 1 files, `unqualified-search-registries`,
 * `short-name-mode`, `[aliases]`, `pull-from-mirror`.
 *
 * Files: CONTAINERS_REGISTRIES_CONF alone when set, else the user's
 * ~/.config/containers/registries.conf when it exists, else
 * /etc/containers/registries.conf; then the drop-ins in the `registries.conf.d`
 * folder beside it, by name, where a later prefix replaces an earlier one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { LaminaError } from '../../../src-shared/errors.js';
import type { ImageReference } from '../../../src-shared/reference.js';

export interface MirrorEntry {
  readonly location: string;
  readonly insecure: boolean;
}

export interface RegistryEntry {
  readonly prefix: string;
  readonly location: string;
  readonly insecure: boolean;
  readonly blocked: boolean;
  readonly mirrorByDigestOnly: boolean;
  readonly mirrors: readonly MirrorEntry[];
  /** The file that said it, for messages. */
  readonly file: string;
}

export function registriesConfFiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const chosen = env['CONTAINERS_REGISTRIES_CONF'];
  if (chosen) return existsSync(chosen) ? [chosen] : [];
  const user = join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'containers', 'registries.conf');
  const main = existsSync(user) ? user : '/etc/containers/registries.conf';
  const dropIns = `${main}.d`;
  let extra: string[] = [];
  try {
    extra = readdirSync(dropIns).filter((n) => n.endsWith('.conf')).sort().map((n) => join(dropIns, n));
  } catch {
    // No drop-in folder: the usual case.
  }
  return [...(existsSync(main) ? [main] : []), ...extra];
}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function entriesOf(file: string): RegistryEntry[] {
  let doc: Record<string, unknown>;
  try {
    doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new LaminaError(`${file} is not valid TOML (${(err as Error).message.split('\n')[0]}); fix it or point CONTAINERS_REGISTRIES_CONF elsewhere`, 'bad-registries-conf', { cause: err });
  }
  const tables = Array.isArray(doc['registry']) ? (doc['registry'] as Record<string, unknown>[]) : [];
  return tables.flatMap((t) => {
    const location = str(t['location']) ?? '';
    const prefix = str(t['prefix']) || location;
    if (!prefix) return [];
    const mirrors = (Array.isArray(t['mirror']) ? (t['mirror'] as Record<string, unknown>[]) : []).flatMap((m) =>
      str(m['location']) ? [{ location: str(m['location'])!, insecure: m['insecure'] === true }] : [],
    );
    return [{ prefix, location: location || prefix, insecure: t['insecure'] === true, blocked: t['blocked'] === true, mirrorByDigestOnly: t['mirror-by-digest-only'] === true, mirrors, file }];
  });
}

let parsed: { readonly stamp: string; readonly entries: RegistryEntry[] } | undefined;

/** What changes when any of the files does: their paths, sizes and modification times. */
function stampOf(files: readonly string[]): string {
  return files.map((file) => {
    const stat = statSync(file, { throwIfNoEntry: false });
    return `${file}\0${stat?.size}\0${stat?.mtimeMs}\0${stat?.ino}`;
  }).join('\n');
}

/**
 * Every entry of every file, a later file's prefix replacing an earlier one's.
 * Parsed once while the files stay the same (each registry client asks, and the
 * app runs for days while they may be edited).
 */
export function loadRegistriesConf(env: NodeJS.ProcessEnv = process.env): RegistryEntry[] {
  const files = registriesConfFiles(env);
  const stamp = stampOf(files);
  if (parsed?.stamp === stamp) return parsed.entries;
  const byPrefix = new Map<string, RegistryEntry>();
  for (const file of files) for (const entry of entriesOf(file)) byPrefix.set(entry.prefix, entry);
  parsed = { stamp, entries: [...byPrefix.values()] };
  return parsed.entries;
}

/** How well `prefix` matches `name` (HOST/REPO): its length, or -1 for no match. */
function matchLength(prefix: string, name: string): number {
  if (prefix.startsWith('*.')) {
    const host = name.split('/')[0]!.replace(/:\d+$/, '');
    return host.endsWith(prefix.slice(1)) ? prefix.length : -1;
  }
  return name === prefix || name.startsWith(`${prefix}/`) ? prefix.length : -1;
}

/** The entry that governs `registry[/repository]`, if any. */
export function entryFor(entries: readonly RegistryEntry[], registry: string, repository?: string): RegistryEntry | undefined {
  const name = repository ? `${registry}/${repository}` : registry;
  let best: RegistryEntry | undefined;
  let bestLength = -1;
  for (const entry of entries) {
    const length = matchLength(entry.prefix, name);
    if (length > bestLength) [best, bestLength] = [entry, length];
  }
  return best;
}

/** Throws when registries.conf blocks the reference. */
export function checkNotBlocked(entries: readonly RegistryEntry[], registry: string, repository?: string): void {
  const entry = entryFor(entries, registry, repository);
  if (entry?.blocked) {
    throw new LaminaError(`${repository ? `${registry}/${repository}` : registry} is blocked by ${entry.file} (prefix "${entry.prefix}"); remove "blocked = true" there to use it`, 'registry-blocked');
  }
}

export interface PullLocation {
  readonly registry: string;
  readonly repository: string;
  /** true: registries.conf marks this location insecure (no TLS check, plain HTTP allowed). */
  readonly insecure: boolean;
  readonly mirror: boolean;
}

function rewrite(location: string, rest: string): { registry: string; repository: string } {
  const full = `${location}${rest}`;
  const slash = full.indexOf('/');
  return { registry: full.slice(0, slash), repository: full.slice(slash + 1) };
}

/**
 * Where to pull `ref` from, in order: its mirrors (skipped without a digest when
 * the entry says mirror-by-digest-only), then its location. Pushes use neither,
 * as podman and skopeo do: mirrors are for pulls.
 */
export function pullLocations(ref: ImageReference, entries: readonly RegistryEntry[] = loadRegistriesConf()): PullLocation[] {
  const entry = entryFor(entries, ref.registry, ref.repository);
  const primary: PullLocation = { registry: ref.registry, repository: ref.repository, insecure: false, mirror: false };
  if (!entry) return [primary];
  checkNotBlocked(entries, ref.registry, ref.repository);
  if (entry.prefix.startsWith('*.')) return [{ ...primary, insecure: entry.insecure }];
  const rest = `${ref.registry}/${ref.repository}`.slice(entry.prefix.length);
  const useMirrors = !entry.mirrorByDigestOnly || ref.digest !== undefined;
  const mirrors = useMirrors ? entry.mirrors.map((m) => ({ ...rewrite(m.location, rest), insecure: m.insecure, mirror: true })) : [];
  return [...mirrors, { ...rewrite(entry.location, rest), insecure: entry.insecure, mirror: false }];
}

/** Whether registries.conf marks the host (by an entry for the host itself or a wildcard) insecure. */
export function hostInsecure(registry: string, entries: readonly RegistryEntry[] = loadRegistriesConf()): boolean {
  if (entries.some((e) => e.mirrors.some((m) => m.insecure && m.location.split('/')[0] === registry))) return true;
  return entryFor(entries, registry)?.insecure ?? false;
}
