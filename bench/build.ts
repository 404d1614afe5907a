/**
 * Whole builds as a user runs them: `node bin/lamina.mjs build` (gzip, cold: an
 * empty data dir) against `umoci insert` of the same store paths (staged as hard
 * links before the clock starts), taking turns, then the no-change rebuild in the
 * cold build's data dir. Twice: the large test set, and the same plus a store
 * path of random bytes (hard to compress), to show that peak RSS does not grow
 * with the image. Nix has built both sets before the clock starts, so each build's
 * Nix step is an up-to-date check, as for a user rebuilding an image.
 *
 * Targets: cold build <= 0.8x umoci's wall time with blobs no larger; the
 * no-change rebuild <= 5% of the cold build; peak RSS flat across the two sets.
 * Beside the no-change rebuild, its floor on this machine: the two processes in a
 * row that no rebuild can skip (Node's start, then the nix-build that evaluates
 * the packages and roots them), each timed on its own; and `lamina plan` of the
 * same packages in the same data dir, which runs the same Nix and writes nothing.
 *
 *   npm run bench -- build     (BUILD_BENCH_ROUNDS, default 3; BUILD_BENCH_NOISE_MIB, default 2048)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nixBuildCommand } from '../src-main/engine/nix/build.js';
import { parseSource } from '../src-main/engine/nix/source.js';
import { largeSet, largeSetWithNoise, type BenchSet } from './lib/bench-sets.js';
import { umociInsert } from './lib/umoci.js';
import { LAMINA, load, MB, median, row, summarise, timed, timedShell, type Run } from './lib/whole-process.js';

const ROUNDS = Number(process.env.BUILD_BENCH_ROUNDS ?? 3);
const NOISE_MIB = Number(process.env.BUILD_BENCH_NOISE_MIB ?? 2048);

interface LaminaJson {
  layers: { size: number; cached: boolean }[];
  manifestDigest: string;
}

/** `lamina plan` of the set in the data dir of a build of it: what a user runs while choosing packages. */
function laminaPlan(set: BenchSet, home: string): Run {
  return timed('node', [LAMINA, 'plan', ...set.roots, '--source', set.dir, '--max-layers', '100', '--json'], { ...process.env, LAMINA_HOME: home });
}

function laminaBuild(set: BenchSet, home: string): Run & { blobBytes: number; json: LaminaJson } {
  const run = timed('node', [LAMINA, 'build', ...set.roots, '--source', set.dir, '--max-layers', '100', '--json'], { ...process.env, LAMINA_HOME: home });
  const json = JSON.parse(run.stdout) as LaminaJson;
  return { ...run, json, blobBytes: json.layers.reduce((sum, l) => sum + l.size, 0) };
}

/**
 * The processes a no-change rebuild runs one after the other, each timed alone
 * (median of 5): `node -e 0`, then the nix-build a build runs, with GC root
 * links (Nix evaluating the packages, finding them built and rooting them). A rebuild
 * cannot start Nix before Node runs; all else it does is Lamina's own time.
 */
function noChangeFloor(set: BenchSet, work: string): { seconds: number; parts: string } {
  const medianOf = (run: () => Run): Run => {
    const runs = Array.from({ length: 5 }, run);
    return { ...runs[0]!, wall: median(runs.map((r) => r.wall)) };
  };
  const node = medianOf(() => timed('node', ['-e', '0']));
  // The very command a build runs (with its packages expression), rooting in a folder of the bench's.
  const [program, args] = nixBuildCommand(parseSource(set.dir), set.roots, { gcRootDir: join(work, 'floor-roots') });
  const nixBuild = medianOf(() => timed(program, args));
  rmSync(join(work, 'floor-roots'), { recursive: true, force: true });
  // Node reads and parses NODE_EXTRA_CA_CERTS as it starts, before any script runs: part of every
  // Node process in this environment (and so of the floor), which no code of Lamina's can skip.
  const extraCerts = process.env['NODE_EXTRA_CA_CERTS'];
  let certs = '';
  if (extraCerts) {
    const { NODE_EXTRA_CA_CERTS: _, ...without } = process.env;
    const bare = medianOf(() => timed('node', ['-e', '0'], without));
    certs = ` (${(node.wall - bare.wall).toFixed(2)} s of Node's start is reading NODE_EXTRA_CA_CERTS=${extraCerts})`;
  }
  return { seconds: node.wall + nixBuild.wall, parts: `node -e 0 ${node.wall.toFixed(2)} s + nix-build ${nixBuild.wall.toFixed(2)} s${certs}` };
}

