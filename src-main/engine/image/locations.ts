/**
 * Reading and writing an Image at a location string (`oci:…`, `docker-archive:…`):
 * the one place that maps a transport to its source or sink.
 */
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

export async function writeImage(image: Image, location: string | ImageLocation, signal?: AbortSignal): Promise<void> {
  const at = typeof location === 'string' ? parseImageLocation(location) : location;
  if (at.transport === 'oci') await writeOciLayout(image, at.dir, at.tag, signal);
  else await writeDockerArchive(image, at.file, at.reference, signal);
}
