/**
 * Reading and writing an Image at a location string (`oci:…`, `docker-archive:…`):
 * the one place that maps a transport to its source or sink.
 */
import { LaminaError } from '../../../src-shared/errors.js';
import { readDockerArchive } from './docker-archive-reader.js';
import { writeDockerArchive } from './docker-archive-writer.js';
import type { Image } from './model.js';
import { readOciLayout } from './oci-layout-reader.js';
import { writeOciLayout } from './oci-layout-writer.js';
import { parseImageLocation, type ImageLocation } from './transport.js';

export interface OpenedImage {
  readonly image: Image;
  /** Releases what reading needed (a docker archive's unpacked copy). */
  close(): Promise<void>;
}

export async function openImage(location: string | ImageLocation, signal?: AbortSignal): Promise<OpenedImage> {
  const at = typeof location === 'string' ? parseImageLocation(location) : location;
  if (at.transport === 'oci') return { image: await readOciLayout(at.dir, at.tag), close: async () => undefined };
  return readDockerArchive(at.file, at.reference, signal);
}

/** Why the file system refused, for a person; undefined for errors that are not about the place written to. */
const PLACE_PROBLEMS: Record<string, string> = {
  ENOENT: 'a folder on the way does not exist',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
};

export async function writeImage(image: Image, location: string | ImageLocation, signal?: AbortSignal): Promise<void> {
  const at = typeof location === 'string' ? parseImageLocation(location) : location;
  const place = at.transport === 'oci' ? `oci:${at.dir}` : `docker-archive:${at.file}`;
  try {
    if (at.transport === 'oci') await writeOciLayout(image, at.dir, at.tag, signal);
    else await writeDockerArchive(image, at.file, at.reference, signal);
  } catch (err) {
    const problem = PLACE_PROBLEMS[(err as NodeJS.ErrnoException).code ?? ''];
    if (!problem) throw err;
    throw new LaminaError(`cannot write the image to ${place}: ${problem}; pick a writable place`, 'export-failed', { cause: err });
  }
}
