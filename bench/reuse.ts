/**
 * Reuse across a fleet, as a user gets it: whole `lamina build` processes, one
 * after another into one data dir, for every strategy, at the default budget and
 * at --max-layers 20, on the large test package set (Debian packages as Nix
 * derivations). Prints:
 *   - duplication: bytes of store paths summed over the store's distinct layers /
 *     bytes of the distinct store paths (1.00: every path stored once), as
 *     `lamina cache ls --json` reports it; target <= 1.10;
 *   - a one-package addition (a small package added to a three-package image) and
 *     a one-package upgrade (a top-level package whose contents change): NAR bytes
 *     of the layers the second build wrote / NAR bytes of the paths that changed;
 *     target <= 1.05;
 *   - cold build time of one image, `reuse` against `nixery` (the default before),
 *     alternating, median of 3, with peak RSS; target: no worse.
 * Layers are written uncompressed for the fleet runs (what is stored where does
 * not depend on the compression) and with gzip for the timing.
 *
 *   npx tsx bench/reuse.ts
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { STRATEGY_NAMES } from '../src-shared/strategies.js';
import { buildPackageSet } from '../test/testbed/build.js';
import { LAMINA, median, timed, type Run } from './lib/whole-process.js';

const MiB = 1024 * 1024;

/** Related images of one or two packages each: what a team keeps. */
const FLEET: readonly (readonly string[])[] = [
  ['git'],
  ['python3_11'],
  ['perl'],
  ['cmake'],
  ['g__-12'],
  ['nix-bin'],
  ['git', 'python3_11'],
  ['cmake', 'g__-12'],
  ['skopeo', 'umoci'],
  ['docker-registry', 'perl'],
];
const BASE = ['git', 'python3_11', 'perl'];
const UPGRADED = 'git';
const BUDGETS = [100, 20];

interface BuildJson {
  layers: { planKey: string | null; cached: boolean }[];
}

interface PlanJson {
  newBytes: number;
  layers: { key: string; paths: string[]; narSize: number; reused: boolean }[];
}

function lamina(home: string, args: readonly string[]): string {
  const run = spawnSync(process.execPath, [LAMINA, ...args], { env: { ...process.env, LAMINA_HOME: home, NIX_CONFIG: 'substituters =' }, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status !== 0) throw new Error(`lamina ${args.join(' ')} failed: ${run.stderr.trim().split('\n').at(-1)}`);
  return run.stdout;
}

function build(home: string, source: string, attrs: readonly string[], strategy: string, maxLayers: number, compression = 'none'): BuildJson {
  return JSON.parse(
    lamina(home, ['build', ...attrs, '--source', source, '--strategy', strategy, '--max-layers', String(maxLayers), '--compression', compression, '--tag', attrs.join('-'), '--json']),
  ) as BuildJson;
}

/** NAR size of every path in the closure of `paths`, from Nix. */
function narSizes(paths: readonly string[]): Map<string, number> {
  const info = JSON.parse(execFileSync('nix', ['--extra-experimental-features', 'nix-command', 'path-info', '--json', '-r', ...paths], { encoding: 'utf8', maxBuffer: 1 << 28 })) as
    | { path: string; narSize: number }[]
    | Record<string, { narSize: number }>;
  return new Map(Array.isArray(info) ? info.map((i) => [i.path, i.narSize]) : Object.entries(info).map(([p, i]) => [p, i.narSize]));
}

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'lamina-bench-reuse-'));
}

function duplication(home: string): number {
  return (JSON.parse(lamina(home, ['cache', 'ls', '--json'])) as { duplication: { ratio: number } }).duplication.ratio;
}

/**
 * The plan of a build, then the build: the build's layers are the plan's (the
 * same store state), so the plan says which paths the layers the build wrote hold.
 */
function planAndBuild(home: string, source: string, attrs: readonly string[], strategy: string, maxLayers: number): PlanJson {
  const plan = JSON.parse(lamina(home, ['plan', ...attrs, '--source', source, '--strategy', strategy, '--max-layers', String(maxLayers), '--compression', 'none', '--json'])) as PlanJson;
  const built = build(home, source, attrs, strategy, maxLayers);
  const storeLayers = built.layers.filter((l) => l.planKey !== null);
  if (storeLayers.map((l) => `${l.planKey} ${l.cached}`).join() !== plan.layers.map((l) => `${l.key} ${l.reused}`).join()) {
    throw new Error(`bench: the build of ${attrs.join(' ')} (${strategy}) did not do what its plan said`);
  }
  return plan;
}

/** NAR bytes of the store-path layers a build wrote (not taken from the cache). */
function writtenBytes(plan: PlanJson): number {
  return plan.layers.filter((l) => !l.reused).reduce((sum, l) => sum + l.narSize, 0);
}

function closurePaths(plan: PlanJson): Set<string> {
  return new Set(plan.layers.flatMap((l) => l.paths));
}

/** A copy of the package set where one package's output gains a file: its store path, and only its, changes. */
function upgradedSet(dir: string, attr: string): string {
  const copy = mkdtempSync(join(tmpdir(), 'lamina-bench-upgraded-'));
  cpSync(dir, copy, { recursive: true });
  const nix = readFileSync(join(copy, 'default.nix'), 'utf8');
  const next = `  mkNext = { pname, version, files, deps, description }:
    (derivation {
      name = "\${pname}-\${version}+next";
      system = builtins.currentSystem;
      builder = "/bin/sh";
      PATH = "/usr/bin:/bin";
      args = [ "-c" ((builtins.readFile ./builder.sh) + "echo next > $out/nix-support/upgraded\\n") ];
      files = builtins.readFile files;
      passAsFile = [ "files" ];
      inherit deps;
    }) // { inherit pname version; meta = { inherit description; }; };
`;
  const upgraded = nix.replace('  self = {', `${next}  self = {`).replace(`  "${attr}" = mk {`, `  "${attr}" = mkNext {`);
  if (upgraded === nix) throw new Error(`bench: could not find package ${attr} in ${dir}`);
  writeFileSync(join(copy, 'default.nix'), upgraded);
  return copy;
}

