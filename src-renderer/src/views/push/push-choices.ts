/**
 * What the Push form offers and says, worked out from plain data: the store's
 * images, the jobs the page knows, the registries saved in Settings.
 */
import type { StoreImageEntry } from '../../../../src-shared/images';
import type { JobSummary } from '../../../../src-shared/jobs';
import type { RegistryEntry } from '../../../../src-shared/logins';
import { parseReference } from '../../../../src-shared/reference';

export type CredentialsChoice = 'auto' | 'anonymous';

export function newestFirst(images: readonly StoreImageEntry[]): StoreImageEntry[] {
  return [...images].sort((a, b) => b.createdAt - a.createdAt);
}

function succeeded(jobs: readonly JobSummary[], kind: string): JobSummary[] {
  return jobs.filter((job) => job.kind === kind && job.state === 'succeeded' && job.result !== null);
}

/** The image names of succeeded builds, in the jobs' order (newest first). */
export function builtImageNames(jobs: readonly JobSummary[]): string[] {
  return succeeded(jobs, 'image-build').map((job) => (job.result as { name: string }).name);
}

/** References pushed to, in the jobs' order (newest first), each once. */
export function pastDestinations(jobs: readonly JobSummary[]): string[] {
  return [...new Set(succeeded(jobs, 'push').map((job) => (job.result as { reference: string }).reference))];
}

/** Past destinations first, then `HOST/` for each registry in Settings. */
export function destinationSuggestions(past: readonly string[], registries: readonly RegistryEntry[]): string[] {
  return [...new Set([...past, ...registries.map((r) => `${r.host}/`)])];
}

/** The registry a destination names, as the push job will look it up (docker.io rules); null until it parses. */
export function destinationHost(target: string): string | null {
  const text = target.trim().replace(/^docker:\/\//, '');
  if (text === '') return null;
  try {
    return parseReference(text).registry.toLowerCase();
  } catch {
    return null;
  }
}

const FALLBACK = 'a login docker, podman or skopeo keep for it is used if there is one, else the push is anonymous';

/** Which login the push will send to `host`, in one sentence; never a secret. */
export function credentialsNote(host: string, choice: CredentialsChoice, saved: RegistryEntry | undefined): string {
  if (choice === 'anonymous') return `Pushes to ${host} anonymously: no login is sent.`;
  if (saved?.secretAvailable) return `Pushes to ${host} as ${saved.username}, the login saved in Settings.`;
  if (saved) return `Settings has ${saved.username} for ${host}, but the secret was kept for one session and is gone: enter it again in Settings. Until then ${FALLBACK}.`;
  return `No login saved in Settings for ${host}: ${FALLBACK}.`;
}

/** The Credentials menu's text for `auto`: the saved login's user when there is one. */
export function autoCredentialsLabel(host: string | null, saved: RegistryEntry | undefined): string {
  if (saved?.secretAvailable) return `${saved.username} (saved in Settings)`;
  return host ? `docker login for ${host}, if any` : 'The registry’s saved login';
}
