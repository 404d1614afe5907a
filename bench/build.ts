/**
 * Whole-build speed: `lamina build` of the large test package set, cold (empty
 * data dir) and warm (every layer cached), against two references measured in
 * the same run over the same store paths (the image's closure):
 *   - `tar --sort=name … | gzip -6 | sha256sum`: one deterministic compressed
 *     tar and its digest, the least any image builder must do;
 *   - `umoci insert` of the paths into a fresh OCI layout (a real OCI tool).
 * Nix has built the set before the clock starts, so both builds' Nix step is an
 * up-to-date check, as it is for a user rebuilding an image.
 * Target: the warm rebuild under 2% of the cold build.
 *
 *   npx tsx bench/build.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildImage, type BuildResult } from '../src-main/engine/build/pipeline.js';
import type { BuildEvent, BuildPhase } from '../src-main/engine/build/events.js';
import type { Recipe } from '../src-main/engine/build/recipe.js';
import { openStore } from '../src-main/engine/store/store.js';
import { buildPackageSet } from '../test/testbed/build.js';

const MB = 1e6;

function bash(script: string): string {
  return execFileSync('bash', ['-e', '-o', 'pipefail', '-c', script], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

async function seconds<T>(work: () => Promise<T> | T): Promise<[number, T]> {
  const start = process.hrtime.bigint();
  const value = await work();
  return [Number(process.hrtime.bigint() - start) / 1e9, value];
}

function quotedRelative(paths: readonly string[]): string {
  return paths.map((p) => `'${p.slice(1)}'`).join(' ');
}

/** A build, with the seconds spent in each phase (from the build's own events). */
async function laminaBuild(home: string, recipe: Recipe): Promise<BuildResult & { phases: Map<BuildPhase, number> }> {
  const phases = new Map<BuildPhase, number>();
  let current: { phase: BuildPhase; since: number } | undefined;
  const onEvent = (event: BuildEvent): void => {
    if (event.type !== 'phase') return;
    const now = performance.now();
    if (current) phases.set(current.phase, (now - current.since) / 1000);
    current = { phase: event.phase, since: now };
  };
  const store = await openStore(home);
  try {
    return { ...(await buildImage(store, recipe, { name: 'bench', onEvent })), phases };
  } finally {
    store.close();
  }
}

function phaseLine(phases: ReadonlyMap<BuildPhase, number>): string {
  return [...phases].map(([phase, s]) => `${phase} ${s.toFixed(2)}s`).join(', ');
}

/**
 * `tar --sort=name | gzip -6 | sha256sum`; the compressed stream is also kept to
 * measure its size. tar's exit 1 ("file changed as we read it") is accepted: hard
 * links made into the store (umoci's staging here, other benchmarks) change ctimes.
 */
function tarGzip(paths: readonly string[], out: string): number {
  const tar = `LC_ALL=C tar --sort=name --mtime=@1 --owner=0 --group=0 --numeric-owner --warning=no-file-changed -C / -cf - ${quotedRelative(paths)}`;
  bash(`{ ${tar} || test $? -eq 1; } | gzip -6 | tee '${out}' | sha256sum >/dev/null`);
  return statSync(out).size;
}

function umociInsert(stage: string, layout: string): number {
  bash(`umoci init --layout '${layout}' && umoci new --image '${layout}:t' && umoci insert --no-history --image '${layout}:t' '${stage}' /`);
  const blob = (digest: string): string => join(layout, 'blobs', 'sha256', digest.replace('sha256:', ''));
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as { layers: { size: number }[] };
  return manifest.layers.reduce((sum, layer) => sum + layer.size, 0);
}

async function main(): Promise<void> {
  const set = buildPackageSet('large');
  const recipe: Recipe = { source: set.dir, attrs: set.roots, strategy: 'nixery', maxLayers: 100, compression: 'gzip', config: {} };
  const work = mkdtempSync(join(tmpdir(), 'lamina-bench-build-'));
  try {
    const [cold, built] = await seconds(() => laminaBuild(join(work, 'home'), recipe));
    const [warm, rebuilt] = await seconds(() => laminaBuild(join(work, 'home'), recipe));
    if (rebuilt.manifestDigest !== built.manifestDigest || rebuilt.layers.some((l) => !l.cached)) {
      throw new Error('the warm rebuild did not reuse every layer of the cold build');
    }
    const paths = [...new Set(built.layers.filter((l) => l.kind === 'store-paths').flatMap((l) => l.paths))].sort();
    const tarBytes = Number(bash(`{ LC_ALL=C tar --sort=name --warning=no-file-changed -C / -cf - ${quotedRelative(paths)} || test $? -eq 1; } | wc -c`));
    const laminaBytes = built.layers.reduce((sum, l) => sum + l.size, 0);

    const [tarSeconds, tarGzBytes] = await seconds(() => tarGzip(paths, join(work, 'reference.tar.gz')));
    const stage = join(work, 'stage');
    mkdirSync(join(stage, 'nix', 'store'), { recursive: true });
    bash(`cp -al ${paths.map((p) => `'${p}'`).join(' ')} '${stage}/nix/store/'`);
    const [umociSeconds, umociBytes] = await seconds(() => umociInsert(stage, join(work, 'umoci')));

    console.log(`large package set: ${paths.length} store paths in ${built.layers.length} layers, ${(tarBytes / MB).toFixed(0)} MB of tar; ${availableParallelism()} cores`);
    console.log('  run                          seconds   compressed MB   time vs tar|gzip   time vs umoci');
    const row = (label: string, s: number, bytes?: number): void =>
      console.log(
        `  ${label.padEnd(28)} ${s.toFixed(2).padStart(7)}   ${bytes === undefined ? '-'.padStart(13) : (bytes / MB).toFixed(1).padStart(13)}` +
          `   ${(s / tarSeconds).toFixed(3).padStart(16)}   ${(s / umociSeconds).toFixed(3).padStart(13)}`,
      );
    row('lamina build, cold (gzip)', cold, laminaBytes);
    row('lamina build, warm', warm);
    row('tar | gzip -6 | sha256sum', tarSeconds, tarGzBytes);
    row('umoci insert', umociSeconds, umociBytes);
    const percent = (warm / cold) * 100;
    console.log(`  cold phases: ${phaseLine(built.phases)}`);
    console.log(`  warm phases: ${phaseLine(rebuilt.phases)}`);
    console.log(`  warm rebuild: ${percent.toFixed(2)}% of the cold build (target < 2%: ${percent < 2 ? 'met' : 'NOT met'})`);
    console.log(`  lamina's blobs vs tar|gzip -6: ${(laminaBytes / tarGzBytes).toFixed(3)}x the size; vs umoci: ${(laminaBytes / umociBytes).toFixed(3)}x`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
