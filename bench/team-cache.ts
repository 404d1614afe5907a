/**
 * The team cache: machine B building the large test package set with
 * `--cache-from` (every layer fetched from the registry machine A filled with
 * `--cache-to`) against a cold build of the same recipe (every layer tarred and
 * compressed), each in a fresh data dir, as whole `lamina build` processes,
 * alternating, median of 3. Nix has built the set before the clock starts, so the
 * Nix step is an up-to-date check in both. Bytes moved: what B fetched from the
 * registry (the layer blobs it took) against what the cold build compressed (tar
 * bytes read from the Nix store) and wrote (blob bytes).
 *
 *   npm run bench -- team-cache    (needs `npm run build` first)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildPackageSet } from '../test/testbed/build.js';
import { startRegistry } from '../test/registry/servers/registry-server.js';

const MB = 1e6;
const RUNS = 3;
const BIN = resolve(import.meta.dirname, '../bin/lamina.mjs');

interface BuildJson {
  manifestDigest: string;
  layers: { size: number; source: 'local' | 'team' | 'built' }[];
}

interface Run {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly result: BuildJson;
}

/** One `lamina build` in a fresh data dir, timed by /usr/bin/time (wall seconds and peak RSS of the whole process). */
function lamina(work: string, args: readonly string[]): Run {
  const home = mkdtempSync(join(work, 'home-'));
  const timeFile = join(work, 'time.txt');
  try {
    const stdout = execFileSync('/usr/bin/time', ['-f', '%e %M', '-o', timeFile, process.execPath, BIN, 'build', ...args, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, LAMINA_HOME: home, NIX_CONFIG: 'substituters =' },
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 1 << 26,
    });
    const [seconds, rssKb] = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number) as [number, number];
    return { seconds, peakRssMb: rssKb / 1024, result: JSON.parse(stdout) as BuildJson };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const set = buildPackageSet('large');
  const registry = await startRegistry();
  const work = mkdtempSync(join(tmpdir(), 'lamina-bench-team-cache-'));
  try {
    const recipe = [...set.roots, '--source', set.dir, '--strategy', 'nixery', '--max-layers', '100'];
    const cache = `docker://${registry.host}/team/cache`;
    const filled = lamina(work, [...recipe, '--cache-to', cache]);
    const cold: Run[] = [];
    const fromCache: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      cold.push(lamina(work, recipe));
      fromCache.push(lamina(work, [...recipe, '--cache-from', cache]));
    }
    for (const run of [...cold, ...fromCache]) {
      if (run.result.manifestDigest !== filled.result.manifestDigest) throw new Error('a build made another image than machine A did');
    }
    if (fromCache.some((run) => run.result.layers.some((l) => l.source !== 'team'))) throw new Error('machine B built a layer although the team cache held them all');

    const blobBytes = filled.result.layers.reduce((sum, l) => sum + l.size, 0);
    const tarBytes = Number(
      execFileSync('bash', ['-c', `nix-store -qR ${set.roots.map((r) => `'${set.outPaths.get(r)}'`).join(' ')} | xargs du -scb --apparent-size | tail -1 | cut -f1`], { encoding: 'utf8' }),
    );
    const coldSeconds = median(cold.map((r) => r.seconds));
    const teamSeconds = median(fromCache.map((r) => r.seconds));
    console.log(`large package set: ${filled.result.layers.length} layers, ${(blobBytes / MB).toFixed(0)} MB of gzip blobs; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} (shared machine)`);
    console.log('  build (fresh data dir)          median s   runs (s)                peak RSS MB   bytes moved');
    const row = (label: string, runs: readonly Run[], moved: string): void =>
      console.log(
        `  ${label.padEnd(31)} ${median(runs.map((r) => r.seconds)).toFixed(2).padStart(8)}   ${runs.map((r) => r.seconds.toFixed(2)).join(', ').padEnd(22)}  ${median(runs.map((r) => r.peakRssMb)).toFixed(0).padStart(11)}   ${moved}`,
      );
    row('cold: every layer compressed', cold, `${(tarBytes / MB).toFixed(0)} MB read from /nix/store, ${(blobBytes / MB).toFixed(0)} MB written`);
    row('--cache-from: every layer fetched', fromCache, `${(blobBytes / MB).toFixed(0)} MB fetched from the registry and written`);
    console.log(`  --cache-from vs cold: ${(teamSeconds / coldSeconds).toFixed(3)}x the time (loopback registry: a real network adds the transfer time of ${(blobBytes / MB).toFixed(0)} MB)`);
  } finally {
    await registry.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
