/**
 * Pushes as a user runs them: `node bin/lamina.mjs push NAME docker://…` of an
 * image built into a fresh data dir, against `skopeo copy oci:<data dir>:NAME
 * docker://…` of the same image, each into a registry of its own started empty
 * (Debian's distribution 2.8 on loopback), taking turns; then each tool's no-change
 * re-push to the registry it filled. Twice: the large test set's image, and the
 * same with a store path of random bytes, to show that peak RSS does not grow with
 * the image (blobs stream from disk; at most jobs x a read buffer in memory).
 *
 * Targets: the push <= 1.0x skopeo's wall time, the no-change re-push <= skopeo's,
 * peak RSS the same for both images.
 *
 *   npm run bench -- push     (PUSH_BENCH_ROUNDS, default 3; PUSH_BENCH_NOISE_MIB, default 2048)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '../test/registry/servers/registry-server.js';
import { largeSet, largeSetWithNoise, type BenchSet } from './lib/bench-sets.js';
import { LAMINA, load, MB, row, summarise, timed, type Run } from './lib/whole-process.js';

const ROUNDS = Number(process.env.PUSH_BENCH_ROUNDS ?? 3);
const NOISE_MIB = Number(process.env.PUSH_BENCH_NOISE_MIB ?? 2048);

async function bench(set: BenchSet, home: string): Promise<{ rssMb: number }> {
  const env = { ...process.env, LAMINA_HOME: home };
  const built = timed('node', [LAMINA, 'build', ...set.roots, '--source', set.dir, '--max-layers', '100', '--tag', 'bench', '--json'], env);
  const layers = (JSON.parse(built.stdout) as { layers: { size: number }[] }).layers;
  const bytes = layers.reduce((sum, l) => sum + l.size, 0);
  console.log(`\n${set.label}: image of ${layers.length} layers, ${(bytes / MB).toFixed(0)} MB of blobs; ${load()} at the start`);

  const runs: Record<'lamina' | 'skopeo' | 'lamina again' | 'skopeo again', Run[]> = { lamina: [], skopeo: [], 'lamina again': [], 'skopeo again': [] };
  for (let round = 0; round < ROUNDS; round++) {
    const forLamina = await startRegistry();
    const forSkopeo = await startRegistry();
    try {
      const lamina = (): Run => timed('node', [LAMINA, 'push', 'bench', `docker://${forLamina.host}/bench/image:latest`, '--json'], env);
      const skopeo = (): Run => timed('skopeo', ['copy', '--quiet', '--dest-tls-verify=false', `oci:${home}:bench`, `docker://${forSkopeo.host}/bench/image:latest`]);
      // Alternate which tool goes first.
      const order = round % 2 === 0 ? (['lamina', 'skopeo'] as const) : (['skopeo', 'lamina'] as const);
      for (const tool of order) runs[tool].push(tool === 'lamina' ? lamina() : skopeo());
      for (const tool of order) runs[`${tool} again`].push(tool === 'lamina' ? lamina() : skopeo());
      const pushed = JSON.parse(runs['lamina again'].at(-1)!.stdout) as { blobs: { action: string }[] };
      if (pushed.blobs.some((b) => b.action === 'uploaded')) throw new Error('the no-change re-push uploaded a blob');
    } finally {
      await forLamina.stop();
      await forSkopeo.stop();
    }
  }
  const s = summarise(runs.skopeo);
  const l = summarise(runs.lamina);
  const sa = summarise(runs['skopeo again']);
  const la = summarise(runs['lamina again']);
  console.log(`  median of ${ROUNDS}, turns taken; ${load()} at the end`);
  console.log(row('skopeo copy', s, undefined, `  ${(bytes / MB / s.wall).toFixed(0)} MB/s`));
  console.log(row('lamina push', l, s, `  ${(bytes / MB / l.wall).toFixed(0)} MB/s`));
  console.log(row('skopeo copy, no change', sa));
  console.log(row('lamina push, no change', la, sa));
  console.log(`  push vs skopeo: ${(l.wall / s.wall).toFixed(2)}x (target <= 1: ${l.wall <= s.wall ? 'met' : 'NOT met'}); no-change re-push ${(la.wall / sa.wall).toFixed(2)}x (target <= 1: ${la.wall <= sa.wall ? 'met' : 'NOT met'})`);
  return { rssMb: l.rssMb };
}

const work = mkdtempSync(join(tmpdir(), 'lamina-bench-push-'));
try {
  const small = await bench(largeSet(), join(work, 'large'));
  const big = await bench(largeSetWithNoise(NOISE_MIB), join(work, 'noise'));
  console.log(`\npeak RSS of lamina push: ${small.rssMb.toFixed(0)} MB for the large set, ${big.rssMb.toFixed(0)} MB with ${NOISE_MIB} MiB more (flat: ${big.rssMb < small.rssMb * 1.25 ? 'yes' : 'NO'})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
