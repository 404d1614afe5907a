import { LaminaError } from './errors.js';

/**
 * A parsed image reference, normalised the way docker does: no host means Docker
 * Hub, and a one-part repository on Docker Hub lives under `library/`.
 */
export interface ImageReference {
  /** The registry as users name it: `docker.io`, `localhost:5000`, `[::1]:5000`. */
  readonly registry: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

export const DOCKER_HUB = 'docker.io';
/** Docker Hub's API answers on another host than the name users write. */
const DOCKER_HUB_API = 'registry-1.docker.io';

const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;

/** A tag as the distribution spec allows it: a word character, then up to 127 word characters, dots and dashes. */
export function isValidTag(tag: string): boolean {
  return TAG.test(tag);
}
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;

/** What may follow a reference's `@` when it pins a digest (and then nothing else does). */
const DIGEST_TAIL = /^(?:sha\d+:[^/@]*|[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,})$/;

/**
 * The text with any `user[:password]@` in front of the host replaced by `***@`,
 * fit to echo in an error. Works on references and URLs alike. Where no URL
 * parser can tell, an `@` counts as a login unless what follows it is a digest,
 * so `app@sha256:…` stays as it is and a password holding `/` or `@` is covered.
 */
export function redactUserinfo(text: string): string {
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(text)?.[0] ?? '';
  if (scheme && URL.canParse(text)) {
    // A URL parser knows where the login ends, so an "@" further on (a query) stays.
    const url = new URL(text);
    if (!url.username && !url.password) return text;
    url.username = '';
    url.password = '';
    return url.href.replace('//', '//***@');
  }
  const rest = text.slice(scheme.length);
  for (let at = rest.lastIndexOf('@'); at >= 0; at = rest.lastIndexOf('@', at - 1)) {
    const tail = rest.slice(at + 1);
    if (tail !== '' && !DIGEST_TAIL.test(tail)) return `${scheme}***@${tail}`;
    if (at === 0) break;
  }
  return text;
}

function bad(text: string, why: string): LaminaError {
  return new LaminaError(
    `invalid image reference "${redactUserinfo(text)}": ${why}; write it as HOST[:PORT]/REPOSITORY[:TAG] or …@sha256:DIGEST`,
    'bad-reference',
  );
}

/** A first path part is a host when it has a dot or a port, or is localhost (docker's rule). */
function looksLikeHost(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost' || part.startsWith('[');
}

export function parseReference(text: string): ImageReference {
  if (redactUserinfo(text) !== text) throw bad(text, 'a login (USER:PASS@) does not go in a reference: pass --creds USER:PASS or log in instead');
  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw bad(text, `"${digest}" is not a digest`);
    if (digest.startsWith('sha256:') && !SHA256.test(digest)) throw bad(text, 'a sha256 digest has 64 lowercase hex digits');
  }
  let registry = DOCKER_HUB;
  const slash = rest.indexOf('/');
  if (slash >= 0 && looksLikeHost(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
    checkHost(text, registry);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw bad(text, `"${tag}" is not a valid tag`);
  }
  if (rest === '') throw bad(text, 'the repository name is missing');
  for (const part of rest.split('/')) {
    if (!COMPONENT.test(part)) throw bad(text, `"${rest}" is not a valid repository name (lowercase letters, digits and . _ - between them)`);
  }
  if (registry === 'index.docker.io' || registry === DOCKER_HUB_API) registry = DOCKER_HUB;
  const repository = registry === DOCKER_HUB && !rest.includes('/') ? `library/${rest}` : rest;
  if (repository.length > 255) throw bad(text, 'the repository name is longer than 255 characters');
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

const HOST = /^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::\d{1,5})?$/;

function checkHost(text: string, host: string): void {
  if (!HOST.test(host)) throw bad(text, `"${host}" is not a valid registry host`);
}

/**
 * Checks a registry name handed to the client directly (not from a reference):
 * `HOST[:PORT]` and nothing else, so no login rides along into URLs and messages.
 */
export function checkRegistryName(registry: string): void {
  if (HOST.test(registry)) return;
  const shown = redactUserinfo(registry);
  const login = shown === registry ? '' : ', and pass a login with --creds USER:PASS or log in';
  throw new LaminaError(`invalid registry "${shown}": write it as HOST[:PORT]${login}`, 'bad-registry-name');
}

/** The reference written back in its shortest form docker accepts. */
export function formatReference(ref: ImageReference): string {
  const repo = ref.registry === DOCKER_HUB && ref.repository.startsWith('library/') ? ref.repository.slice(8) : ref.repository;
  // Docker Hub's name may be left out unless the repository's first part would then read as a host.
  const hubShort = ref.registry === DOCKER_HUB && !looksLikeHost(repo.split('/')[0]!);
  const name = hubShort ? repo : `${ref.registry}/${repo}`;
  return `${name}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** The host:port that serves the registry API for a registry name. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_API : registry;
}

/** Loopback hosts may be spoken to over plain HTTP without asking, as docker does. */
export function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
