/**
 * `lamina cache ls|verify|gc`: the layer cache. ls shows what is kept and how
 * often it served a build; verify re-hashes every blob and drops damaged ones
 * (the next build writes them again); gc frees space, unused layers first.
 */
import type { Command } from 'commander';
import { collectGarbage, INDEX_MAX_IDLE_DAYS } from '../../engine/store/gc.js';
import { storeDuplication } from '../../engine/store/path-sizes.js';
import { openStore, type Store } from '../../engine/store/store.js';
import { verifyStore } from '../../engine/store/verify.js';
import { byteProgress, type ByteProgress } from '../byte-progress.js';
import { formatAge, parseSize, shortDigest, table } from '../output.js';
import { formatBytes } from '../../../src-shared/format-bytes.js';

interface JsonFlag {
  json?: boolean;
}

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

const list = (flags: JsonFlag): Promise<void> =>
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

const verify = (flags: JsonFlag): Promise<void> =>
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

const gc = (flags: JsonFlag & { maxSize?: number }): Promise<void> =>
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

export function addCacheCommand(program: Command): void {
  const cache = program.command('cache').description('Inspect and maintain the layer cache (the local store).');
  cache.command('ls').description('List cached layers: size, store paths, hits, images using them, last use.').option('--json', 'print as JSON').action(list);
  cache
    .command('verify')
    .description('Re-hash every blob; drop damaged ones so the next build writes them again (exit 1 if any).')
    .option('--json', 'print as JSON')
    .action(verify);
  cache
    .command('gc')
    .description(
      'Remove layers no image uses, least recently used first; with --max-size, then whole images, oldest first. Also drops saved file indexes of layers not in the store and unused for 30 days.',
    )
    .option('--max-size <size>', 'shrink the store to this size, e.g. 500M or 2G', parseSize)
    .option('--json', 'print as JSON')
    .action(gc);
}
