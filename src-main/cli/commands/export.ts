/**
 * `lamina export NAME DEST`: writes a store image to `oci:DIR[:TAG]` or
 * `docker-archive:FILE[:NAME:TAG]`, what `build --out` does for a new build.
 */
import type { Command } from 'commander';
import { writeImage } from '../../engine/image/locations.js';
import { imageFromStore } from '../../engine/store/image-source.js';
import { parseImageLocation } from '../../engine/image/transport.js';
import { openStore } from '../../engine/store/store.js';
import { cancelOnInterrupt } from './registry-flags.js';

async function exportImage(name: string, dest: string, flags: { json?: boolean }): Promise<void> {
  const location = parseImageLocation(dest);
  const { signal, dispose } = cancelOnInterrupt();
  const store = await openStore();
  try {
    const image = await imageFromStore(store, name);
    await writeImage(image, location, signal);
    process.stdout.write(flags.json ? JSON.stringify({ name, manifestDigest: image.manifestDigest, destination: dest }) + '\n' : `exported ${name} (${image.manifestDigest}) to ${dest}\n`);
  } finally {
    store.close();
    dispose();
  }
}

export function addExportCommand(program: Command): void {
  program
    .command('export')
    .description('Write an image of the local store to oci:DIR[:TAG] or docker-archive:FILE[:NAME:TAG].')
    .argument('<name>', 'the image name, as `lamina images` lists it')
    .argument('<dest>', 'oci:DIR[:TAG] or docker-archive:FILE[:NAME:TAG]')
    .option('--json', 'print {"name","manifestDigest","destination"}')
    .action(exportImage);
}
