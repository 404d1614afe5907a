/**
 * Push speed: `lamina push` of a large image (the large test package set built
 * by Lamina into a fresh data dir) to a local distribution 2.8 registry, against
 * `skopeo copy oci:<data dir>:bench docker://…` of the same image measured in the
 * same run. Each tool pushes into a registry of its own, started empty, so neither
 * finds the other's blobs. Then a no-change re-push, which must only check, and a
 * push of the same image to another repository, which must mount every blob.
 * Targets: the first push at least as fast as skopeo (ratio <= 1), the re-push well under a second.
 *
 *   npx tsx bench/push.ts
 *
 * The tools take turns for ROUNDS rounds (PUSH_BENCH_ROUNDS, default 2) with fresh
 * registries each time, and each keeps its best time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildImage } from '../src-main/engine/build/pipeline.js';
import type { Recipe } from '../src-main/engine/build/recipe.js';
import { imageFromStore } from '../src-main/engine/image/store-source.js';
import { RegistryClient } from '../src-main/engine/registry/client.js';
import { pushableImage } from '../src-main/engine/registry/from-image.js';
import { PushRecords } from '../src-main/engine/registry/push-records.js';
import { DEFAULT_JOBS, pushImage } from '../src-main/engine/registry/push.js';
import { openStore } from '../src-main/engine/store/store.js';
import { startRegistry } from '../test/registry/servers/registry-server.js';
import { buildPackageSet } from '../test/testbed/build.js';

const MB = 1e6;
const ROUNDS = Number(process.env.PUSH_BENCH_ROUNDS ?? 2);
/** Blobs in flight for lamina (PUSH_BENCH_JOBS), default the CLI's. */
const JOBS = Number(process.env.PUSH_BENCH_JOBS ?? DEFAULT_JOBS);

async function seconds<T>(work: () => Promise<T> | T): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await work();
  return [Number(process.hrtime.bigint() - start) / 1e9, value];
}

const work = mkdtempSync(join(tmpdir(), 'lamina-bench-push-'));
const home = join(work, 'home');
try {
  const set = buildPackageSet('large');
  const recipe: Recipe = { source: set.dir, attrs: set.roots, strategy: 'nixery', maxLayers: 100, compression: 'gzip', config: {} };
  const store = await openStore(home);
  try {
    const [buildSeconds] = await seconds(() => buildImage(store, recipe, { name: 'bench' }));
    const image = await imageFromStore(store, 'bench');
    const bytes = image.layers.reduce((sum, l) => sum + l.descriptor.size, image.rawConfig.length);
    console.log(`image: ${image.layers.length} layers, ${(bytes / MB).toFixed(1)} MB compressed (built in ${buildSeconds.toFixed(1)}s)`);

    let bestSkopeo = Infinity;
    let bestLamina = Infinity;
    let bestRepush = Infinity;
    for (let round = 1; round <= ROUNDS; round++) {
      const forSkopeo = await startRegistry();
      const forLamina = await startRegistry();
      try {
        const [skopeo] = await seconds(() =>
          execFileSync('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${home}:bench`, `docker://${forSkopeo.host}/bench/image:latest`], { stdio: 'ignore' }),
        );
        // Records of which blob went where live in the store's database, as for `lamina push`.
        const records = new PushRecords(store.db);
        const client = new RegistryClient({ registry: forLamina.host, connections: 8 });
        try {
          const [lamina, first] = await seconds(() => pushImage(client, { repository: 'bench/image', tag: 'latest' }, pushableImage(image), { locations: records, jobs: JOBS }));
          const [repush, again] = await seconds(() => pushImage(client, { repository: 'bench/image', tag: 'latest' }, pushableImage(image), { locations: records, jobs: JOBS }));
          if (again.blobs.some((b) => b.action === 'uploaded')) throw new Error('the re-push uploaded a blob');
          const [mount, mounted] = await seconds(() => pushImage(client, { repository: 'bench/copy', tag: 'latest' }, pushableImage(image), { locations: records, jobs: JOBS }));
          if (mounted.blobs.some((b) => b.action !== 'mounted')) throw new Error('the push to another repository did not mount every blob');
          const check = execFileSync('skopeo', ['inspect', '--tls-verify=false', `docker://${forLamina.host}/bench/image:latest`], { encoding: 'utf8' });
          if ((JSON.parse(check) as { Digest: string }).Digest !== first.digest) throw new Error('skopeo reads another digest than lamina pushed');
          console.log(`round ${round}: skopeo ${skopeo.toFixed(2)}s, lamina ${lamina.toFixed(2)}s, re-push ${(repush * 1000).toFixed(0)} ms, to another repository (mounts) ${(mount * 1000).toFixed(0)} ms`);
          bestSkopeo = Math.min(bestSkopeo, skopeo);
          bestLamina = Math.min(bestLamina, lamina);
          bestRepush = Math.min(bestRepush, repush);
        } finally {
          await client.close();
        }
      } finally {
        await forSkopeo.stop();
        await forLamina.stop();
      }
    }
    console.log(`push: lamina ${bestLamina.toFixed(2)}s (${(bytes / MB / bestLamina).toFixed(0)} MB/s) vs skopeo copy ${bestSkopeo.toFixed(2)}s: ratio ${(bestLamina / bestSkopeo).toFixed(2)} (target <= 1)`);
    console.log(`no-change re-push: ${(bestRepush * 1000).toFixed(0)} ms (target well under 1000 ms)`);
  } finally {
    store.close();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
