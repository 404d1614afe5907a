/** What `lamina images` (images.ts) does: list the images in the local store, by name. */
import { openStore } from '../../engine/store/store.js';
import { formatAge, shortDigest, table } from '../output.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';

export async function listImages(flags: { json?: boolean }): Promise<void> {
  const store = await openStore();
  try {
    const images = store.images.list();
    if (flags.json) {
      const rows = images.map((i) => ({ name: i.name, manifestDigest: i.manifestDigest, configDigest: i.configDigest, layers: i.layers.length, size: i.size, createdAt: new Date(i.createdAt).toISOString() }));
      process.stdout.write(JSON.stringify(rows) + '\n');
      return;
    }
    if (images.length === 0) {
      process.stdout.write('no images in the store yet; build one with `lamina build`\n');
      return;
    }
    const rows = images.map((i) => [i.name, shortDigest(i.manifestDigest), String(i.layers.length), formatBytes(i.size), formatAge(i.createdAt)]);
    process.stdout.write(table(['NAME', 'MANIFEST', 'LAYERS', 'SIZE', 'BUILT'], rows));
  } finally {
    store.close();
  }
}