function bench(set: BenchSet, work: string): { coldRssMb: number } {
  const stage = join(work, 'stage');
  mkdirSync(join(stage, 'nix', 'store'), { recursive: true });
  timedShell(`cp -al ${set.closure.map((p) => `'${p}'`).join(' ')} '${stage}/nix/store/'`);
  const tarBytes = Number(timedShell(`tar -C / -cf - ${set.closure.map((p) => `'${p.slice(1)}'`).join(' ')} | wc -c`).stdout.trim());
  console.log(`\n${set.label}: ${set.closure.length} store paths, ${(tarBytes / MB).toFixed(0)} MB of tar; ${load()} at the start`);

  const cold: ReturnType<typeof laminaBuild>[] = [];
  const warm: Run[] = [];
  const plans: Run[] = [];
  const umoci: ReturnType<typeof umociInsert>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const home = join(work, `home-${round}`);
    // Alternate which tool goes first, so neither always meets the other's page cache or load.
    const first = round % 2 === 0;
    if (!first) umoci.push(umociInsert(stage, join(work, 'umoci')));
    cold.push(laminaBuild(set, home));
    const again = laminaBuild(set, home);
    if (again.json.manifestDigest !== cold.at(-1)!.json.manifestDigest || again.json.layers.some((l) => !l.cached)) {
      throw new Error('the no-change rebuild did not reuse every layer of the cold build');
    }
    warm.push(again);
    plans.push(laminaPlan(set, home));
    if (first) umoci.push(umociInsert(stage, join(work, 'umoci')));
    rmSync(home, { recursive: true, force: true });
  }
  const u = summarise(umoci);
  const c = summarise(cold);
  const w = summarise(warm);
  const laminaBytes = cold[0]!.blobBytes;
  const umociBytes = umoci[0]!.blobBytes;
  console.log(`  median of ${ROUNDS}, turns taken; ${load()} at the end`);
  console.log(row('umoci insert', u, undefined, `  blobs ${(umociBytes / MB).toFixed(1)} MB, ${(tarBytes / MB / u.wall).toFixed(0)} MB/s of tar`));
  console.log(row('lamina build, cold (gzip)', c, u, `  blobs ${(laminaBytes / MB).toFixed(1)} MB, ${(tarBytes / MB / c.wall).toFixed(0)} MB/s of tar`));
  console.log(row('lamina build, no change', w, c));
  console.log(row('lamina plan, no change', summarise(plans), w, '  (against the no-change rebuild)'));
  const ratio = c.wall / u.wall;
  const percent = (w.wall / c.wall) * 100;
  console.log(`  cold build vs umoci: ${ratio.toFixed(2)}x (target <= 0.8: ${ratio <= 0.8 ? 'met' : 'NOT met'}), blob bytes ${(laminaBytes / umociBytes).toFixed(3)}x (target <= 1: ${laminaBytes <= umociBytes ? 'met' : 'NOT met'})`);
  console.log(`  no-change rebuild: ${percent.toFixed(1)}% of the cold build (target <= 5%: ${percent <= 5 ? 'met' : 'NOT met'})`);
  const floor = noChangeFloor(set, work);
  console.log(`  its floor here: ${floor.parts} = ${floor.seconds.toFixed(2)} s, ${((floor.seconds / c.wall) * 100).toFixed(1)}% of the cold build`);
  return { coldRssMb: c.rssMb };
}

const work = mkdtempSync(join(tmpdir(), 'lamina-bench-build-'));
try {
  const small = bench(largeSet(), join(work, 'large'));
  const big = bench(largeSetWithNoise(NOISE_MIB), join(work, 'noise'));
  console.log(`\npeak RSS of a cold build: ${small.coldRssMb.toFixed(0)} MB without the noise, ${big.coldRssMb.toFixed(0)} MB with ${NOISE_MIB} MiB more (flat: ${big.coldRssMb < small.coldRssMb * 1.25 ? 'yes' : 'NO'})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
