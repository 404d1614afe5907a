/**
 * What `lamina cache ls|verify|gc` (cache.ts) do when they run: ls shows what is
 * kept and how often it served a build; verify re-hashes every blob and drops
 * damaged ones (the next build writes them again); gc frees space, unused layers first.
 */
import { collectGarbage, INDEX_MAX_IDLE_DAYS } from '../../engine/store/gc.js';
import { storeDuplication } from '../../engine/store/path-sizes.js';
import { openStore, type Store } from '../../engine/store/store.js';
import { verifyStore } from '../../engine/store/verify.js';
import { byteProgress, type ByteProgress } from '../byte-progress.js';
import { formatAge, shortDigest, table } from '../output.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';
import type { GcFlags, JsonFlag } from './cache.js';

async function withStore<T>(work: (store: Store) => Promise<T> | T): Promise<T> {
  const store = await openStore();
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

function usedBy(store: Store): Map<string, number> {
  const rows = store.db.prepare('SELECT layer_digest AS d, COUNT(DISTINCT image_name) AS n FROM image_layers GROUP BY layer_digest').all() as { d: string; n: number }[];
  return new Map(rows.map((r) => [r.d, r.n]));
}

export const list = (flags: JsonFlag): Promise<void> =>
  withStore((store) => {
    const layers = store.layers.list();
    const images = usedBy(store);
    const total = store.content.list().reduce((sum, b) => sum + b.size, 0);
    if (flags.json) {
      const rows = layers.map((l) => ({
        digest: l.digest,
        key: l.key,
        size: l.size,
        uncompressedSize: l.uncompressedSize,
        compression: l.compression,
        paths: l.paths.length,
        hits: l.hits,
        images: images.get(l.digest) ?? 0,
        lastUsedAt: new Date(l.lastUsedAt).toISOString(),
      }));
      process.stdout.write(JSON.stringify({ totalSize: total, duplication: storeDuplication(store.db), layers: rows }) + '\n');
      return;
    }
    const rows = layers.map((l) => [
      shortDigest(l.digest),
      formatBytes(l.size),
      l.compression,
      String(l.paths.length),
      String(l.hits),
      String(images.get(l.digest) ?? 0),
      formatAge(l.lastUsedAt),
    ]);
    process.stdout.write(table(['LAYER', 'SIZE', 'COMPRESSION', 'PATHS', 'HITS', 'IMAGES', 'LAST USED'], rows));
    process.stdout.write(`${layers.length} layers; store total ${formatBytes(total)} in ${store.layout.root}\n`);
    const dup = storeDuplication(store.db);
    process.stdout.write(
      `duplication ${dup.ratio.toFixed(2)}x: ${dup.distinctPaths} store paths of ${formatBytes(dup.distinctPathBytes)} are stored as ${formatBytes(dup.layeredPathBytes)} across the layers (1.00x: each path in one layer)\n`,
    );
  });

export const verify = (flags: JsonFlag): Promise<void> =>
  withStore(async (store) => {
    let bars: ByteProgress | undefined;
    const report = await verifyStore(store, {
      onProgress: (_done, _total, doneBytes, totalBytes) => {
        bars ??= byteProgress('verified', totalBytes, flags);
        bars?.total(doneBytes);
      },
    }).finally(() => bars?.stop());
    if (flags.json) {
      process.stdout.write(JSON.stringify(report) + '\n');
    } else {
      for (const blob of report.damaged) {
        const dropped = blob.droppedImages.length ? `; removed image(s) ${blob.droppedImages.join(', ')} (rebuild them)` : '';
        process.stdout.write(`damaged: ${blob.digest} (${blob.mediaType}, ${formatBytes(blob.size)}) dropped${dropped}\n`);
      }
      process.stdout.write(`checked ${report.checked} blobs (${formatBytes(report.checkedBytes)}): ${report.damaged.length} damaged\n`);
    }
    if (report.damaged.length > 0) process.exitCode = 1;
  });

export const gc = (flags: GcFlags): Promise<void> =>
  withStore(async (store) => {
    const report = await collectGarbage(store, flags.maxSize === undefined ? {} : { maxSize: flags.maxSize });
    if (flags.json) {
      process.stdout.write(JSON.stringify(report) + '\n');
      return;
    }
    const images = report.removedImages.length ? `, and image(s) ${report.removedImages.join(', ')}` : '';
    const indexes = report.removedIndexes ? `; dropped ${report.removedIndexes} saved layer file index(es) unused for ${INDEX_MAX_IDLE_DAYS} days` : '';
    process.stdout.write(
      `removed ${report.removedBlobs} blobs${images}: freed ${formatBytes(report.freedBytes)}; the store is now ${formatBytes(report.sizeAfter)}${indexes}\n`,
    );
  });
