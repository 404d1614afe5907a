/**
 * Inspection speed on an image of the large test package set (175 store paths,
 * about 680 MB), against a reference measured in the same run: GNU tar listing
 * every layer blob (`tar -tvzf`, as many at once as Lamina reads: one per core),
 * which decompresses and walks the same headers but verifies nothing, scans no
 * content and keeps nothing. Lamina on top hashes the blob and the tar, scans
 * file contents for store references and writes the index to SQLite.
 *
 * Also: reopening the same image once the index exists (no layer is read), as a
 * fraction of the first inspection.
 *
 *   npx tsx bench/inspect.ts
 *
 * Target: first inspection within 2x of the tar listing; reopening under 5% of it.
 * Tools take turns for ROUNDS rounds (INSPECT_BENCH_ROUNDS, default 3), best time kept.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from '../src-main/engine/builder/pipeline.js';
import { openDatabase } from '../src-main/engine/db/database.js';
import { inspectImage, type ImageReport } from '../src-main/engine/inspect/index.js';
import { openStore } from '../src-main/engine/store/store.js';
import { buildPackageSet } from '../test/testbed/build.js';

const ROUNDS = Number(process.env.INSPECT_BENCH_ROUNDS ?? 3);

async function seconds(work: () => Promise<unknown> | unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const work = mkdtempSync(join(tmpdir(), 'lamina-bench-inspect-'));
try {
  const set = buildPackageSet('large');
  const store = await openStore(join(work, 'home'));
  const layout = join(work, 'layout');
  try {
    await buildImage(
      store,
      { source: set.dir, attrs: [...set.roots], strategy: 'nixery', maxLayers: 20, compression: 'gzip', config: {} },
      { out: `oci:${layout}:big` },
    );
  } finally {
    store.close();
  }
  const ref = `oci:${layout}:big`;

  let report: ImageReport | undefined;
  const best = { tar: Infinity, first: Infinity, reopen: Infinity };
  for (let round = 0; round < ROUNDS; round++) {
    const dbFile = join(work, `round-${round}.db`);
    const db = openDatabase(dbFile);
    try {
      best.first = Math.min(best.first, await seconds(async () => (report = await inspectImage(ref, { db }))));
      best.reopen = Math.min(best.reopen, await seconds(() => inspectImage(ref, { db })));
    } finally {
      db.close();
      rmSync(dbFile, { force: true });
    }
    const blobs = report!.layers.map((l) => join(layout, 'blobs', 'sha256', l.digest.slice(7)));
    best.tar = Math.min(
      best.tar,
      await seconds(() =>
        execFileSync('bash', ['-c', `printf '%s\\n' "$@" | xargs -P ${availableParallelism()} -n 1 tar -tvzf > /dev/null`, 'list', ...blobs]),
      ),
    );
  }
  const r = report!;
  const files = r.layers.reduce((n, l) => n + l.files.length, 0);
  console.log(`image: ${r.layers.length} layers, ${r.storePaths.length} store paths, ${files} entries, ${(r.uncompressedSize / 1e6).toFixed(0)} MB of tar`);
  console.log(`tar -tvzf (reference): ${best.tar.toFixed(2)} s`);
  console.log(`lamina, first inspection: ${best.first.toFixed(2)} s = ${(best.first / best.tar).toFixed(2)}x the reference (target <= 2x)`);
  console.log(`lamina, reopened from the index: ${best.reopen.toFixed(3)} s = ${((100 * best.reopen) / best.first).toFixed(1)}% of the first (target < 5%)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
