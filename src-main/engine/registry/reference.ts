import { LaminaError } from '../errors.js';

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
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;
const SHA256 = /^sha256:[a-f0-9]{64}$/;

function bad(text: string, why: string): LaminaError {
  return new LaminaError(
    `invalid image reference "${text}": ${why}; write it as HOST[:PORT]/REPOSITORY[:TAG] or …@sha256:DIGEST`,
    'bad-reference',
  );
}

/** A first path part is a host when it has a dot or a port, or is localhost (docker's rule). */
function looksLikeHost(part: string): boolean {
  return part.includes('.') || part.includes(':') || part === 'localhost' || part.startsWith('[');
}

export function parseReference(text: string): ImageReference {
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

function checkHost(text: string, host: string): void {
  const ok = /^(?:\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(?::\d{1,5})?$/;
  if (!ok.test(host)) throw bad(text, `"${host}" is not a valid registry host`);
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
