/**
 * `lamina export SRC DEST`: writes an image (a store image by name, or any
 * location Lamina reads) to `oci:DIR[:TAG]` or `docker-archive:FILE[:NAME:TAG]`,
 * what `build --out` does for a new build.
 */
import type { Command } from 'commander';
import { parseImageLocation } from '../../engine/image/transport.js';
import { openLocation, writeLocation } from '../../engine/locations.js';
import { openStore } from '../../engine/store/store.js';
import { cancelOnInterrupt } from './registry-flags.js';

async function exportImage(name: string, dest: string, flags: { json?: boolean }): Promise<void> {
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

export function addExportCommand(program: Command): void {
  program
    .command('export')
    .description('Write an image of the local store (or oci:, docker-archive:, docker://) to oci:DIR[:TAG] or docker-archive:FILE[:NAME:TAG].')
    .argument('<name>', 'the image name, as `lamina images` lists it, or a location')
    .argument('<dest>', 'oci:DIR[:TAG] or docker-archive:FILE[:NAME:TAG]')
    .option('--json', 'print {"name","manifestDigest","destination"}')
    .action(exportImage);
}
