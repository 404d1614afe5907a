/**
 * Layer writing speed and size against two references measured in the same run:
 * `tar --sort=name | gzip -6 | sha256sum` (the obvious shell pipeline) and
 * `umoci insert` (a real OCI tool). Input: the large test package set.
 *
 *   npx tsx bench/layers.ts
 *
 * Two cases: everything as ONE layer (one layer dominates: does it still use
 * every core?) and the paths in 8 fixed groups written as 8 layers at once.
 * Target: faster than umoci, with blobs no larger than umoci's.
 *
 * The tools take turns for ROUNDS rounds (LAYERS_BENCH_ROUNDS, default 3) and each
 * keeps its best time, so load from other work on the machine hits all of them alike.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeStorePathsLayer, type Compression, type LayerBlob } from '../src-main/engine/layers/index.js';
import { buildPackageSet } from '../test/testbed/build.js';

const MB = 1e6;
const GROUPS = 8;
const ROUNDS = Number(process.env.LAYERS_BENCH_ROUNDS ?? 3);

interface Result {
  seconds: number;
  blobBytes: number;
}

function bash(script: string): string {
  return execFileSync('bash', ['-e', '-o', 'pipefail', '-c', script], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

async function timed(work: () => Promise<number> | number): Promise<Result> {
  const start = process.hrtime.bigint();
  const blobBytes = await work();
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, blobBytes };
}

function quoted(paths: readonly string[]): string {
  return paths.map((p) => `'${p.slice(1)}'`).join(' ');
}

async function lamina(groups: readonly (readonly string[])[], compression: Compression, out: string): Promise<number> {
  const blobs: LayerBlob[] = await Promise.all(groups.map((group, i) => writeStorePathsLayer(group, compression, join(out, `lamina-${compression}-${i}`))));
  return blobs.reduce((sum, blob) => sum + blob.size, 0);
}

/** gzip is single-threaded: the groups run as concurrent pipelines so it gets the cores too. */
function tarGzip(groups: readonly (readonly string[])[], out: string): number {
  const jobs = groups.map((group, i) => `(LC_ALL=C tar --sort=name -C / -cf - ${quoted(group)} | gzip -6 | tee '${out}/ref-${i}.gz' | sha256sum >/dev/null) &`);
  bash(`${jobs.join('\n')}\nwait`);
  return groups.reduce((sum, _, i) => sum + statSync(`${out}/ref-${i}.gz`).size, 0);
}

/** umoci inserts one staging root per group (hard links into the store, made before the clock starts). */
function stageForUmoci(groups: readonly (readonly string[])[], out: string): string[] {
  return groups.map((group, i) => {
    const stage = join(out, `stage-${i}`);
    mkdirSync(join(stage, 'nix', 'store'), { recursive: true });
    bash(`cp -al ${group.map((p) => `'${p}'`).join(' ')} '${stage}/nix/store/'`);
    return stage;
  });
}

function umoci(stages: readonly string[], out: string): number {
  const layout = join(out, 'umoci');
  rmSync(layout, { recursive: true, force: true });
  bash(`umoci init --layout '${layout}' && umoci new --image '${layout}:t'`);
  for (const stage of stages) bash(`umoci insert --no-history --image '${layout}:t' '${stage}' /`);
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const blob = (digest: string): string => join(layout, 'blobs', 'sha256', digest.replace('sha256:', ''));
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as { layers: { size: number }[] };
  return manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
}

async function main(): Promise<void> {
  const set = buildPackageSet('large');
  const paths = [...new Set(set.outPaths.values())].sort();
  const work = mkdtempSync(join(tmpdir(), 'lamina-bench-layers-'));
  try {
    // Warm the page cache so whoever runs first does not pay for the disk.
    bash(`tar -C / -cf - ${quoted(paths)} | wc -c`);
    const tarBytes = Number(bash(`LC_ALL=C tar --sort=name -C / -cf - ${quoted(paths)} | wc -c`));
    console.log(`large package set: ${paths.length} store paths, ${(tarBytes / MB).toFixed(0)} MB of tar; ${availableParallelism()} cores`);
    console.log(`peak RSS before writing layers: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

    const size = Math.ceil(paths.length / GROUPS);
    const cases = {
      'one layer': [paths],
      [`${GROUPS} layers`]: Array.from({ length: GROUPS }, (_, i) => paths.slice(i * size, (i + 1) * size)),
    };
    for (const [label, groups] of Object.entries(cases)) {
      const out = join(work, label.replace(/\W+/g, '-'));
      mkdirSync(out);
      const stages = stageForUmoci(groups, out);
      const tools: Record<string, () => Promise<number> | number> = {
        'lamina gzip': () => lamina(groups, 'gzip', out),
        'tar | gzip -6': () => tarGzip(groups, out),
        'umoci insert': () => umoci(stages, out),
        'lamina zstd': () => lamina(groups, 'zstd', out),
      };
      const results: Record<string, Result> = {};
      for (let round = 0; round < ROUNDS; round++) {
        for (const [tool, work] of Object.entries(tools)) {
          const r = await timed(work);
          if (!results[tool] || r.seconds < results[tool].seconds) results[tool] = r;
        }
      }
      const umociResult = results['umoci insert']!;
      console.log(`\n${label} (best of ${ROUNDS}):`);
      console.log('  tool            seconds     MB/s   blob MB   speed vs umoci   size vs umoci');
      for (const [tool, r] of Object.entries(results)) {
        console.log(
          `  ${tool.padEnd(14)} ${r.seconds.toFixed(2).padStart(8)} ${(tarBytes / MB / r.seconds).toFixed(1).padStart(8)} ${(r.blobBytes / MB).toFixed(1).padStart(9)}` +
            `   ${(umociResult.seconds / r.seconds).toFixed(2).padStart(13)}x   ${(r.blobBytes / umociResult.blobBytes).toFixed(3).padStart(12)}`,
        );
      }
      const ours = results['lamina gzip']!;
      const ref = results['tar | gzip -6']!;
      console.log(`  lamina gzip vs tar | gzip -6: ${(ref.seconds / ours.seconds).toFixed(2)}x the speed, ${(ours.blobBytes / ref.blobBytes).toFixed(3)}x the size`);
      console.log(`  target (faster than umoci, no larger): ${ours.seconds < umociResult.seconds && ours.blobBytes <= umociResult.blobBytes ? 'met' : 'NOT met'}`);
      // Streaming: the peak stays near the baseline however large the layers are.
      console.log(`  peak RSS of this process so far: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
      rmSync(out, { recursive: true, force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
