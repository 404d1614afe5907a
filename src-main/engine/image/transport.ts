/**
 * skopeo-style image locations on disk: `oci:DIR[:TAG]` (an OCI image layout)
 * and `docker-archive:FILE[:NAME:TAG]` (what `docker save` writes and `docker
 * load` reads). As in skopeo, the path ends at the first colon.
 */
import { LaminaError } from '../../../src-shared/errors.js';

export type ImageLocation =
  | { readonly transport: 'oci'; readonly dir: string; readonly tag?: string }
  | { readonly transport: 'docker-archive'; readonly file: string; readonly reference?: string };

/** OCI ref.name and docker tag characters; no path separators tricks, no whitespace. */
const TAG = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/;
const DOCKER_REFERENCE = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?$/;

/** Throws unless `name` can name an image in an OCI layout (and so in the store, `oci:<home>:<name>`). */
export function checkImageName(name: string): void {
  if (!TAG.test(name)) {
    throw new LaminaError(`"${name}" cannot name an image; use letters, digits and . _ - / : (starting with a letter or digit)`, 'bad-name');
  }
}

export function parseImageLocation(spec: string): ImageLocation {
  const colon = spec.indexOf(':');
  const transport = colon < 0 ? '' : spec.slice(0, colon);
  const rest = spec.slice(colon + 1);
  const split = rest.indexOf(':');
  const path = split < 0 ? rest : rest.slice(0, split);
  const suffix = split < 0 ? undefined : rest.slice(split + 1);
  if (transport === 'oci') {
    if (!path) throw new LaminaError(`"${spec}" names no folder; write oci:DIR or oci:DIR:TAG`, 'bad-location');
    if (suffix !== undefined && !TAG.test(suffix)) {
      throw new LaminaError(`"${suffix}" is not a valid OCI image name in "${spec}"; use letters, digits and . _ - / :`, 'bad-location');
    }
    return suffix === undefined ? { transport, dir: path } : { transport, dir: path, tag: suffix };
  }
  if (transport === 'docker-archive') {
    if (!path) throw new LaminaError(`"${spec}" names no file; write docker-archive:FILE or docker-archive:FILE:NAME:TAG`, 'bad-location');
    if (suffix !== undefined && !DOCKER_REFERENCE.test(suffix)) {
      throw new LaminaError(`"${suffix}" is not a docker image reference in "${spec}"; write NAME:TAG, e.g. myapp:latest`, 'bad-location');
    }
    return suffix === undefined ? { transport, file: path } : { transport, file: path, reference: withTag(suffix) };
  }
  throw new LaminaError(`"${spec}" is not an image location Lamina can write or read; use oci:DIR[:TAG] or docker-archive:FILE[:NAME:TAG]`, 'bad-location');
}

/** `name` -> `name:latest`, as docker does; a colon after the last slash is a tag. */
function withTag(reference: string): string {
  return reference.slice(reference.lastIndexOf('/') + 1).includes(':') ? reference : `${reference}:latest`;
}
