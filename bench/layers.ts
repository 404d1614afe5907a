/**
 * Layer writing as a user runs it: the large test set as ONE layer (does one big
 * layer still use every core?), `node bin/lamina.mjs build --strategy single`
 * with gzip and with zstd, against `umoci insert` of the same paths (staged as
 * hard links before the clock), whole processes taking turns. A second line gives
 * the layer writer alone, in this process (no Nix, no store commit).
 *
 * Targets: gzip faster than umoci with blobs no larger; zstd >= 400 MB/s of tar on 2 cores.
 * Beside them, zstd's own command line compressing the same tar (written to a file
 * before the clock) at Lamina's level on every core: compression alone, with no
 * reading of the store, tar or hashing, is the bound a whole zstd build stays under.
 *
 *   npm run bench -- layers     (LAYERS_BENCH_ROUNDS, default 3)
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ZSTD_LEVEL } from '../src-main/engine/tarball/format.js';
import { writeStorePathsLayer, type LayerCompression } from '../src-main/engine/tarball/index.js';
import { largeSet } from './lib/bench-sets.js';
import { umociInsert } from './lib/umoci.js';
import { LAMINA, load, MB, median, row, summarise, timed, timedShell, type Run } from './lib/whole-process.js';

const ROUNDS = Number(process.env.LAYERS_BENCH_ROUNDS ?? 3);

const set = largeSet();
const work = mkdtempSync(join(tmpdir(), 'lamina-bench-layers-'));
try {
  const stage = join(work, 'stage');
  mkdirSync(join(stage, 'nix', 'store'), { recursive: true });
  timedShell(`cp -al ${set.closure.map((p) => `'${p}'`).join(' ')} '${stage}/nix/store/'`);
  const tarFile = join(work, 'closure.tar');
  timedShell(`tar -C / -cf '${tarFile}' ${set.closure.map((p) => `'${p.slice(1)}'`).join(' ')}`);
  const tarBytes = statSync(tarFile).size;
  console.log(`${set.label} as one layer: ${set.closure.length} store paths, ${(tarBytes / MB).toFixed(0)} MB of tar; ${load()} at the start`);

  const lamina = (compression: LayerCompression): Run & { blobBytes: number } => {
    const home = join(work, `home-${compression}`);
    const run = timed('node', [LAMINA, 'build', ...set.roots, '--source', set.dir, '--strategy', 'single', '--compression', compression, '--json'], {
      ...process.env,
      LAMINA_HOME: home,
    });
    rmSync(home, { recursive: true, force: true });
    const layers = (JSON.parse(run.stdout) as { layers: { size: number }[] }).layers;
    return { ...run, blobBytes: layers.reduce((sum, l) => sum + l.size, 0) };
  };
  const umoci = (): Run & { blobBytes: number } => umociInsert(stage, join(work, 'umoci'));
  const zstdAlone = `zstd -${ZSTD_LEVEL} -T${availableParallelism()}`;
  const zstdCli = (): Run & { blobBytes: number } => {
    const run = timedShell(`${zstdAlone} -q -c '${tarFile}' | wc -c`);
    return { ...run, blobBytes: Number(run.stdout.trim()) };
  };
  const tools: Record<string, () => Run & { blobBytes: number }> = {
    'umoci insert': umoci,
    'lamina build, gzip': () => lamina('gzip'),
    'lamina build, zstd': () => lamina('zstd'),
    [zstdAlone]: zstdCli,
  };
  const runs = new Map<string, (Run & { blobBytes: number })[]>(Object.keys(tools).map((name) => [name, []]));
  const inProcess = new Map<LayerCompression, number[]>([
    ['gzip', []],
    ['zstd', []],
  ]);
  for (let round = 0; round < ROUNDS; round++) {
    // Rotate the order, so no tool always runs first.
    const names = Object.keys(tools);
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + round) % names.length]!;
      runs.get(name)!.push(tools[name]!());
    }
    for (const compression of ['gzip', 'zstd'] as const) {
      const start = performance.now();
      await writeStorePathsLayer(set.closure, compression, join(work, `in-process.${compression}`));
      inProcess.get(compression)!.push((performance.now() - start) / 1000);
    }
  }
  const reference = summarise(runs.get('umoci insert')!);
  const umociBytes = runs.get('umoci insert')![0]!.blobBytes;
  console.log(`  median of ${ROUNDS}, turns taken; ${load()} at the end`);
  for (const [name, list] of runs) {
    const s = summarise(list);
    const bytes = list[0]!.blobBytes;
    console.log(row(name, s, name === 'umoci insert' ? undefined : reference, `  ${(tarBytes / MB / s.wall).toFixed(0)} MB/s of tar, blobs ${(bytes / MB).toFixed(1)} MB (${(bytes / umociBytes).toFixed(3)}x umoci's)`));
  }
  for (const [compression, seconds] of inProcess) {
    console.log(`  in this process, the layer writer alone (${compression}): ${(tarBytes / MB / median(seconds)).toFixed(0)} MB/s of tar (median of ${ROUNDS})`);
  }
  const gzip = summarise(runs.get('lamina build, gzip')!);
  const zstd = summarise(runs.get('lamina build, zstd')!);
  console.log(`  gzip vs umoci: ${(gzip.wall / reference.wall).toFixed(2)}x the time (target < 1: ${gzip.wall < reference.wall ? 'met' : 'NOT met'})`);
  console.log(`  zstd: ${(tarBytes / MB / zstd.wall).toFixed(0)} MB/s of tar as a whole build (target >= 400: ${tarBytes / MB / zstd.wall >= 400 ? 'met' : 'NOT met'})`);
  const bound = summarise(runs.get(zstdAlone)!);
  console.log(`  ${zstdAlone} compressing the tar alone: ${(tarBytes / MB / bound.wall).toFixed(0)} MB/s, the bound for a whole zstd build at level ${ZSTD_LEVEL} here`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