function row(cells: readonly string[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(16) : c.padStart(12))).join(' ');
}

/** `npx tsx bench/reuse.ts [fleet] [changes] [cold]`: the named sections, all by default. */
const sections = new Set(process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['fleet', 'changes', 'cold']);
const set = buildPackageSet('large');
console.log(`large test set: ${set.outPaths.size} packages in ${set.dir}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
const sizes = narSizes([...set.outPaths.values()]);

function fleet(): void {
  console.log(`\nfleet of ${FLEET.length} images (${FLEET.map((f) => f.join('+')).join(', ')}), built one after another into one data dir`);
  console.log(row(['strategy', ...BUDGETS.flatMap((b) => [`dup @${b}`, `layers @${b}`])]));
  for (const strategy of STRATEGY_NAMES) {
    const cells: string[] = [strategy];
    for (const budget of BUDGETS) {
      const home = tempHome();
      let layers = 0;
      for (const attrs of FLEET) layers += build(home, set.dir, attrs, strategy, budget).layers.length;
      cells.push(`${duplication(home).toFixed(2)}x`, (layers / FLEET.length).toFixed(1));
      rmSync(home, { recursive: true, force: true });
    }
    console.log(row(cells));
  }
}

function changes(): void {
  // The smallest package that brings at least 100 KiB of new paths to the base image: a library added to it.
  const baseHome = tempHome();
  const baseClosure = closurePaths(planAndBuild(baseHome, set.dir, BASE, 'single', 100));
  rmSync(baseHome, { recursive: true, force: true });
  const candidates = [...set.outPaths.keys()]
    .map((attr) => {
      const added = execFileSync('nix-store', ['-qR', set.outPaths.get(attr)!], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter((p) => !baseClosure.has(p));
      return { attr, added: added.reduce((sum, p) => sum + sizes.get(p)!, 0) };
    })
    // A small library, as a user adds one: at least 100 KiB of new paths (the example brings 0.3 MB).
    .filter((c) => c.added >= 100 * 1024)
    .sort((a, b) => a.added - b.added || (a.attr < b.attr ? -1 : 1));
  const addition = candidates[0]!;
  const upgrade = upgradedSet(set.dir, UPGRADED);

  console.log(`\none-package changes to ${BASE.join('+')}: written NAR bytes / changed NAR bytes (target <= 1.05)`);
  console.log(`  addition: + ${addition.attr} (${(addition.added / MiB).toFixed(2)} MiB of new paths); upgrade: ${UPGRADED} whose contents change`);
  console.log(row(['strategy', ...BUDGETS.flatMap((b) => [`add @${b}`, `upgrade @${b}`])]));
  for (const strategy of STRATEGY_NAMES) {
    const cells: string[] = [strategy];
    for (const budget of BUDGETS) {
      for (const [attrs, source] of [
        [[...BASE, addition.attr], set.dir],
        [BASE, upgrade],
      ] as const) {
        const home = tempHome();
        const before = closurePaths(planAndBuild(home, set.dir, BASE, strategy, budget));
        const after = planAndBuild(home, source, attrs, strategy, budget);
        const afterSizes = source === set.dir ? sizes : new Map([...sizes, ...narSizes([...closurePaths(after)].filter((p) => !sizes.has(p)))]);
        const changed = [...closurePaths(after)].filter((p) => !before.has(p)).reduce((sum, p) => sum + afterSizes.get(p)!, 0);
        const written = writtenBytes(after);
        cells.push(`${(written / changed).toFixed(2)}x`);
        rmSync(home, { recursive: true, force: true });
      }
    }
    console.log(row(cells));
  }
  rmSync(upgrade, { recursive: true, force: true });
}

function cold(): void {
  const timedImage = ['git', 'python3_11'];
  console.log(`\ncold build of ${timedImage.join('+')} with gzip at the default budget, whole processes, alternating, median of 3`);
  const runs = { reuse: [] as Run[], nixery: [] as Run[] };
  for (let i = 0; i < 3; i++) {
    for (const strategy of ['nixery', 'reuse'] as const) {
      const home = tempHome();
      const args = [LAMINA, 'build', ...timedImage, '--source', set.dir, '--strategy', strategy, '--compression', 'gzip'];
      runs[strategy].push(timed(process.execPath, args, { ...process.env, LAMINA_HOME: home, NIX_CONFIG: 'substituters =' }));
      rmSync(home, { recursive: true, force: true });
    }
  }
  for (const strategy of ['reuse', 'nixery'] as const) {
    console.log(`  ${strategy.padEnd(8)} ${median(runs[strategy].map((r) => r.wall)).toFixed(2)} s, peak RSS ${median(runs[strategy].map((r) => r.rssMb)).toFixed(0)} MB`);
  }
  const ratios = runs.reuse.map((r, i) => r.wall / runs.nixery[i]!.wall);
  console.log(`  reuse / nixery: ${median(ratios).toFixed(2)}x (pairwise median; target <= 1.00 within noise); load average ${loadavg()[0]!.toFixed(1)}`);
}

if (sections.has('fleet')) fleet();
if (sections.has('changes')) changes();
if (sections.has('cold')) cold();
