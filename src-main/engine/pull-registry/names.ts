/**
 * What the pulled name means: the repository path lists packages (`git/python3`),
 * the reference is a tag (a package source) or a manifest digest. Everything is
 * checked against distribution's grammar on the raw, undecoded path, before any
 * of it reaches Nix: `..`, `%2f`, unicode, uppercase and overlong names stop here.
 */
import { isValidTag } from '../../../src-shared/reference.js';
import { isDigest } from '../image/digest.js';
import { DistributionError } from './errors.js';

/** distribution's limit on a repository name. */
export const MAX_NAME_LENGTH = 255;
/** More packages than anyone lists by hand; a longer list is an attack or a mistake. */
export const MAX_PACKAGES = 32;

// One path component of a repository name (distribution's reference grammar).
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export type ManifestReference = { readonly kind: 'tag'; readonly tag: string } | { readonly kind: 'digest'; readonly digest: string };

/** Hostile input may be long or unprintable: quote a bounded, escaped piece of it. */
export function quoted(raw: string): string {
  const shown = raw.length > 60 ? `${raw.slice(0, 60)}…` : raw;
  return JSON.stringify(shown);
}

/** The packages a repository name lists, in order, each once. */
export function parseRepository(raw: string): string[] {
  if (raw.length > MAX_NAME_LENGTH) {
    throw new DistributionError('NAME_INVALID', `repository name is ${raw.length} characters long; the limit is ${MAX_NAME_LENGTH}`);
  }
  const components = raw.split('/');
  const bad = components.find((c) => !COMPONENT.test(c));
  if (bad !== undefined) {
    throw new DistributionError(
      'NAME_INVALID',
      `${quoted(raw)} is not a valid repository name: ${bad === '' ? 'it has an empty path component' : `${quoted(bad)} is not a package name`}; name packages in lowercase letters and digits, separated by /, with . _ - inside names`,
    );
  }
  const packages = [...new Set(components)];
  if (packages.length > MAX_PACKAGES) {
    throw new DistributionError('NAME_INVALID', `the name lists ${packages.length} packages; the limit is ${MAX_PACKAGES}`);
  }
  return packages;
}

/** A tag or a `sha256:` digest, as the last path component of a manifest URL. */
export function parseReference(raw: string): ManifestReference {
  if (raw.startsWith('sha256:')) {
    if (!isDigest(raw)) throw new DistributionError('DIGEST_INVALID', `${quoted(raw)} is not a sha256 digest (sha256: and 64 lowercase hex digits)`);
    return { kind: 'digest', digest: raw };
  }
  if (raw.includes(':')) throw new DistributionError('DIGEST_INVALID', `${quoted(raw)} is not a digest this registry knows; it serves sha256 only`);
  if (!isValidTag(raw)) {
    throw new DistributionError('TAG_INVALID', `${quoted(raw)} is not a valid tag: up to 128 letters, digits, _ . - (not starting with . or -)`);
  }
  return { kind: 'tag', tag: raw };
}

/** A blob's digest from its URL. */
export function parseBlobDigest(raw: string): string {
  if (!isDigest(raw)) throw new DistributionError('DIGEST_INVALID', `${quoted(raw)} is not a sha256 digest (sha256: and 64 lowercase hex digits)`);
  return raw;
}
