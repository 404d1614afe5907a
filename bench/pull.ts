/**
 * Pull speed of `lamina serve --registry`, whole processes throughout:
 *   - first pull: `skopeo copy` from a registry just started on a fresh data dir
 *     (the image is built while skopeo waits), against `lamina build` of the same
 *     packages into a fresh data dir; the registry's own start is not counted;
 *   - warm pull: `skopeo copy` of the same name again (served from the cache),
 *     against `skopeo copy` of the same image from distribution 2.8, pushed there
 *     with `lamina push`.
 * Nix has built the packages before the clock starts, so Nix's step is an
 * up-to-date check for every contender. The tools take turns; medians of ROUNDS
 * (PULL_BENCH_ROUNDS, default 3). Peak RSS from /usr/bin/time -v.
 *
 *   npx tsx bench/pull.ts          (PULL_BENCH_SET=small for bash, gzip, sed and grep)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startRegistry } from '../test/registry/servers/registry-server.js';
import { buildPackageSet } from '../test/testbed/build.js';

const ROUNDS = Number(process.env.PULL_BENCH_ROUNDS ?? 3);
const SMALL = process.env.PULL_BENCH_SET === 'small';
// Names a pull can spell (lowercase, no +): g++-12 of the large set cannot be pulled.
const PACKAGES = SMALL ? ['bash', 'gzip', 'sed', 'grep'] : ['git', 'perl', 'python3_11', 'cmake'];
const CLI = resolve(import.meta.dirname, '..', 'bin', 'lamina.mjs');
const env = { ...process.env, NIX_CONFIG: 'substituters =' };

interface Timed {
  readonly seconds: number;
  readonly peakRssMb: number;
}

/** Runs a command under /usr/bin/time -v: wall time (ours) and its peak RSS. */
function timed(command: string, args: readonly string[], extraEnv: NodeJS.ProcessEnv = {}): Timed {
  const start = process.hrtime.bigint();
  const run = spawnSync('/usr/bin/time', ['-v', command, ...args], { env: { ...env, ...extraEnv }, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (run.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${run.stderr}`);
  return { seconds, peakRssMb: peakRss(run.stderr) };
}

function peakRss(timeOutput: string): number {
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeOutput);
  return kb ? Number(kb[1]) / 1024 : NaN;
}

/** `lamina serve --registry` until stop(), which answers its peak RSS (VmHWM: it covers the pulls it served). */
async function startServe(home: string, source: string): Promise<{ address: string; stop: () => Promise<number> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--registry', '--source', source, '--port', '0'], {
    env: { ...env, LAMINA_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const address = await new Promise<string>((done, fail) => {
    child.stdout.setEncoding('utf8').once('data', (d: string) => done(d.trim()));
    child.once('exit', (code) => fail(new Error(`lamina serve --registry exited with ${code}: ${stderr}`)));
  });
  return {
    address,
    stop: async () => {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await exited;
      return hwm ? Number(hwm[1]) / 1024 : NaN;
    },
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Both contenders once, the first one first in odd rounds; answers in (a, b) order. */
function inTurn<T>(round: number, a: () => T, b: () => T): [T, T] {
  if (round % 2 === 1) {
    const first = a();
    return [first, b()];
  }
  const second = b();
  return [a(), second];
}

function copy(from: string, work: string): Timed {
  const dir = mkdtempSync(join(work, 'pulled-'));
  try {
    return timed('skopeo', ['copy', '--quiet', '--src-tls-verify=false', from, `oci:${dir}:pulled`]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const work = mkdtempSync(join(tmpdir(), 'lamina-bench-pull-'));
const distribution = await startRegistry();
try {
  const set = buildPackageSet(SMALL ? 'small' : 'large');
  const name = PACKAGES.join('/');
  console.log(`packages: ${PACKAGES.join(' ')} (${SMALL ? 'small' : 'large'} test set); load average before: ${loadavg().map((l) => l.toFixed(1)).join(' ')} on 2 cores shared with other workers`);
  const first: { pull: Timed; serveRssMb: number; build: Timed }[] = [];
  const warm: { lamina: Timed; distribution: Timed }[] = [];
  let pushed = false;
  for (let round = 1; round <= ROUNDS; round++) {
    const pullHome = mkdtempSync(join(work, 'serve-home-'));
    const buildHome = mkdtempSync(join(work, 'build-home-'));
    const serve = await startServe(pullHome, set.dir);
    try {
      const runPull = (): Timed => copy(`docker://${serve.address}/${name}:latest`, work);
      const runBuild = (): Timed => timed(process.execPath, [CLI, 'build', ...PACKAGES, '--source', set.dir, '--tag', 'bench'], { LAMINA_HOME: buildHome });
      const [pull, build] = inTurn(round, runPull, runBuild);
      if (!pushed) {
        execFileSync(process.execPath, [CLI, 'push', 'bench', `docker://${distribution.host}/bench/pull:latest`], { env: { ...env, LAMINA_HOME: buildHome }, stdio: 'ignore' });
        pushed = true;
      }
      const fromLamina = (): Timed => copy(`docker://${serve.address}/${name}:latest`, work);
      const fromDistribution = (): Timed => copy(`docker://${distribution.host}/bench/pull:latest`, work);
      const [lamina, dist] = inTurn(round, fromLamina, fromDistribution);
      const serveRssMb = await serve.stop();
      first.push({ pull, serveRssMb, build });
      warm.push({ lamina, distribution: dist });
      console.log(
        `round ${round}: first pull ${pull.seconds.toFixed(2)}s vs lamina build ${build.seconds.toFixed(2)}s; warm pull ${lamina.seconds.toFixed(2)}s vs distribution ${dist.seconds.toFixed(2)}s`,
      );
    } finally {
      rmSync(pullHome, { recursive: true, force: true });
      rmSync(buildHome, { recursive: true, force: true });
    }
  }
  const m = (f: (x: Timed) => number, xs: Timed[]): number => median(xs.map(f));
  const s = (t: Timed): number => t.seconds;
  const r = (t: Timed): number => t.peakRssMb;
  const firstPull = m(s, first.map((x) => x.pull));
  const build = m(s, first.map((x) => x.build));
  const warmLamina = m(s, warm.map((x) => x.lamina));
  const warmDist = m(s, warm.map((x) => x.distribution));
  console.log(`first pull (built on demand): ${firstPull.toFixed(2)}s vs lamina build ${build.toFixed(2)}s: ratio ${(firstPull / build).toFixed(2)}`);
  console.log(`warm pull (cached): ${warmLamina.toFixed(2)}s vs skopeo copy from distribution ${warmDist.toFixed(2)}s: ratio ${(warmLamina / warmDist).toFixed(2)}`);
  console.log(
    `peak RSS: lamina serve --registry ${median(first.map((x) => x.serveRssMb)).toFixed(0)} MB, lamina build ${m(r, first.map((x) => x.build)).toFixed(0)} MB, skopeo copy ${m(r, warm.map((x) => x.lamina)).toFixed(0)} MB`,
  );
  console.log(`load average after: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
} finally {
  await distribution.stop();
  rmSync(work, { recursive: true, force: true });
}
