/**
 * What `lamina export SRC DEST` (export.ts) does: writes an image (a store image
 * by name, or any location Lamina reads) to `oci:DIR[:TAG]` or
 * `docker-archive:FILE[:NAME:TAG]`.
 */
import { parseImageLocation } from '../../engine/image/transport.js';
import { openLocation, writeLocation } from '../../engine/locations.js';
import { openStore } from '../../engine/store/store.js';
import { cancelOnInterrupt } from './registry-access.js';

export async function exportImage(name: string, dest: string, flags: { json?: boolean }): Promise<void> {
  const location = parseImageLocation(dest);
  const { signal, dispose } = cancelOnInterrupt();
  const store = await openStore();
  try {
    const opened = await openLocation(name, { store, signal });
    const { image } = opened;
    try {
      await writeLocation(image, location, signal);
    } finally {
      await opened.close();
    }
    process.stdout.write(flags.json ? JSON.stringify({ name, manifestDigest: image.manifestDigest, destination: dest }) + '\n' : `exported ${name} (${image.manifestDigest}) to ${dest}\n`);
  } finally {
    store.close();
    dispose();
  }
}
